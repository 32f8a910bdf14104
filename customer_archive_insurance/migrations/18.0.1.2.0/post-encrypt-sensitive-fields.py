"""18.0.1.2.0: health notes, declared conditions and claims' medical details
are stored encrypted. Their plain columns are encrypted into the new
ciphertext columns, then dropped."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for model in ("insurance.health.record", "insurance.health.condition", "insurance.claim"):
        env[model]._encrypted_migrate_plain_columns()
