import json
import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The common Chinese 8-segment RFM model (RFM客户分群): each of recency,
# frequency and monetary value is "high" or "low" against the mean of the
# customers with transactions; the eight combinations are the segments.
RFM_SEGMENTS = [
    ("important_value", "Important Value (重要价值)"),
    ("important_develop", "Important Development (重要发展)"),
    ("important_keep", "Important Retention (重要保持)"),
    ("important_retain", "Important Win-back (重要挽留)"),
    ("general_value", "General Value (一般价值)"),
    ("general_develop", "General Development (一般发展)"),
    ("general_keep", "General Retention (一般保持)"),
    ("general_retain", "General Win-back (一般挽留)"),
]
# (recency high, frequency high, monetary high) -> segment
RFM_SEGMENT_BY_LEVELS = {
    (True, True, True): "important_value",
    (True, False, True): "important_develop",
    (False, True, True): "important_keep",
    (False, False, True): "important_retain",
    (True, True, False): "general_value",
    (True, False, False): "general_develop",
    (False, True, False): "general_keep",
    (False, False, False): "general_retain",
}

COMPLETENESS_BANDS = [
    ("0_49", "Below 50 %"),
    ("50_79", "50–79 %"),
    ("80_99", "80–99 %"),
    ("100", "Complete"),
]

CHURN_REASONS = ("overdue_purchase", "inactive", "complaint", "missed_contact")

# Settings of the analysis (Settings → Customer Archive → Analysis), with their defaults.
ANALYSIS_PARAMETERS = {
    "customer_archive.analysis_inactive_months": 12,
    "customer_archive.analysis_interval_factor": 2.0,
    "customer_archive.analysis_complaint_days": 90,
    "customer_archive.analysis_lifetime_years": 3.0,
    "customer_archive.analysis_top_share": 20.0,
}

# Fields the nightly job writes in SQL: the ORM is told afterwards.
ANALYSIS_FIELDS = (
    "archive_rfm_recency_days",
    "archive_rfm_r_score",
    "archive_rfm_f_score",
    "archive_rfm_m_score",
    "archive_rfm_score",
    "archive_rfm_segment",
    "archive_purchase_interval_days",
    "archive_repeat_rate",
    "archive_retention_rate",
    "archive_churn_rate",
    "archive_no_recent_transaction",
    "archive_lifetime_value",
    "archive_value_rank",
    "archive_value_top",
    "archive_satisfaction_score",
    "archive_satisfaction_count",
    "archive_churn_risk",
    "archive_churn_reason_codes",
    "archive_churn_risk_date",
)

# Advisory lock of the analysis job: two runs never update the same rows at once.
ANALYSIS_LOCK = 0x43414E41  # "CANA"
# The nightly job in committed chunks (customer.archive.batch.run): archives
# written per transaction, and the system parameter of the seconds one call
# of the cron may work (default 30) before it re-triggers itself.
ANALYSIS_CHUNK = 20000
PARAM_TIME_BUDGET = "customer_archive.analysis_time_budget"


class ResPartner(models.Model):
    """Customer analytics (信息分析) stored on the archive: RFM score and
    segment, loyalty, value, satisfaction and an explainable churn risk.

    Everything here is written by one set-based SQL statement of the nightly
    job (``_archive_compute_analysis``); the fields are read-only and shown
    on the archive's Analysis page, filtered and grouped in Contacts and
    summed by the analysis views."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_rfm_recency_days = fields.Integer(
        string="Days Since Last Transaction", readonly=True, copy=False, aggregator="avg"
    )
    archive_rfm_r_score = fields.Integer(
        string="R Score",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Recency quintile, 5 = most recent.",
    )
    archive_rfm_f_score = fields.Integer(
        string="F Score", readonly=True, copy=False, aggregator="avg", help="Frequency quintile, 5 = most."
    )
    archive_rfm_m_score = fields.Integer(
        string="M Score", readonly=True, copy=False, aggregator="avg", help="Monetary quintile, 5 = most."
    )
    archive_rfm_score = fields.Integer(
        string="RFM Score",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="R, F and M scores (1–5 each, quintiles among the customers with transactions) added up: 3–15.",
    )
    archive_rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        readonly=True,
        copy=False,
        index=True,
        help="Recency, frequency and monetary value compared with the mean of all customers "
        "with transactions: important (monetary above the mean) or general, value / development / "
        "retention / win-back by recency and frequency.",
    )
    archive_purchase_interval_days = fields.Float(
        string="Usual Purchase Interval (Days)",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="Days between the first and the last transaction divided by the number of intervals.",
    )
    archive_repeat_rate = fields.Float(
        string="Repeat Purchase (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 for a customer with two transactions or more, 0 for one: averaged, the repeat-purchase rate.",
    )
    archive_retention_rate = fields.Float(
        string="Retention (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 for a customer who bought again in a later year than the first transaction, 0 otherwise: "
        "averaged per cohort (year of the first transaction), the cohort's retention.",
    )
    archive_churn_rate = fields.Float(
        string="Churn (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 for a customer without a transaction for the configured number of months, 0 otherwise.",
    )
    archive_no_recent_transaction = fields.Boolean(
        string="No Recent Transaction",
        readonly=True,
        copy=False,
        help="No transaction for the number of months set in Settings → Customer Archive (default 12).",
    )
    archive_lifetime_value = fields.Monetary(
        string="Lifetime Value",
        currency_field="archive_currency_id",
        readonly=True,
        copy=False,
        help="Simple lifetime value: average transaction × transactions per year × expected lifetime (years, "
        "Settings).",
    )
    archive_value_rank = fields.Integer(
        string="Value Rank",
        readonly=True,
        copy=False,
        aggregator=False,
        help="1 = highest transaction total.",
    )
    archive_value_top = fields.Boolean(
        string="Top Customer",
        readonly=True,
        copy=False,
        help="Among the top share (20 % by default) of the customers by transaction total.",
    )
    archive_satisfaction_score = fields.Float(
        string="Satisfaction",
        readonly=True,
        copy=False,
        digits=(16, 2),
        aggregator="avg",
        help="Mean satisfaction score (1–5) of the return calls and surveys.",
    )
    archive_satisfaction_count = fields.Integer(string="Satisfaction Scores", readonly=True, copy=False)
    archive_churn_risk = fields.Boolean(string="At Risk", readonly=True, copy=False, index=True)
    archive_churn_reason_codes = fields.Char(readonly=True, copy=False)
    archive_churn_risk_date = fields.Date(string="At Risk Since", readonly=True, copy=False)
    archive_churn_reasons = fields.Text(string="Risk Reasons", compute="_compute_archive_churn_reasons")
    archive_completeness_band = fields.Selection(
        COMPLETENESS_BANDS,
        string="Completeness Band",
        compute="_compute_archive_completeness_band",
        store=True,
    )

    @api.depends("archive_completeness", "is_customer_archive")
    def _compute_archive_completeness_band(self):
        for partner in self:
            score = partner.archive_completeness or 0
            if not partner.is_customer_archive:
                partner.archive_completeness_band = False
            elif score >= 100:
                partner.archive_completeness_band = "100"
            elif score >= 80:
                partner.archive_completeness_band = "80_99"
            elif score >= 50:
                partner.archive_completeness_band = "50_79"
            else:
                partner.archive_completeness_band = "0_49"

    @api.depends("archive_churn_reason_codes", "archive_rfm_recency_days", "archive_purchase_interval_days")
    @api.depends_context("lang")
    def _compute_archive_churn_reasons(self):
        params = self._archive_analysis_parameters()
        for partner in self:
            lines = []
            for code in (partner.archive_churn_reason_codes or "").split(","):
                if code == "overdue_purchase":
                    lines.append(
                        self.env._(
                            "No transaction for %(days)s days, more than %(factor)s× the customer's usual "
                            "interval of %(interval)s days.",
                            days=partner.archive_rfm_recency_days,
                            factor=params["customer_archive.analysis_interval_factor"],
                            interval=round(partner.archive_purchase_interval_days),
                        )
                    )
                elif code == "inactive":
                    lines.append(
                        self.env._(
                            "No transaction for more than %(months)s months.",
                            months=params["customer_archive.analysis_inactive_months"],
                        )
                    )
                elif code == "complaint":
                    lines.append(
                        self.env._(
                            "A complaint in the last %(days)s days.",
                            days=params["customer_archive.analysis_complaint_days"],
                        )
                    )
                elif code == "missed_contact":
                    lines.append(self.env._("A planned call or visit is overdue."))
            partner.archive_churn_reasons = "\n".join(lines) or False

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------
    @api.model
    def _archive_analysis_parameters(self):
        # sudo: the analysis settings are configuration every archive user is measured against
        get_param = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for key, default in ANALYSIS_PARAMETERS.items():
            try:
                values[key] = type(default)(get_param(key, default))
            except (TypeError, ValueError):
                values[key] = default
        return values

    # ------------------------------------------------------------------
    # Nightly job
    # ------------------------------------------------------------------
    @api.model
    def _archive_analysis_query(self, today):
        """The statement computing every stored analysis figure of every
        active customer archive (selects ``id`` and one column per field of
        ``ANALYSIS_FIELDS``, plus ``old_risk``)."""
        params = self._archive_analysis_parameters()
        return SQL(
            """
            WITH base AS (
                SELECT p.id, p.archive_transaction_count AS f, p.archive_transaction_total AS m,
                       p.archive_first_transaction_date AS first_date, p.archive_last_transaction_date AS last_date,
                       p.archive_transaction_average AS average, p.archive_transaction_frequency AS frequency,
                       (%(today)s::date - p.archive_last_transaction_date) AS recency,
                       COALESCE(p.archive_churn_risk, FALSE) AS old_risk, p.archive_churn_risk_date AS old_risk_date
                  FROM res_partner p
                 WHERE p.is_customer_archive AND p.parent_id IS NULL AND p.active
            ), buyers AS (
                SELECT id,
                       ntile(5) OVER (ORDER BY recency DESC, id) AS r_score,
                       ntile(5) OVER (ORDER BY f, id) AS f_score,
                       ntile(5) OVER (ORDER BY m, id) AS m_score,
                       row_number() OVER (ORDER BY m DESC, id) AS value_rank,
                       count(*) OVER () AS buyer_count,
                       recency < avg(recency) OVER () AS r_high,
                       f > avg(f) OVER () AS f_high,
                       m > avg(m) OVER () AS m_high
                  FROM base
                 WHERE f > 0 AND last_date IS NOT NULL
            ), satisfaction AS (
                SELECT i.partner_id, round(avg(i.satisfaction_score), 2) AS score, count(*) AS scores
                  FROM customer_archive_interaction i
                 WHERE i.satisfaction_score BETWEEN 1 AND 5
                 GROUP BY i.partner_id
            ), complaints AS (
                SELECT DISTINCT fb.partner_id
                  FROM customer_archive_feedback fb
                 WHERE fb.feedback_type = 'complaint' AND fb.date > %(today)s::date - %(complaint_days)s
            ), missed AS (
                SELECT DISTINCT a.res_id
                  FROM mail_activity a
                 WHERE a.res_model = 'res.partner' AND a.active AND a.archive_plan_kind IN ('call', 'visit')
                   AND COALESCE(a.archive_deadline, a.date_deadline) < %(today)s::date
            ), reasons AS (
                SELECT b.id,
                       NULLIF(concat_ws(',',
                           CASE WHEN b.f >= 2 AND b.recency >
                                     %(factor)s * GREATEST((b.last_date - b.first_date)::float / (b.f - 1), 1)
                                THEN 'overdue_purchase' END,
                           CASE WHEN b.f >= 1
                                 AND b.last_date < (%(today)s::date - make_interval(months => %(months)s))::date
                                THEN 'inactive' END,
                           CASE WHEN c.partner_id IS NOT NULL THEN 'complaint' END,
                           CASE WHEN ms.res_id IS NOT NULL THEN 'missed_contact' END
                       ), '') AS codes
                  FROM base b
                  LEFT JOIN complaints c ON c.partner_id = b.id
                  LEFT JOIN missed ms ON ms.res_id = b.id
            )
            SELECT b.id, b.old_risk,
                   b.recency AS archive_rfm_recency_days,
                   bu.r_score AS archive_rfm_r_score,
                   bu.f_score AS archive_rfm_f_score,
                   bu.m_score AS archive_rfm_m_score,
                   bu.r_score + bu.f_score + bu.m_score AS archive_rfm_score,
                   CASE WHEN bu.id IS NULL THEN NULL
                        WHEN bu.m_high THEN CASE WHEN bu.r_high AND bu.f_high THEN 'important_value'
                                                 WHEN bu.r_high THEN 'important_develop'
                                                 WHEN bu.f_high THEN 'important_keep'
                                                 ELSE 'important_retain' END
                        ELSE CASE WHEN bu.r_high AND bu.f_high THEN 'general_value'
                                  WHEN bu.r_high THEN 'general_develop'
                                  WHEN bu.f_high THEN 'general_keep'
                                  ELSE 'general_retain' END
                   END AS archive_rfm_segment,
                   CASE WHEN b.f >= 2 THEN round(((b.last_date - b.first_date)::numeric / (b.f - 1)), 1)
                   END AS archive_purchase_interval_days,
                   CASE WHEN bu.id IS NOT NULL THEN CASE WHEN b.f >= 2 THEN 100.0 ELSE 0.0 END END
                       AS archive_repeat_rate,
                   CASE WHEN bu.id IS NOT NULL THEN
                        CASE WHEN extract(year FROM b.last_date) > extract(year FROM b.first_date)
                             THEN 100.0 ELSE 0.0 END END AS archive_retention_rate,
                   CASE WHEN bu.id IS NOT NULL THEN
                        CASE WHEN strpos(r.codes, 'inactive') > 0 THEN 100.0 ELSE 0.0 END END AS archive_churn_rate,
                   COALESCE(strpos(r.codes, 'inactive') > 0, FALSE) AS archive_no_recent_transaction,
                   CASE WHEN bu.id IS NOT NULL
                        THEN round((b.average * b.frequency * %(lifetime)s)::numeric, 2) END
                       AS archive_lifetime_value,
                   bu.value_rank AS archive_value_rank,
                   COALESCE(bu.value_rank <= ceil(bu.buyer_count * %(top_share)s / 100.0), FALSE)
                       AS archive_value_top,
                   s.score AS archive_satisfaction_score,
                   COALESCE(s.scores, 0) AS archive_satisfaction_count,
                   r.codes IS NOT NULL AS archive_churn_risk,
                   r.codes AS archive_churn_reason_codes,
                   CASE WHEN r.codes IS NULL THEN NULL
                        WHEN b.old_risk THEN COALESCE(b.old_risk_date, %(today)s::date)
                        ELSE %(today)s::date END AS archive_churn_risk_date
              FROM base b
              LEFT JOIN buyers bu ON bu.id = b.id
              LEFT JOIN satisfaction s ON s.partner_id = b.id
              LEFT JOIN reasons r ON r.id = b.id
            """,
            today=today,
            months=params["customer_archive.analysis_inactive_months"],
            factor=params["customer_archive.analysis_interval_factor"],
            complaint_days=params["customer_archive.analysis_complaint_days"],
            lifetime=params["customer_archive.analysis_lifetime_years"],
            top_share=params["customer_archive.analysis_top_share"],
        )

    @api.model
    def _archive_compute_analysis(self):
        """Recompute the stored analysis figures of all customer archives,
        in one transaction (the Settings button, tests; the cron works in
        chunks: ``_cron_archive_compute_analysis``).

        One statement computes the figures, updates the archives whose
        figures changed and creates the "customer at risk" activities
        (``_archive_analysis_apply``). Returns ``(changed partner ids,
        activities created)``.
        """
        started = time.monotonic()
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", ANALYSIS_LOCK))
        # an analysis of now supersedes an unfinished chunked one
        self.env["customer.archive.batch.run"]._supersede("analysis")
        self.env.flush_all()
        today = fields.Date.context_today(self)
        changed_ids, activity_count = self._archive_analysis_apply(self._archive_analysis_query(today), today)
        _logger.info(
            "Customer analysis: %d archives changed, %d at-risk activities, %.2fs",
            len(changed_ids),
            activity_count,
            time.monotonic() - started,
        )
        return changed_ids, activity_count

    @api.model
    def _archive_analysis_apply(self, computed, today):
        """Write analysis figures: ``computed`` selects ``id``, ``old_risk``
        and a column per field of ``ANALYSIS_FIELDS`` (the analysis query,
        or a chunk of a run's work table).

        One statement updates the archives whose figures changed and creates
        a "customer at risk" activity for the rep of every A or B customer
        that has just become at risk (once: not while it stays at risk, and
        never next to an open one). The ORM is told afterwards
        (``modified``) so that stored fields depending on these columns
        follow. Returns ``(changed partner ids, activities created)``."""
        cr = self.env.cr
        activity_type = self.env.ref("customer_archive.mail_activity_type_archive_at_risk")
        summaries = {}
        for lang, _name in self.env["res.lang"].get_installed():
            summaries[lang] = self.with_context(lang=lang).env._(
                "Customer at risk: see the reasons on the Analysis page and contact the customer"
            )
        # Columns of Float fields with digits are numeric: the query computes
        # them as rounded numerics, so that "IS DISTINCT FROM" compares equal
        # values as equal and a run with nothing new writes nothing.
        assignments = SQL(", ").join(
            SQL("%s = c.%s", SQL.identifier(name), SQL.identifier(name)) for name in ANALYSIS_FIELDS
        )
        cr.execute(
            SQL(
                """
                WITH computed AS (%(computed)s),
                updated AS (
                    UPDATE res_partner p SET %(assignments)s
                      FROM computed c
                     WHERE p.id = c.id AND (%(differs)s)
                 RETURNING p.id, c.old_risk, c.archive_churn_risk AS new_risk
                ),
                newly AS (
                    SELECT p.id, p.complete_name, p.user_id, up.tz, up.lang
                      FROM updated u
                      JOIN res_partner p ON p.id = u.id
                      JOIN res_users usr ON usr.id = p.user_id AND usr.active
                      JOIN res_partner up ON up.id = usr.partner_id
                     WHERE u.new_risk AND NOT u.old_risk AND p.archive_tier IN ('a', 'b')
                       AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                        WHERE a.res_model = 'res.partner' AND a.res_id = p.id
                                          AND a.activity_type_id = %(type_id)s AND a.active)
                ),
                activities AS (
                    INSERT INTO mail_activity
                           (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                            date_deadline, user_id, user_tz, automated, active,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(model_id)s, 'res.partner', n.id, n.complete_name, %(type_id)s,
                           COALESCE(%(summaries)s::jsonb ->> n.lang, %(summaries)s::jsonb ->> 'en_US'),
                           %(today)s, n.user_id, n.tz, TRUE, TRUE,
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM newly n
                 RETURNING id
                )
                SELECT (SELECT array_agg(id) FROM updated), (SELECT count(*) FROM activities)
                """,
                computed=computed,
                assignments=assignments,
                differs=self._archive_analysis_differs(),
                type_id=activity_type.id,
                model_id=self.env["ir.model"]._get_id("res.partner"),
                summaries=json.dumps(summaries),
                today=today,
                uid=self.env.uid,
            )
        )
        changed_ids, activity_count = cr.fetchone()
        changed_ids = changed_ids or []
        self.invalidate_model(list(ANALYSIS_FIELDS))
        if activity_count:
            self.env["mail.activity"].invalidate_model()
            self.invalidate_model(["activity_ids"])
        if changed_ids:
            # Stored fields depending on the columns written above follow.
            self.browse(changed_ids).modified(list(ANALYSIS_FIELDS))
            self.env.flush_all()
        return changed_ids, activity_count

    @api.model
    def _archive_analysis_differs(self):
        """SQL: the figures of ``c`` differ from those of the archive ``p``."""
        return SQL(" OR ").join(
            SQL("p.%s IS DISTINCT FROM c.%s", SQL.identifier(name), SQL.identifier(name))
            for name in ANALYSIS_FIELDS
        )

    @api.model
    def _cron_archive_compute_analysis(self, time_budget=None, commit=None, chunk_size=ANALYSIS_CHUNK):
        """The nightly analysis in committed, resumable chunks
        (``customer.archive.batch.run``): the first chunk computes every
        figure once into the run's work table (one consistent ranking of
        RFM and value for the whole run), the next ones write
        ``chunk_size`` archives each (``_archive_analysis_apply``), the last
        ones add the closed months missing from the tier distribution
        (``customer.archive.tier.snapshot._refresh``), one month per chunk.
        A call works for the time budget (setting
        ``customer_archive.analysis_time_budget``, 30 s) and re-triggers the
        cron while work is left. Returns True when the run is done."""
        return self.env["customer.archive.batch.run"]._call(
            "analysis",
            lambda run: self._archive_analysis_step(run, chunk_size),
            lock=ANALYSIS_LOCK,
            cron_xmlid="customer_archive.ir_cron_archive_compute_analysis",
            budget_param=PARAM_TIME_BUDGET,
            time_budget=time_budget,
            commit=commit,
        )

    @api.model
    def _archive_analysis_step(self, run, chunk_size):
        """One chunk of the chunked analysis ``run``."""
        today = fields.Date.context_today(self)
        if run.state == "prepare":
            self.env.flush_all()
            # only the archives whose figures change
            count = run._create_work_table(
                SQL(
                    "SELECT c.* FROM (%s) AS c JOIN res_partner p ON p.id = c.id WHERE %s",
                    self._archive_analysis_query(today),
                    self._archive_analysis_differs(),
                )
            )
            run.write({"line_count": count, "state": "apply"})
        elif run.state == "apply":
            where, last_id, is_last = run._next_chunk(chunk_size)
            changed_ids, activity_count = self._archive_analysis_apply(
                SQL("SELECT w.* FROM %s w WHERE %s", run._work_table(), where), today
            )
            run.write(
                {
                    "partner_cursor": last_id,
                    "changed_count": run.changed_count + len(changed_ids),
                    "activity_count": run.activity_count + activity_count,
                    "state": "snapshot" if is_last else "apply",
                }
            )
            if is_last:
                run._drop_work_table()
        else:
            # the month just closed (or any missing one) joins the tier distribution over time
            Snapshot = self.env["customer.archive.tier.snapshot"]
            # after the last month added (a month without any archive stays without rows)
            months = [
                month
                for month in Snapshot._missing_months()
                if not run.month_cursor or month > run.month_cursor
            ]
            # (also drops the months beyond the horizon)
            Snapshot._refresh(months=months[:1])
            if months:
                run.month_cursor = months[0]
            if len(months) <= 1:
                run._finish()

    # ------------------------------------------------------------------
    # Drill-down
    # ------------------------------------------------------------------
    def _archive_analysis_open_action(self, name, domain=None):
        """The Customer Archives list over ``domain`` (or these partners)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_archive.action_customer_archive")
        action.pop("path", None)
        action.update(
            {
                "name": name,
                "domain": domain if domain is not None else [("id", "in", self.ids)],
                "context": {"create": False},
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
                "view_mode": "list,kanban,form",
                "target": "current",
            }
        )
        return action
