import os

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def untranslated_terms(env, module, lang="zh_CN"):
    """Return the terms of ``module`` (fields, selections, views, menus,
    errors in the code...) that have no translation in its ``i18n/<lang>.po``.

    The terms are read the way ``--i18n-export`` reads them, from the installed
    module, so a label added without a translation is found.
    """
    po_path = os.path.join(get_module_path(module), "i18n", f"{lang}.po")
    translated = {entry.msgid for entry in polib.pofile(po_path) if entry.msgstr.strip()}
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {row[4] for row in reader if row[0] == module and row[4]}
    return sorted(sources - translated)
