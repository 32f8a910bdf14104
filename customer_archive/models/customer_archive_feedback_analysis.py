from odoo import api, fields, models


class CustomerArchiveFeedback(models.Model):
    """Resolution time of feedback (complaints handled in how many days)."""

    _inherit = "customer.archive.feedback"

    resolution_date = fields.Date(
        compute="_compute_resolution",
        store=True,
        readonly=True,
        copy=False,
        help="Day the feedback was done.",
    )
    resolution_days = fields.Integer(
        string="Resolution Time (Days)",
        compute="_compute_resolution",
        store=True,
        readonly=True,
        aggregator="avg",
        copy=False,
    )

    @api.depends("state", "date")
    def _compute_resolution(self):
        today = fields.Date.context_today(self)
        for feedback in self:
            if feedback.state == "done":
                done = feedback.resolution_date or today
                feedback.resolution_date = done
                feedback.resolution_days = max((done - feedback.date).days, 0) if feedback.date else 0
            else:
                feedback.resolution_date = False
                feedback.resolution_days = 0
