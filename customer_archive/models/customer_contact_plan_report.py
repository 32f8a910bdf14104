from odoo import fields, models
from odoo.tools import SQL

from ..tools.report_view import create_report_view
from .customer_contact_plan import PLAN_KINDS
from .res_partner import ARCHIVE_TIERS

PLAN_STATES = [
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("done", "Done"),
    ("done_late", "Done Late"),
]


class CustomerContactPlanReport(models.Model):
    """Contact plan compliance: every planned item (open or done) of the
    customer archives, per rep and tier, for pivot and graph views: planned,
    due, done and overdue items (calls, visits and reviews by default) and
    the completion rate (done / due)."""

    _name = "customer.contact.plan.report"
    _description = "Contact Plan Compliance"
    _auto = False
    _order = "date_deadline desc"
    _rec_name = "partner_id"
    # What the view reads: the ORM flushes these before it queries the view.
    _depends = {
        "mail.activity": [
            "res_model",
            "res_id",
            "user_id",
            "archive_plan_kind",
            "date_deadline",
            "archive_deadline",
            "date_done",
            "active",
        ],
        "res.partner": ["archive_department_id", "archive_tier"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible Rep", readonly=True)
    department_id = fields.Many2one("hr.department", string="Owning Department", readonly=True)
    tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    kind = fields.Selection(PLAN_KINDS, string="Contact Plan Item", readonly=True)
    date_deadline = fields.Date(string="Due Date", readonly=True)
    date_done = fields.Date(string="Done Date", readonly=True)
    state = fields.Selection(PLAN_STATES, readonly=True)
    planned_count = fields.Integer(string="Planned", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    overdue_count = fields.Integer(
        string="Overdue", readonly=True, help="Open past the deadline, or done after it."
    )
    due_count = fields.Integer(
        string="Due", readonly=True, help="Done, or open past the deadline: what should be done by now."
    )
    # 100 for a done item, 0 for an open one past its deadline, empty for an
    # item not due yet: the average over a group is done / due.
    completion_rate = fields.Float(
        string="Completion Rate (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
        help="Share of the items due by now that are done.",
    )

    def init(self):
        create_report_view(
            self,
            SQL(
                """
                SELECT a.id,
                       a.res_id AS partner_id,
                       a.user_id,
                       p.archive_department_id AS department_id,
                       p.archive_tier AS tier,
                       a.archive_plan_kind AS kind,
                       a.date_deadline,
                       a.date_done,
                       CASE WHEN NOT COALESCE(a.active, TRUE) THEN
                                CASE WHEN a.date_done > COALESCE(a.archive_deadline, a.date_deadline)
                                     THEN 'done_late' ELSE 'done' END
                            WHEN COALESCE(a.archive_deadline, a.date_deadline) < CURRENT_DATE THEN 'overdue'
                            ELSE 'open' END AS state,
                       1 AS planned_count,
                       CASE WHEN NOT COALESCE(a.active, TRUE) THEN 1 ELSE 0 END AS done_count,
                       CASE WHEN COALESCE(a.active, TRUE)
                                 AND COALESCE(a.archive_deadline, a.date_deadline) < CURRENT_DATE THEN 1
                            WHEN NOT COALESCE(a.active, TRUE)
                                 AND a.date_done > COALESCE(a.archive_deadline, a.date_deadline) THEN 1
                            ELSE 0 END AS overdue_count,
                       CASE WHEN NOT COALESCE(a.active, TRUE)
                                 OR COALESCE(a.archive_deadline, a.date_deadline) < CURRENT_DATE THEN 1
                            ELSE 0 END AS due_count,
                       CASE WHEN NOT COALESCE(a.active, TRUE) THEN 100.0
                            WHEN COALESCE(a.archive_deadline, a.date_deadline) < CURRENT_DATE THEN 0.0
                            END AS completion_rate
                  FROM mail_activity a
                  JOIN res_partner p ON p.id = a.res_id
                 WHERE a.res_model = 'res.partner' AND a.archive_plan_kind IS NOT NULL
                """
            ),
        )
