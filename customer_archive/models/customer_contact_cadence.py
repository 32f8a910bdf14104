from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .res_partner import ARCHIVE_TIERS


class CustomerContactCadence(models.Model):
    """How often the customers of one tier are called, visited and reviewed
    (客户档案分类管理表). One row per tier, edited by managers: the contact
    plan job reads these rows, no interval is written in the code."""

    _name = "customer.contact.cadence"
    _description = "Customer Contact Cadence"
    _order = "tier"
    _rec_name = "tier"

    tier = fields.Selection(ARCHIVE_TIERS, required=True)
    active = fields.Boolean(default=True)
    call_interval_days = fields.Integer(
        string="Phone Call Every (Days)",
        required=True,
        default=7,
        help="Days between two planned phone calls, counted from the last completed call.",
    )
    call_summary = fields.Char(
        translate=True,
        required=True,
        default="Phone call with the customer",
        help="Summary of the planned call activity.",
    )
    visit_interval_months = fields.Integer(
        string="Visit Every (Months)",
        required=True,
        default=3,
        help="Months between two planned visits, counted from the last completed visit.",
    )
    visit_summary = fields.Char(
        string="Person to Visit",
        translate=True,
        required=True,
        default="Visit the marketing director or above",
        help="Whom the rep visits; becomes the summary of the planned visit.",
    )
    news_interval_days = fields.Integer(
        string="Collect News Every (Days)",
        default=0,
        help="Days between two 'collect news and propose cooperation openings' tasks "
        "for the dedicated person. 0: no such task for this tier.",
    )
    news_summary = fields.Char(
        string="News Task Summary",
        translate=True,
        default="Collect news (trade press, website) and propose cooperation openings",
    )
    review_interval_months = fields.Integer(
        string="Review Every (Months)",
        required=True,
        default=6,
        help="Months between two reviews of the archive: quarterly for high-net-worth "
        "(A) customers, half-yearly for the others.",
    )
    share_note = fields.Char(string="Share of Customers", translate=True)

    _sql_constraints = [
        ("tier_unique", "unique(tier)", "Each tier has exactly one contact cadence: edit the existing row."),
    ]

    @api.constrains(
        "call_interval_days", "visit_interval_months", "news_interval_days", "review_interval_months"
    )
    def _check_intervals(self):
        for cadence in self:
            if (
                cadence.call_interval_days <= 0
                or cadence.visit_interval_months <= 0
                or cadence.review_interval_months <= 0
                or cadence.news_interval_days < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The intervals of the contact cadence of tier %(tier)s must be positive "
                        "(Collect News Every (Days) may be 0 to disable the task).",
                        tier=cadence.tier.upper(),
                    )
                )

    @api.model
    def _review_months_by_tier(self):
        """{tier: review months}; ``False`` (archives without a tier) maps to
        the longest interval.

        Not cached: one small query, made once per batch by the callers
        (``customer.contact.plan._review_dates``), so a cadence edit has no
        cache to clear (the registry's ormcache is cleared as a whole, in
        every worker)."""
        # sudo: the cadences are configuration every archive user relies on.
        cadences = self.sudo().search([("tier", "!=", False)])
        months = {cadence.tier: cadence.review_interval_months for cadence in cadences}
        months[False] = max(months.values(), default=0)
        return months

    def write(self, vals):
        res = super().write(vals)
        if {"call_interval_days", "visit_interval_months", "review_interval_months"} & set(vals):
            # New intervals move the open planned contacts of the tier.
            partners = self.env["res.partner"].search([("archive_tier", "in", self.mapped("tier"))])
            partners._archive_reschedule_plan()
        return res
