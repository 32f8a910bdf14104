from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.customer_archive.tools.report_view import create_report_view

from ..models.insurance_claim import CLAIM_STATES
from ..models.insurance_claim_deadline import CLAIM_TYPES, DEADLINE_KINDS, DEADLINE_STATUSES
from ..models.insurance_policy import PRODUCT_TYPES


class InsuranceClaimDeadlineReport(models.Model):
    """Claims against the deadlines of the Insurance Law: open claims by
    deadline status per handler and product, and the average days from
    complete documents to the decision and to the payment."""

    _name = "insurance.claim.deadline.report"
    _description = "Claims Deadline Analysis"
    _auto = False
    _order = "next_deadline_date"
    _depends = {
        "insurance.claim": [
            "handler_id",
            "agent_id",
            "claimant_id",
            "product_type",
            "claim_type",
            "state",
            "documents_complete_date",
            "next_deadline_date",
            "next_deadline_kind",
            "deadline_status",
            "decision_date",
            "payment_date",
            "policy_id",
        ],
        "insurance.policy": ["company_id"],
    }

    claim_id = fields.Many2one("insurance.claim", readonly=True)
    handler_id = fields.Many2one("res.users", string="Claims Handler", readonly=True)
    agent_id = fields.Many2one("res.users", readonly=True)
    claimant_id = fields.Many2one("res.partner", readonly=True)
    product_type = fields.Selection(PRODUCT_TYPES, readonly=True)
    claim_type = fields.Selection(CLAIM_TYPES, readonly=True)
    state = fields.Selection(CLAIM_STATES, string="Status", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    documents_complete_date = fields.Date(string="Documents Complete On", readonly=True)
    next_deadline_date = fields.Date(string="Next Deadline", readonly=True)
    next_deadline_kind = fields.Selection(DEADLINE_KINDS, readonly=True)
    deadline_status = fields.Selection(
        [*DEADLINE_STATUSES, ("closed", "No Open Deadline")],
        readonly=True,
        help="Of the next open deadline; decided and paid claims have none.",
    )
    is_open = fields.Boolean(string="Open Deadline", readonly=True)
    claim_count = fields.Integer(string="Claims", readonly=True, aggregator="sum")
    days_to_decision = fields.Float(
        string="Days to Decision", readonly=True, aggregator="avg", digits=(16, 1)
    )
    days_to_payment = fields.Float(string="Days to Payment", readonly=True, aggregator="avg", digits=(16, 1))

    def init(self):
        create_report_view(
            self,
            SQL(
                """
                SELECT claim.id AS id,
                       claim.id AS claim_id,
                       claim.handler_id,
                       claim.agent_id,
                       claim.claimant_id,
                       claim.product_type,
                       claim.claim_type,
                       claim.state,
                       policy.company_id,
                       claim.documents_complete_date,
                       claim.next_deadline_date,
                       claim.next_deadline_kind,
                       COALESCE(claim.deadline_status, 'closed') AS deadline_status,
                       claim.next_deadline_date IS NOT NULL AS is_open,
                       1 AS claim_count,
                       -- NULL, not 0, while undecided or unpaid: the averages skip them
                       (claim.decision_date - claim.documents_complete_date)::float AS days_to_decision,
                       (claim.payment_date - claim.documents_complete_date)::float AS days_to_payment
                  FROM insurance_claim claim
                  JOIN insurance_policy policy ON policy.id = claim.policy_id
                """
            ),
        )
