from odoo import fields, models
from odoo.tools import SQL

from ..tools.report_view import create_report_view
from .customer_archive_feedback import FEEDBACK_STATES, FEEDBACK_TYPES
from .res_partner import ARCHIVE_TIERS
from .res_partner_analysis import RFM_SEGMENTS

EVENT_TYPES = [
    ("transaction", "Transaction"),
    ("satisfaction", "Satisfaction Score"),
    ("feedback", "Feedback"),
    ("tier_move", "Tier Change"),
]
TIER_MOVES = [
    ("new", "First Tier"),
    ("up", "Upgrade"),
    ("down", "Downgrade"),
]


class CustomerArchiveAnalysisReport(models.Model):
    """What happened with the customer archives, one row per event: a
    transaction, a satisfaction score, a complaint or praise, a tier change;
    with the archive's rep, department, tier and RFM segment at the time of
    reading, for the pivot and graph views of the analysis (trend per month,
    per tier, per rep).

    Each row carries the access columns of its archive and the record rules
    of ``security/customer_archive_analysis_rules.xml`` mirror the read rules
    of the archives: a user's figures count only the archives they may read.
    """

    _name = "customer.archive.analysis.report"
    _inherit = ["customer.archive.report.access.mixin"]
    _description = "Customer Archive Analysis"
    _auto = False
    _order = "date desc, id desc"
    # What the view reads (the access columns: the mixin's): the ORM flushes
    # these before it queries the view.
    _depends = {
        "res.partner": ["archive_tier", "archive_rfm_segment", "user_id", "archive_department_id"],
        "customer.archive.transaction": ["date", "partner_id", "amount"],
        "customer.archive.interaction": ["date", "partner_id", "satisfaction_score"],
        "customer.archive.feedback": ["date", "partner_id", "feedback_type", "state", "resolution_days"],
        "customer.tier.history": ["date", "partner_id", "tier_from", "tier_to"],
    }

    event_type = fields.Selection(EVENT_TYPES, readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible Rep", readonly=True)
    department_id = fields.Many2one("hr.department", string="Owning Department", readonly=True)
    tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    rfm_segment = fields.Selection(RFM_SEGMENTS, string="RFM Segment", readonly=True)
    event_count = fields.Integer(string="Count", readonly=True)
    amount = fields.Float(string="Transaction Amount", readonly=True)
    transaction_count = fields.Integer(string="Transactions", readonly=True)
    satisfaction_score = fields.Float(string="Satisfaction (1–5)", readonly=True, aggregator="avg")
    score_count = fields.Integer(string="Scores", readonly=True)
    feedback_type = fields.Selection(FEEDBACK_TYPES, readonly=True)
    feedback_state = fields.Selection(FEEDBACK_STATES, readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    praise_count = fields.Integer(string="Praise", readonly=True)
    open_complaint_count = fields.Integer(string="Open Complaints", readonly=True)
    resolution_days = fields.Float(string="Resolution Time (Days)", readonly=True, aggregator="avg")
    tier_from = fields.Selection(ARCHIVE_TIERS, string="From Tier", readonly=True)
    tier_to = fields.Selection(ARCHIVE_TIERS, string="To Tier", readonly=True)
    tier_move = fields.Selection(TIER_MOVES, readonly=True)

    def init(self):
        partner_columns = SQL(
            """p.archive_tier AS tier, p.archive_rfm_segment AS rfm_segment,
               p.user_id, p.archive_department_id AS department_id, %s""",
            self._archive_access_view_columns(),
        )
        create_report_view(
            self,
            SQL(
                """
                SELECT t.id * 4 AS id, 'transaction' AS event_type, t.date, t.partner_id, %(partner)s,
                       1 AS event_count, t.amount::float AS amount, 1 AS transaction_count,
                       NULL::float AS satisfaction_score, 0 AS score_count,
                       NULL::varchar AS feedback_type, NULL::varchar AS feedback_state,
                       0 AS complaint_count, 0 AS praise_count, 0 AS open_complaint_count,
                       NULL::float AS resolution_days,
                       NULL::varchar AS tier_from, NULL::varchar AS tier_to, NULL::varchar AS tier_move
                  FROM customer_archive_transaction t
                  JOIN res_partner p ON p.id = t.partner_id
                UNION ALL
                SELECT i.id * 4 + 1, 'satisfaction', (i.date AT TIME ZONE 'UTC')::date, i.partner_id, %(partner)s,
                       1, 0.0, 0, i.satisfaction_score::float, 1,
                       NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL
                  FROM customer_archive_interaction i
                  JOIN res_partner p ON p.id = i.partner_id
                 WHERE i.satisfaction_score BETWEEN 1 AND 5
                UNION ALL
                SELECT f.id * 4 + 2, 'feedback', f.date, f.partner_id, %(partner)s,
                       1, 0.0, 0, NULL, 0,
                       f.feedback_type, f.state,
                       CASE WHEN f.feedback_type = 'complaint' THEN 1 ELSE 0 END,
                       CASE WHEN f.feedback_type = 'praise' THEN 1 ELSE 0 END,
                       CASE WHEN f.feedback_type = 'complaint' AND f.state != 'done' THEN 1 ELSE 0 END,
                       CASE WHEN f.state = 'done' THEN f.resolution_days::float END,
                       NULL, NULL, NULL
                  FROM customer_archive_feedback f
                  JOIN res_partner p ON p.id = f.partner_id
                UNION ALL
                SELECT h.id * 4 + 3, 'tier_move', (h.date AT TIME ZONE 'UTC')::date, h.partner_id, %(partner)s,
                       1, 0.0, 0, NULL, 0, NULL, NULL, 0, 0, 0, NULL,
                       h.tier_from, h.tier_to,
                       CASE WHEN h.tier_from IS NULL THEN 'new'
                            WHEN h.tier_to < h.tier_from THEN 'up' ELSE 'down' END
                  FROM customer_tier_history h
                  JOIN res_partner p ON p.id = h.partner_id
                """,
                partner=partner_columns,
            ),
        )
