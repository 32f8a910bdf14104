from odoo import fields, models


class CustomerArchiveRetentionRule(models.Model):
    """Insurance clients are kept the period the regulator sets after their
    last policy ended, then anonymised like any expired archive."""

    _inherit = "customer.archive.retention.rule"

    category = fields.Selection(
        selection_add=[("insurance_policy_ended", "Insurance Clients (after the last policy ended)")],
        ondelete={"insurance_policy_ended": "cascade"},
    )

    def _expired_domain_insurance_policy_ended(self, limit):
        # sudo: the retention job decides on every policy, whoever runs it.
        Policy = self.env["insurance.policy"].sudo().with_context(active_test=False)
        running = Policy._search(["|", ("end_date", "=", False), ("end_date", ">", limit)])
        return [
            "|",
            ("id", "in", Policy._search([]).subselect("insured_id")),
            ("id", "in", Policy._search([]).subselect("policyholder_id")),
            ("id", "not in", running.subselect("insured_id")),
            ("id", "not in", running.subselect("policyholder_id")),
        ]
