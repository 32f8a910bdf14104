from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.customer_archive.tools.report_view import create_report_view

from ..models.insurance_policy import POLICY_STATES, PRODUCT_TYPES


class InsuranceReport(models.Model):
    """Premium and claims per policy, for pivot and graph analysis: claims
    ratio (claims paid / annual premium) per product type, agent, insurer."""

    _name = "insurance.report"
    _description = "Insurance Premium and Claims Analysis"
    _auto = False
    _order = "start_date desc"
    # What the view reads: the ORM flushes these before it queries the view.
    _depends = {
        "insurance.policy": [
            "product_type",
            "agent_id",
            "insurer_id",
            "policyholder_id",
            "state",
            "start_date",
            "company_id",
            "annual_premium",
            "sum_insured",
        ],
        "insurance.claim": ["policy_id", "amount_claimed", "amount_paid"],
        "res.partner": ["insurance_agent_id"],
    }

    policy_id = fields.Many2one("insurance.policy", readonly=True)
    product_type = fields.Selection(PRODUCT_TYPES, readonly=True)
    agent_id = fields.Many2one("res.users", readonly=True)
    insurer_id = fields.Many2one("res.partner", readonly=True)
    policyholder_id = fields.Many2one("res.partner", readonly=True)
    client_agent_id = fields.Many2one("res.users", string="Client's Agent", readonly=True)
    state = fields.Selection(POLICY_STATES, string="Status", readonly=True)
    start_date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    premium = fields.Float(string="Annual Premium", readonly=True, aggregator="sum")
    sum_insured = fields.Float(readonly=True, aggregator="sum")
    claim_count = fields.Integer(string="Claims", readonly=True, aggregator="sum")
    amount_claimed = fields.Float(readonly=True, aggregator="sum")
    amount_paid = fields.Float(string="Claims Paid", readonly=True, aggregator="sum")
    claims_ratio = fields.Float(
        string="Claims Ratio (%)",
        readonly=True,
        aggregator="avg",
        help="Claims paid divided by the annual premium, in percent; for groups, of their totals.",
    )

    def init(self):
        create_report_view(
            self,
            SQL(
                """
                   SELECT policy.id AS id,
                          policy.id AS policy_id,
                          policy.product_type,
                          policy.agent_id,
                          policy.insurer_id,
                          policy.policyholder_id,
                          holder.insurance_agent_id AS client_agent_id,
                          policy.state,
                          policy.start_date,
                          policy.company_id,
                          COALESCE(policy.annual_premium, 0) AS premium,
                          COALESCE(policy.sum_insured, 0) AS sum_insured,
                          COALESCE(claim.claim_count, 0) AS claim_count,
                          COALESCE(claim.amount_claimed, 0) AS amount_claimed,
                          COALESCE(claim.amount_paid, 0) AS amount_paid,
                          CASE WHEN COALESCE(policy.annual_premium, 0) > 0
                               THEN 100.0 * COALESCE(claim.amount_paid, 0) / policy.annual_premium
                               ELSE 0 END AS claims_ratio
                     FROM insurance_policy policy
                     JOIN res_partner holder ON holder.id = policy.policyholder_id
                LEFT JOIN (
                       SELECT policy_id,
                              COUNT(*) AS claim_count,
                              SUM(amount_claimed) AS amount_claimed,
                              SUM(amount_paid) AS amount_paid
                         FROM insurance_claim
                        GROUP BY policy_id
                      ) claim ON claim.policy_id = policy.id
                """
            ),
        )

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        """The claims ratio of a group is the ratio of its totals, not the
        average of the policies' ratios."""
        names = {spec.split(":")[0].split("(")[0].strip() for spec in fields}
        if "claims_ratio" not in names:
            return super().read_group(domain, fields, groupby, offset, limit, orderby, lazy)
        extra = [f"{name}:sum" for name in ("premium", "amount_paid") if name not in names]
        groups = super().read_group(domain, list(fields) + extra, groupby, offset, limit, orderby, lazy)
        for group in groups:
            premium = group.get("premium") or 0.0
            group["claims_ratio"] = 100.0 * (group.get("amount_paid") or 0.0) / premium if premium else 0.0
        return groups
