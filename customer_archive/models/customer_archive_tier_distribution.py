from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.report_view import create_report_view
from .res_partner import ARCHIVE_TIERS

# How many months back the distribution goes (Settings → Customer Archive → Analysis).
PARAM_MONTHS = "customer_archive.tier_distribution_months"
DEFAULT_MONTHS = 24
MAX_MONTHS = 120


class CustomerArchiveTierSnapshot(models.Model):
    """The tier each archive had at the end of each closed month, rebuilt
    from the tier history (``customer.tier.history``) by ``_refresh``.

    A closed month does not change any more, so the nightly job only adds
    the months that are missing (the one just closed, on the first night of
    a month) and drops those beyond the horizon; ``_refresh(full=True)``
    rebuilds everything (install, a new horizon). Nobody reads this table
    directly: ``customer.archive.tier.distribution`` adds the current month
    and the archives' access columns.
    """

    _name = "customer.archive.tier.snapshot"
    _description = "Tier of an Archive at a Month's End"
    _log_access = False
    _order = "month desc, id"

    month = fields.Date(required=True, index=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer Archive", required=True, ondelete="cascade", index=True, readonly=True
    )
    tier = fields.Selection(ARCHIVE_TIERS, required=True, readonly=True)

    @api.model
    def _months_shown(self):
        value = self.env["ir.config_parameter"].sudo().get_param(PARAM_MONTHS, "")
        months = int(value) if value.isdigit() else DEFAULT_MONTHS
        return min(max(months, 1), MAX_MONTHS)

    @api.model
    def _horizon(self):
        """(first month of the horizon, current month); UTC, as the current
        month of the distribution view."""
        this_month = fields.Date.today().replace(day=1)
        return this_month - relativedelta(months=self._months_shown() - 1), this_month

    @api.model
    def _missing_months(self):
        """The closed months of the horizon that have no rows yet."""
        first_month, this_month = self._horizon()
        self.env.cr.execute(
            SQL(
                """
                SELECT m::date FROM generate_series(%(first)s::date, %(last)s::date, INTERVAL '1 month') AS m
                 WHERE NOT EXISTS (SELECT 1 FROM %(table)s s WHERE s.month = m::date)
                 ORDER BY 1
                """,
                first=first_month,
                last=this_month - relativedelta(months=1),
                table=SQL.identifier(self._table),
            )
        )
        return [month for (month,) in self.env.cr.fetchall()]

    @api.model
    def _refresh(self, full=False, months=None):
        """Add the closed months of the horizon that have no rows yet (all of
        them with ``full``; only those of ``months`` when given: the nightly
        job adds one month per committed chunk) and drop the months before
        it. One INSERT … SELECT: each history row starts a span that
        the next one of the same archive ends; an archive without history
        has its tier since its creation; a month gets the span in force at
        its end. Returns the rows inserted."""
        first_month, this_month = self._horizon()
        cr = self.env.cr
        self.env["customer.tier.history"].flush_model(["partner_id", "tier_to", "date"])
        self.env["res.partner"].flush_model(["archive_tier"])
        if full:
            cr.execute(SQL("TRUNCATE %s", SQL.identifier(self._table)))
        else:
            cr.execute(
                SQL(
                    "DELETE FROM %s WHERE month < %s OR month >= %s",
                    SQL.identifier(self._table),
                    first_month,
                    this_month,
                )
            )
        missing = self._missing_months()
        months = [month for month in missing if months is None or month in months]
        if not months:
            return 0
        cr.execute(
            SQL(
                """
                WITH spans AS (
                    SELECT h.partner_id, h.tier_to AS tier, h.date AS since,
                           LEAD(h.date) OVER (PARTITION BY h.partner_id ORDER BY h.date, h.id) AS until
                      FROM customer_tier_history h
                    UNION ALL
                    SELECT p.id, p.archive_tier, p.create_date, NULL
                      FROM res_partner p
                     WHERE p.archive_tier IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM customer_tier_history h WHERE h.partner_id = p.id)
                )
                INSERT INTO %(table)s (month, partner_id, tier)
                SELECT m.month, s.partner_id, s.tier
                  FROM spans s
                  JOIN unnest(%(months)s::date[]) AS m(month)
                    ON s.since < m.month + INTERVAL '1 month'
                   AND (s.until IS NULL OR s.until >= m.month + INTERVAL '1 month')
                 WHERE s.tier IS NOT NULL
                """,
                table=SQL.identifier(self._table),
                months=months,
            )
        )
        self.invalidate_model()
        return cr.rowcount


class CustomerArchiveTierDistribution(models.Model):
    """The tier distribution over time: one row per archive and month, with
    the tier the archive had at the end of that month: the closed months
    from ``customer.archive.tier.snapshot`` (rebuilt nightly from the tier
    history), the current month from the archives' tiers of now.

    The rep, department and access columns are the archive's of now:
    ``security/customer_archive_analysis_rules.xml`` gives these rows the
    read rules of the archives themselves, so a user counts only the
    archives they may read today.
    """

    _name = "customer.archive.tier.distribution"
    _inherit = ["customer.archive.report.access.mixin"]
    _description = "Tier Distribution over Time"
    _auto = False
    _order = "month desc, tier"

    month = fields.Date(readonly=True, help="First day of the month; the tier is the one at its end.")
    tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    archive_count = fields.Integer(string="Archives", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible Rep", readonly=True)
    department_id = fields.Many2one("hr.department", string="Owning Department", readonly=True)

    def init(self):
        partner_columns = SQL(
            "p.user_id, p.archive_department_id AS department_id, %s", self._archive_access_view_columns()
        )
        create_report_view(
            self,
            SQL(
                """
                    SELECT s.id * 2 AS id, s.month, s.partner_id, s.tier, 1 AS archive_count, %(partner)s
                      FROM %(snapshot)s s
                      JOIN res_partner p ON p.id = s.partner_id
                     WHERE p.is_customer_archive AND p.active AND p.parent_id IS NULL
                    UNION ALL
                    SELECT p.id * 2 + 1, date_trunc('month', now() AT TIME ZONE 'UTC')::date, p.id, p.archive_tier,
                           1, %(partner)s
                      FROM res_partner p
                     WHERE p.archive_tier IS NOT NULL
                       AND p.is_customer_archive AND p.active AND p.parent_id IS NULL
                """,
                snapshot=SQL.identifier(self.env["customer.archive.tier.snapshot"]._table),
                partner=partner_columns,
            ),
        )
