"""18.0.1.3.0: the archive's own fields on res.partner carry the ``archive_``
prefix (``gender`` -> ``archive_gender``: OCA's partner_contact_gender adds a
``gender`` of its own to res.partner).

Before the update loads the renamed fields, what a database of 18.0.1.2.0
holds under the old names is moved to the new ones, as openupgradelib's
``rename_fields`` does (written here with odoo.tools.SQL instead of adding
openupgradelib as a dependency of the addon for one script):

- the columns (with their values, the ciphertexts and blind indexes of the
  encrypted fields included) and their indexes; the plain columns of a
  database older than 18.0.1.1.0 too, which the post-migration of 18.0.1.1.0
  then encrypts under the new names;
- the fields in ir_model_fields (same ids: tracking values, defaults,
  required-field and completeness rules keep pointing at them) with their
  xml ids and those of their selection values;
- the saved filters (domain, context, sort), the export templates and the
  window actions of res.partner, and the attachments of a renamed field;
- the stored architectures of the res.partner views (``name="gender"``,
  ``@name='gender'``, ``invisible="not birth_date"``): the update validates
  the inheriting views of a view it rewrites against the new field names
  before their own files are loaded, and a view of another addon naming an
  archive field goes on working.

Only what exists is renamed: on a fresh install there is nothing to do. The
audit log keeps the names it recorded (its rows are chained by hash).
"""

import json
import logging
import re

from lxml import etree

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OLD_NAMES = (
    "additional_business",
    "age",
    "bank_account_number",
    "bank_account_number_blind_index",
    "bank_account_number_encrypted",
    "bank_account_number_masked",
    "bank_name",
    "birth_date",
    "breach_count",
    "company_size",
    "credit_rating",
    "deal_likelihood",
    "duplicate_email_key",
    "duplicate_mobile_key",
    "duplicate_name_key",
    "duplicate_phone_key",
    "education",
    "employee_count",
    "employee_count_domestic",
    "employee_count_foreign",
    "family_situation",
    "family_situation_encrypted",
    "family_situation_masked",
    "feedback_count",
    "first_transaction_date",
    "founding_date",
    "gender",
    "hobbies",
    "industry_position",
    "key_person_ids",
    "key_person_role",
    "last_transaction_date",
    "main_business",
    "main_shareholders",
    "occupation",
    "our_advantages",
    "our_weaknesses",
    "registered_capital",
    "resident_id_number",
    "resident_id_number_blind_index",
    "resident_id_number_encrypted",
    "resident_id_number_masked",
    "sales_last_year",
    "sales_three_years_ago",
    "sales_two_years_ago",
    "transaction_average",
    "transaction_count",
    "transaction_frequency",
    "transaction_total",
    "unified_social_credit_code",
)
RENAMES = {old: f"archive_{old}" for old in OLD_NAMES}
PARTNER_PATHS = {"key_person_ids", "child_ids", "parent_id", "commercial_partner_id"}
MODEL = "res.partner"
TABLE = "res_partner"


def _columns(cr):
    cr.execute(
        SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema AND table_name = %s",
            TABLE,
        )
    )
    return {row[0] for row in cr.fetchall()}


def _sub_names(text, renames):
    """Rename the field names of a domain, context or sort text: quoted
    names, the parts of quoted paths (``'key_person_ids.gender'``), group-by
    specs (``'first_transaction_date:year'``) and ``default_<name>`` keys."""
    if not text:
        return text

    def quoted(match):
        quote, body, order = match.group(1), match.group(2), match.group(3) or ""
        parts = []
        for part in body.split("."):
            head, sep, tail = part.partition(":")
            prefix = ""
            for default in ("search_default_", "default_"):
                if head.startswith(default) and head[len(default) :] in renames:
                    prefix, head = default, head[len(default) :]
                    break
            head = renames.get(head, head)
            parts.append(f"{prefix}{head}{sep}{tail}")
        return f"{quote}{'.'.join(parts)}{order}{quote}"

    # 'gender', "key_person_ids.gender", 'first_transaction_date:year', "birth_date desc"
    return re.sub(r"(['\"])((?:[\w:]+\.)*[\w:]+)(\s+(?:asc|desc))?\1", quoted, text)


def _rename_in_rows(cr, table, columns, where, renames):
    cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE %s",
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL.identifier(table),
            where,
        )
    )
    changed = 0
    for row_id, *values in cr.fetchall():
        updates = {}
        for column, value in zip(columns, values, strict=True):
            if isinstance(value, dict):  # translated (jsonb) columns
                new = {lang: _sub_names(text, renames) for lang, text in value.items()}
            else:
                new = _sub_names(value, renames)
            if new != value:
                updates[column] = new
        if updates:
            cr.execute(
                SQL(
                    "UPDATE %s SET %s WHERE id = %s",
                    SQL.identifier(table),
                    SQL(", ").join(
                        SQL("%s = %s", SQL.identifier(column), SQL("%s::jsonb", _json(value)))
                        if isinstance(value, dict)
                        else SQL("%s = %s", SQL.identifier(column), value)
                        for column, value in updates.items()
                    ),
                    row_id,
                )
            )
            changed += 1
    return changed


VIEW_EXPRESSIONS = {
    "invisible",
    "readonly",
    "required",
    "column_invisible",
    "domain",
    "context",
    "filter_domain",
    "options",
}


def _sub_arch(arch, renames):
    """Rename the field names of a res.partner view architecture: the names
    of its elements, its xpath expressions and its modifiers, never texts."""
    if not arch or not any(old in arch for old in renames):
        return arch
    alternatives = "|".join(sorted(map(re.escape, renames), key=len, reverse=True))
    word = re.compile(rf"(?<![\w.])({alternatives})(?![\w])")
    xpath_name = re.compile(rf"(@name\s*=\s*['\"])({alternatives})(['\"])")
    root = etree.fromstring(arch.encode())
    changed = False
    for node in root.iter(tag=etree.Element):
        for key, value in node.attrib.items():
            if key == "name" and value in renames:
                new = renames[value]
            elif key == "expr":
                new = xpath_name.sub(lambda m: m.group(1) + renames[m.group(2)] + m.group(3), value)
            elif key in VIEW_EXPRESSIONS or key.startswith("decoration-"):
                new = word.sub(lambda m: renames[m.group(1)], _sub_names(value, renames))
            else:
                continue
            if new != value:
                node.set(key, new)
                changed = True
    return etree.tostring(root, encoding="unicode") if changed else arch


def _rename_in_views(cr, renames):
    cr.execute(SQL("SELECT id, arch_db FROM ir_ui_view WHERE model = %s AND arch_db IS NOT NULL", MODEL))
    changed = 0
    for view_id, arch_db in cr.fetchall():
        new = {lang: _sub_arch(arch, renames) for lang, arch in arch_db.items()}
        if new != arch_db:
            cr.execute(SQL("UPDATE ir_ui_view SET arch_db = %s::jsonb WHERE id = %s", _json(new), view_id))
            changed += 1
    return changed


def _rename_column(cr, old, new):
    """Rename the column ``old`` of res_partner to ``new``, and its index."""
    cr.execute(
        SQL(
            "ALTER TABLE %s RENAME COLUMN %s TO %s",
            SQL.identifier(TABLE),
            SQL.identifier(old),
            SQL.identifier(new),
        )
    )
    cr.execute(
        SQL(
            "ALTER INDEX IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{TABLE}__{old}_index"),
            SQL.identifier(f"{TABLE}__{new}_index"),
        )
    )


def _json(value):
    return json.dumps(value)


def migrate(cr, version):
    if not version:
        return
    columns = _columns(cr)
    cr.execute(SQL("SELECT name FROM ir_model_fields WHERE model = %s AND name IN %s", MODEL, tuple(RENAMES)))
    fields = {row[0] for row in cr.fetchall()}
    renames = {old: new for old, new in RENAMES.items() if old in fields or old in columns}
    if not renames:
        return
    for old, new in renames.items():
        if old in columns and new not in columns:
            _rename_column(cr, old, new)
        if old in fields:
            cr.execute(
                SQL("UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", new, MODEL, old)
            )
            cr.execute(
                SQL(
                    """
                    UPDATE ir_model_data SET name = %s
                     WHERE model = 'ir.model.fields' AND name = %s
                    """,
                    f"field_res_partner__{new}",
                    f"field_res_partner__{old}",
                )
            )
            cr.execute(
                SQL(
                    """
                    UPDATE ir_model_data SET name = %s || substr(name, %s)
                     WHERE model = 'ir.model.fields.selection' AND name LIKE %s
                    """,
                    f"selection__res_partner__{new}__",
                    len(f"selection__res_partner__{old}__") + 1,
                    f"selection__res_partner__{old}__%".replace("_", r"\_"),
                )
            )
            cr.execute(
                SQL(
                    "UPDATE ir_attachment SET res_field = %s WHERE res_model = %s AND res_field = %s",
                    new,
                    MODEL,
                    old,
                )
            )
    filters = _rename_in_rows(
        cr, "ir_filters", ["domain", "context", "sort"], SQL("model_id = %s", MODEL), renames
    )
    actions = _rename_in_rows(
        cr, "ir_act_window", ["domain", "context"], SQL("res_model = %s", MODEL), renames
    )
    views = _rename_in_views(cr, renames)
    cr.execute(
        SQL(
            """
            SELECT l.id, l.name FROM ir_exports_line l JOIN ir_exports e ON e.id = l.export_id
             WHERE e.resource = %s
            """,
            MODEL,
        )
    )
    exports = 0
    for line_id, name in cr.fetchall():
        parts = (name or "").split("/")
        # the first part is a res.partner field, and so is a part that
        # follows a field to res.partner (key_person_ids/gender)
        new_parts = [
            renames.get(part, part) if index == 0 or parts[index - 1] in PARTNER_PATHS else part
            for index, part in enumerate(parts)
        ]
        if new_parts != parts:
            cr.execute(
                SQL("UPDATE ir_exports_line SET name = %s WHERE id = %s", "/".join(new_parts), line_id)
            )
            exports += 1
    _logger.info(
        "res.partner: %s fields renamed to archive_*; %s views, %s filters, %s actions, %s export lines updated",
        len(renames),
        views,
        filters,
        actions,
        exports,
    )
