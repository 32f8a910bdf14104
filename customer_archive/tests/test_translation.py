from odoo.tests import TransactionCase, tagged

from .common import untranslated_terms


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def test_every_term_has_a_chinese_translation(self):
        missing = untranslated_terms(self.env, "customer_archive")
        self.assertFalse(
            missing,
            "Terms without a zh_CN translation (add them to customer_archive/i18n/zh_CN.po, "
            "then run ./setup/i18n.sh):\n" + "\n".join(missing),
        )
