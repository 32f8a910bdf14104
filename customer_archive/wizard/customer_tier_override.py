from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.res_partner import ARCHIVE_TIERS


class CustomerTierOverride(models.TransientModel):
    """A manager sets the tier of customers by hand, with a reason, and locks
    it so that the recompute keeps it (until unlocked)."""

    _name = "customer.tier.override"
    _description = "Override Customer Tier"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    tier = fields.Selection(ARCHIVE_TIERS, string="New Tier", required=True)
    lock = fields.Boolean(
        string="Lock the Tier",
        default=True,
        help="The tier recompute keeps this tier until a manager unlocks it.",
    )
    reason = fields.Text(required=True, help="Why the tier is set by hand; kept in the tier history.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner" and "partner_ids" in fields_list:
            partner_ids = self.env.context.get("active_ids") or []
            values["partner_ids"] = [(6, 0, partner_ids)]
            partners = self.env["res.partner"].browse(partner_ids)
            if len(set(partners.mapped("archive_tier"))) == 1 and "tier" in fields_list:
                values.setdefault("tier", partners[:1].archive_tier or False)
        return values

    def action_apply(self):
        self.ensure_one()
        partners = self.partner_ids
        if not partners._archive_is_tier_manager():
            raise AccessError(
                self.env._(
                    "Only marketing managers, customer service managers and archive "
                    "administrators may override the tier of a customer."
                )
            )
        if not self.reason or not self.reason.strip():
            raise UserError(
                self.env._("Give the Reason of the tier override: it is kept in the tier history.")
            )
        values = {"archive_tier": self.tier}
        if self.lock:
            values.update(
                archive_tier_locked=True,
                archive_tier_lock_reason=self.reason,
                archive_tier_locked_by_id=self.env.uid,
            )
        partners.with_context(
            archive_tier_change_reason="manual", archive_tier_change_note=self.reason
        ).write(values)
        return {"type": "ir.actions.act_window_close"}
