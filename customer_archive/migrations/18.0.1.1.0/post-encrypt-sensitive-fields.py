"""18.0.1.1.0: the resident ID number, bank account number and family
situation of res.partner are stored encrypted. Their plain columns are
encrypted into the new ciphertext (and blind-index) columns, then dropped."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._encrypted_migrate_plain_columns()
