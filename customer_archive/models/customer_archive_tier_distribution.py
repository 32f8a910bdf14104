from odoo import fields, models, tools
from odoo.tools import SQL

from .res_partner import ARCHIVE_TIERS

# How many months back the distribution goes (Settings → Customer Archive → Analysis).
PARAM_MONTHS = "customer_archive.tier_distribution_months"
DEFAULT_MONTHS = 24
MAX_MONTHS = 120


class CustomerArchiveTierDistribution(models.Model):
    """The tier distribution over time: one row per archive and month, with
    the tier the archive had at the end of that month (today for the current
    month), rebuilt from the tier history (``customer.tier.history``).

    An archive whose tier was never changed since the history began counts
    with its present tier from its creation. The months are the last
    ``customer_archive.tier_distribution_months`` (a setting, read when the
    rows are read). The rep, department and access columns are the archive's
    of today: ``security/customer_archive_analysis_rules.xml`` gives these
    rows the read rules of the archives themselves, so a user counts only
    the archives they may read now.
    """

    _name = "customer.archive.tier.distribution"
    _description = "Tier Distribution over Time"
    _auto = False
    _order = "month desc, tier"
    _rec_name = "partner_id"

    month = fields.Date(readonly=True, help="First day of the month; the tier is the one at its end.")
    partner_id = fields.Many2one("res.partner", string="Customer Archive", readonly=True)
    tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    archive_count = fields.Integer(string="Archives", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible Rep", readonly=True)
    department_id = fields.Many2one("hr.department", string="Owning Department", readonly=True)
    # The archive's access columns (see res_partner_access.py): the record rules compare them.
    archive_access_scope = fields.Integer(readonly=True)
    archive_access_user_id = fields.Many2one("res.users", readonly=True)
    archive_access_tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    archive_access_restricted = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # spans: each tier an archive had, from the history row that set it
        # to the next one; archives without history have their tier since
        # creation. A month counts the span in force at its end.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH horizon AS (
                        SELECT LEAST(%(max)s, GREATEST(1, COALESCE(
                                   (SELECT value::int FROM ir_config_parameter
                                     WHERE key = %(param)s AND value ~ '^[0-9]{1,4}$'),
                                   %(default)s))) AS months
                    ), months AS (
                        SELECT m::date AS month,
                               m + INTERVAL '1 month' AS month_end
                          FROM horizon,
                               generate_series(
                                   date_trunc('month', now() AT TIME ZONE 'UTC')
                                       - (horizon.months - 1) * INTERVAL '1 month',
                                   date_trunc('month', now() AT TIME ZONE 'UTC'),
                                   INTERVAL '1 month') AS m
                    ), spans AS (
                        SELECT h.partner_id, h.tier_to AS tier, h.date AS since,
                               LEAD(h.date) OVER (PARTITION BY h.partner_id ORDER BY h.date, h.id) AS until
                          FROM customer_tier_history h
                        UNION ALL
                        SELECT p.id, p.archive_tier, p.create_date, NULL
                          FROM res_partner p
                         WHERE p.archive_tier IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM customer_tier_history h WHERE h.partner_id = p.id)
                    )
                    SELECT p.id::bigint * 10000
                               + mod((EXTRACT(YEAR FROM m.month) * 12 + EXTRACT(MONTH FROM m.month))::int, 10000) AS id,
                           m.month, s.partner_id, s.tier, 1 AS archive_count,
                           p.user_id, p.archive_department_id AS department_id,
                           p.archive_access_scope, p.archive_access_user_id, p.archive_access_tier,
                           p.archive_access_restricted
                      FROM spans s
                      JOIN months m ON s.since < m.month_end AND (s.until IS NULL OR s.until >= m.month_end)
                      JOIN res_partner p ON p.id = s.partner_id
                     WHERE s.tier IS NOT NULL
                       AND p.is_customer_archive AND p.active AND p.parent_id IS NULL
                )
                """,
                table=SQL.identifier(self._table),
                param=PARAM_MONTHS,
                default=DEFAULT_MONTHS,
                max=MAX_MONTHS,
            )
        )

    def action_open_archives(self):
        """The archives behind the selected rows (read with the user's rules)."""
        partners = self.env["res.partner"].search([("id", "in", self.partner_id.ids)])
        return partners._archive_analysis_open_action(self.env._("Archives"))
