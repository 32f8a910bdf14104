from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.notification import notify
from . import customer_tier_policy
from .customer_archive_tier_distribution import DEFAULT_MONTHS, MAX_MONTHS, PARAM_MONTHS


class ResConfigSettings(models.TransientModel):
    """Settings → Customer Archive → Analysis: the thresholds of the customer analytics."""

    # The analysis settings; the other settings are in res_config_settings.py.
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    archive_analysis_inactive_months = fields.Integer(
        string="No Transaction For (Months)",
        config_parameter="customer_archive.analysis_inactive_months",
        default=12,
        help="A customer without a transaction for this many months counts as lost (churn) and at risk.",
    )
    archive_analysis_interval_factor = fields.Float(
        string="Overdue Purchase Factor",
        config_parameter="customer_archive.analysis_interval_factor",
        default=2.0,
        help="A customer is at risk when the days since the last transaction exceed this many times "
        "the customer's own usual interval between transactions.",
    )
    archive_analysis_complaint_days = fields.Integer(
        string="Recent Complaint (Days)",
        config_parameter="customer_archive.analysis_complaint_days",
        default=90,
        help="A complaint within this many days puts the customer at risk.",
    )
    archive_analysis_lifetime_years = fields.Float(
        string="Expected Customer Lifetime (Years)",
        config_parameter="customer_archive.analysis_lifetime_years",
        default=3.0,
        help="Lifetime value = average transaction × transactions per year × this many years.",
    )
    archive_analysis_top_share = fields.Float(
        string="Top Customers (%)",
        config_parameter="customer_archive.analysis_top_share",
        default=20.0,
        help="Share of the customers, by transaction total, counted as top customers.",
    )

    archive_tier_distribution_months = fields.Integer(
        string="Months Shown",
        config_parameter=PARAM_MONTHS,
        default=DEFAULT_MONTHS,
        help="The tier distribution over time shows this many months, the current one included.",
    )

    @api.constrains("archive_tier_distribution_months")
    def _check_tier_distribution_months(self):
        for settings in self:
            if not 1 <= settings.archive_tier_distribution_months <= MAX_MONTHS:
                raise ValidationError(
                    self.env._(
                        "Months Shown of the tier distribution must be between 1 and %(max)s.",
                        max=MAX_MONTHS,
                    )
                )

    def action_archive_compute_analysis(self):
        """Recompute Now: at once up to the limit of the tiers' Recompute Now
        (the user sees the result); above, a request could not finish within
        the worker's time limit, so the chunked run of the nightly job starts
        now and the whole tier distribution is rebuilt in the request only
        for small databases."""
        self.env.cr.execute(SQL("SELECT count(*) FROM res_partner WHERE is_customer_archive"))
        count = self.env.cr.fetchone()[0]
        if count > customer_tier_policy.RECOMPUTE_NOW_LIMIT:
            # sudo: a settings user starts the job's cron, which runs as its own user.
            self.env.ref("customer_archive.ir_cron_archive_compute_analysis").sudo()._trigger()
            return notify(
                self.env._(
                    "The analysis of the %(count)s customer archives runs in the background, "
                    "a few thousand at a time: the figures are updated in a few minutes.",
                    count=count,
                )
            )
        self.env["res.partner"]._archive_compute_analysis()
        self.env["customer.archive.tier.snapshot"]._refresh(full=True)
        return notify(self.env._("The customer analysis is up to date."))
