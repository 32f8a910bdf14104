from odoo import fields, models
from odoo.exceptions import UserError

FEEDBACK_TYPES = [
    ("complaint", "Complaint"),
    ("praise", "Praise"),
    ("suggestion", "Suggestion"),
]

FEEDBACK_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]


class CustomerArchiveFeedback(models.Model):
    """Complaints and praise of a customer (客户反馈) and their follow-up."""

    _name = "customer.archive.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_customer_archive", "=", True)],
        tracking=True,
    )
    feedback_type = fields.Selection(
        FEEDBACK_TYPES, string="Type", required=True, default="complaint", tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    description = fields.Text()
    state = fields.Selection(FEEDBACK_STATES, default="new", required=True, tracking=True, group_expand=True)
    follow_up = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Handled By", default=lambda self: self.env.user, tracking=True
    )

    def action_start(self):
        self.filtered(lambda feedback: feedback.state == "new").write({"state": "in_progress"})

    def action_done(self):
        without_follow_up = self.filtered(
            lambda feedback: feedback.feedback_type == "complaint" and not (feedback.follow_up or "").strip()
        )
        if without_follow_up:
            raise UserError(
                self.env._(
                    "Follow-up: say how the complaint %(names)s was handled before marking it as done.",
                    names=", ".join(without_follow_up.mapped("display_name")),
                )
            )
        self.filtered(lambda feedback: feedback.state != "done").write({"state": "done"})

    def action_reopen(self):
        self.filtered(lambda feedback: feedback.state == "done").write({"state": "new"})
