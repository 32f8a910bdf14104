"""The refusal of sensitive fields without the separate consent is on by
default (data record ``config_require_sensitive_consent``, noupdate). A
database that already has the system parameter keeps its value: the
parameter is bound to the record's xml id, so the data file neither creates
a second one (the key is unique) nor changes it. A database without it (the
round-1 default: off) gets it on from the data file."""

from odoo.tools import SQL

KEY = "customer_archive.require_sensitive_consent"


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT id FROM ir_config_parameter WHERE key = %s", KEY))
    row = cr.fetchone()
    if not row:
        return
    cr.execute(
        SQL(
            """INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
               VALUES ('customer_archive', 'config_require_sensitive_consent', 'ir.config_parameter', %s, true)
               ON CONFLICT DO NOTHING""",
            row[0],
        )
    )
