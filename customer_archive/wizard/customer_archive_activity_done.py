from odoo import api, fields, models
from odoo.exceptions import UserError


class CustomerArchiveActivityDone(models.TransientModel):
    """Mark Done of a call, meeting or visit on a customer archive (互动历史):
    in the same dialog, whom the rep met (a key person of the archive or a
    name), their position and the outcome. Done writes them into the
    archive's interaction history with the activity's own done."""

    _name = "customer.archive.activity.done"
    _inherit = ["customer.archive.person.met.mixin"]
    _description = "Mark an Archive Call or Visit Done"

    activity_id = fields.Many2one("mail.activity", required=True, readonly=True, ondelete="cascade")
    activity_summary = fields.Char(compute="_compute_activity", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer Archive", compute="_compute_activity")
    person_met_id = fields.Many2one(string="Key Person Met")
    feedback = fields.Text(string="Outcome")
    # 客户满意度 (issue 13): the score asked in a return call (电话回访),
    # written on the interaction as its Satisfaction (1–5).
    satisfaction_score = fields.Selection(
        [
            ("1", "1 – Very dissatisfied"),
            ("2", "2 – Dissatisfied"),
            ("3", "3 – Neutral"),
            ("4", "4 – Satisfied"),
            ("5", "5 – Very satisfied"),
        ],
        string="Satisfaction (1–5)",
        help="How satisfied the customer said they are, when asked in this call or visit. "
        "Leave empty when not asked.",
    )

    @api.model
    def _action_open(self, activity):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Mark Done: %(name)s", name=activity.summary or activity.activity_type_id.name
            ),
            "res_model": self._name,
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {"default_activity_id": activity.id},
        }

    @api.depends("activity_id")
    def _compute_activity(self):
        for wizard in self:
            activity = wizard.activity_id
            wizard.activity_summary = activity.summary or activity.activity_type_id.name
            partner = self.env["res.partner"].browse(
                activity.res_id if activity.res_model == "res.partner" else []
            )
            # the archive for the key persons' domain, where the user may read it
            wizard.partner_id = partner._filtered_access("read")

    def _check_activity(self):
        self.ensure_one()
        activity = self.activity_id
        if not activity.exists() or not activity.active:
            raise UserError(self.env._("This activity is already done or was cancelled."))
        if not self.person_met_name and not self.person_met_id:
            raise UserError(
                self.env._(
                    "Name of the Person Met: say whom you called or visited, then mark the activity done."
                )
            )
        return activity.with_context(
            customer_archive_person_met={
                activity.id: {
                    "person_met_id": self.person_met_id.id,
                    "person_met_name": self.person_met_name,
                    "person_rank": self.person_rank,
                    "satisfaction_score": int(self.satisfaction_score or 0),
                }
            }
        )

    def action_done(self):
        self._check_activity().action_feedback(feedback=self.feedback)
        return {"type": "ir.actions.act_window_close"}

    def action_done_schedule_next(self):
        return self._check_activity().action_feedback_schedule_next(feedback=self.feedback) or {
            "type": "ir.actions.act_window_close"
        }
