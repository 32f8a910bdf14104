from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings → Customer Archive: the active tier policy's target shares and
    update discipline, with links to the full policy and the cadences."""

    _inherit = "res.config.settings"

    archive_tier_policy_id = fields.Many2one(
        "customer.tier.policy",
        string="Tier Policy",
        config_parameter="customer_archive.tier_policy_id",
        default=lambda self: self.env["customer.tier.policy"]._get_active_policy(),
        help="The policy the nightly tier recompute, Recompute Now and the update deadlines apply.",
    )
    archive_tier_share_a = fields.Float(related="archive_tier_policy_id.share_a", readonly=False)
    archive_tier_share_b = fields.Float(related="archive_tier_policy_id.share_b", readonly=False)
    archive_tier_share_c = fields.Float(related="archive_tier_policy_id.share_c")
    archive_tier_rank_per_region = fields.Boolean(
        related="archive_tier_policy_id.rank_per_region", readonly=False
    )
    archive_update_due_days = fields.Integer(related="archive_tier_policy_id.update_due_days", readonly=False)
    archive_update_deadline_days = fields.Integer(
        related="archive_tier_policy_id.update_deadline_days", readonly=False
    )
    archive_tier_last_recompute_date = fields.Datetime(related="archive_tier_policy_id.last_recompute_date")

    def action_open_archive_tier_policy(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("customer_archive.action_customer_tier_policy")
        if self.archive_tier_policy_id:
            action.update(
                {"res_id": self.archive_tier_policy_id.id, "view_mode": "form", "views": [(False, "form")]}
            )
        return action

    def action_archive_recompute_tiers(self):
        self.ensure_one()
        if not self.archive_tier_policy_id:
            return self.action_open_archive_tier_policy()
        return self.archive_tier_policy_id.action_recompute_tiers()
