from odoo import fields, models

from .res_partner import ARCHIVE_TIERS

TIER_CHANGE_REASONS = [
    ("recompute", "Recompute"),
    ("manual", "Manual"),
    ("import", "Import"),
]


class CustomerTierHistory(models.Model):
    """One change of a customer's ABC tier: from, to, when, why, by whom.

    Rows are written by ``res.partner._archive_apply_tier_change`` (one
    INSERT for any number of partners), for a change by the recompute, by
    hand or by an import alike; nobody edits them.
    """

    _name = "customer.tier.history"
    _description = "Customer Tier History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade", index=True, readonly=True
    )
    tier_from = fields.Selection(ARCHIVE_TIERS, string="From Tier", readonly=True)
    tier_to = fields.Selection(ARCHIVE_TIERS, string="To Tier", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True, index=True)
    reason = fields.Selection(TIER_CHANGE_REASONS, required=True, default="manual", readonly=True)
    # Translated: the recompute writes its note in every installed language.
    note = fields.Text(readonly=True, translate=True)
    score = fields.Float(readonly=True, digits=(16, 2))
    user_id = fields.Many2one(
        "res.users", string="Changed By", default=lambda self: self.env.user, readonly=True
    )
    partner_user_id = fields.Many2one(related="partner_id.user_id", string="Responsible Rep")
    archive_department_id = fields.Many2one(related="partner_id.archive_department_id")
