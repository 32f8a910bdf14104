from odoo import api, fields, models
from odoo.exceptions import UserError


class InsurancePolicySurrender(models.TransientModel):
    """Cancel (surrender, 退保) a policy: shows the refund of the day —
    in full less the cost inside the cooling-off period, else by the rule
    of the product — and records it."""

    _name = "insurance.policy.surrender"
    _description = "Cancel Policy"

    policy_id = fields.Many2one("insurance.policy", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="policy_id.currency_id")
    cooling_off_end_date = fields.Date(related="policy_id.cooling_off_end_date")
    surrender_date = fields.Date(string="Cancelled On", required=True, default=fields.Date.context_today)
    reason = fields.Text(string="Cancellation Reason", required=True)
    refund_amount = fields.Monetary(string="Refund", compute="_compute_refund")
    refund_basis = fields.Char(compute="_compute_refund")

    @api.depends("policy_id", "surrender_date")
    def _compute_refund(self):
        for wizard in self:
            if wizard.policy_id and wizard.surrender_date:
                wizard.refund_amount, wizard.refund_basis = wizard.policy_id._refund_on(wizard.surrender_date)
            else:
                wizard.refund_amount, wizard.refund_basis = 0.0, False

    def action_confirm(self):
        self.ensure_one()
        if self.surrender_date < self.policy_id.start_date:
            raise UserError(
                self.env._(
                    "Cancelled On cannot be before the Start Date of the policy (%(start)s).",
                    start=self.policy_id.start_date,
                )
            )
        self.policy_id._surrender(self.surrender_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
