"""18.0.1.1.0: underwriters and claims staff no longer read A-class clients.

Their rule on clients is a ``noupdate`` record, which an update leaves as it
is. It is deleted here, before the module's data is loaded, so that the
update creates it again from ``security/rules.xml`` with the narrower domain.
A local change to that rule is dropped with it, on purpose: it widened
access beyond the core's A-class rule.
"""

from odoo.tools import SQL

XMLID = ("customer_archive_insurance", "rule_res_partner_insurance_staff")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            DELETE FROM ir_rule
             WHERE id IN (SELECT res_id FROM ir_model_data
                           WHERE module = %s AND name = %s AND model = 'ir.rule')
            """,
            *XMLID,
        )
    )
    cr.execute(SQL("DELETE FROM ir_model_data WHERE module = %s AND name = %s", *XMLID))
