import logging
import time

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.notification import notify

_logger = logging.getLogger(__name__)

# Advisory lock key of the tier recompute: two runs (cron and button) never
# rank the same customers at the same time.
TIER_RECOMPUTE_LOCK = 0x43415449  # "CATI"

# The nightly recompute in committed chunks (customer.archive.batch.run):
# archives applied per transaction, and the system parameter of the seconds
# one call of the cron may work (default 30) before it re-triggers itself.
TIER_CHUNK = 10000
PARAM_TIME_BUDGET = "customer_archive.tier_recompute_time_budget"
# Up to this many rankable archives "Recompute Now" recomputes in the request
# (well under a minute); above, it starts the chunked run of the cron.
RECOMPUTE_NOW_LIMIT = 20000

# System parameter holding the id of the policy chosen in Settings: the one
# the scheduled recompute and the update deadlines apply.
ACTIVE_POLICY_PARAM = "customer_archive.tier_policy_id"

# Components of the score and the column expression each one ranks; the
# weights are fields of the policy, so a manager tunes them in Settings.
STRENGTH_COMPONENTS = {
    "weight_capital": "COALESCE(p.archive_registered_capital, 0)",
    "weight_sales": (
        "COALESCE(p.archive_sales_last_year, 0) + COALESCE(p.archive_sales_two_years_ago, 0) + COALESCE(p.archive_sales_three_years_ago, 0)"
    ),
    "weight_employees": "COALESCE(p.archive_employee_count, 0)",
    "weight_transactions": "COALESCE(p.archive_transaction_total, 0)",
}


class CustomerTierPolicy(models.Model):
    """Scoring rule of the ABC tiers (ABC分类管理): by region, customer strength
    and likelihood of a deal, with weights and the target shares of A/B/C.

    The score of a customer is, on a 0–100 scale, the weighted mean of:
    the region score (from the region lines, else the default), the
    percentile of each strength figure among all archives (registered
    capital, sales of the last three years, employees, transaction total)
    and the likelihood of a deal (0–100 %). Customers are then ranked by
    score, the best ``share_a`` % get A, the next ``share_b`` % B, the rest C
    — over all customers, or per province when ``rank_per_region`` is set.
    """

    _name = "customer.tier.policy"
    _description = "Customer Tier Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    share_a = fields.Float(
        string="Share of A (%)", default=20.0, required=True, help="Target share of A customers (20 %)."
    )
    share_b = fields.Float(
        string="Share of B (%)", default=40.0, required=True, help="Target share of B customers (40 %)."
    )
    share_c = fields.Float(
        string="Share of C (%)",
        compute="_compute_share_c",
        help="The rest: 100 % minus the shares of A and B.",
    )
    weight_region = fields.Float(string="Weight of Region", default=15.0)
    weight_capital = fields.Float(string="Weight of Registered Capital", default=15.0)
    weight_sales = fields.Float(string="Weight of Sales (Last 3 Years)", default=20.0)
    weight_employees = fields.Float(string="Weight of Employees", default=10.0)
    weight_transactions = fields.Float(string="Weight of Transaction Total", default=20.0)
    weight_likelihood = fields.Float(string="Weight of Deal Likelihood", default=20.0)
    default_region_score = fields.Float(
        default=50.0, help="Region score (0–100) of customers whose province and country have no region line."
    )
    region_score_ids = fields.One2many("customer.tier.policy.region", "policy_id", string="Region Scores")
    rank_per_region = fields.Boolean(
        string="Rank per Province",
        help="Apply the target shares inside each province (state) instead of over all customers.",
    )
    update_due_days = fields.Integer(
        string="Update Archive Within (Days)",
        default=1,
        required=True,
        help="After new information on a customer is logged, the archive update is due after this many days.",
    )
    update_deadline_days = fields.Integer(
        string="Update Deadline (Days)",
        default=2,
        required=True,
        help="Hard deadline of the archive update; past it the update is escalated to the rep's manager.",
    )
    last_recompute_date = fields.Datetime(string="Last Recompute", readonly=True)
    last_recompute_changes = fields.Integer(string="Tiers Changed at Last Recompute", readonly=True)

    @api.depends("share_a", "share_b")
    def _compute_share_c(self):
        for policy in self:
            policy.share_c = 100.0 - policy.share_a - policy.share_b

    @api.constrains(
        "share_a",
        "share_b",
        "weight_region",
        "weight_capital",
        "weight_sales",
        "weight_employees",
        "weight_transactions",
        "weight_likelihood",
        "default_region_score",
        "update_due_days",
        "update_deadline_days",
    )
    def _check_policy(self):
        for policy in self:
            if policy.share_a < 0 or policy.share_b < 0 or policy.share_a + policy.share_b > 100:
                raise ValidationError(
                    self.env._(
                        "Share of A (%(a)s %%) and Share of B (%(b)s %%) must be positive and add up "
                        "to at most 100 %%: the rest is C.",
                        a=policy.share_a,
                        b=policy.share_b,
                    )
                )
            weights = policy._weights()
            if any(weight < 0 for weight in weights.values()) or not sum(weights.values()):
                raise ValidationError(
                    self.env._("The weights of the tier policy must be positive and at least one above 0.")
                )
            if not 0 <= policy.default_region_score <= 100:
                raise ValidationError(self.env._("The Default Region Score must lie between 0 and 100."))
            if policy.update_due_days < 0 or policy.update_deadline_days < policy.update_due_days:
                raise ValidationError(
                    self.env._(
                        "Update Deadline (Days) must be at least Update Archive Within (Days), both positive."
                    )
                )

    def _weights(self):
        self.ensure_one()
        return {
            "weight_region": self.weight_region,
            "weight_likelihood": self.weight_likelihood,
            **{name: self[name] for name in STRENGTH_COMPONENTS},
        }

    @api.model
    def _get_active_policy(self):
        """The policy chosen in Settings → Customer Archive (stored in the
        system parameter ``ACTIVE_POLICY_PARAM``), else the first active one."""
        # sudo: the system parameter is read for every user whose work
        # follows the policy (update deadlines); only its id is used.
        value = self.env["ir.config_parameter"].sudo().get_param(ACTIVE_POLICY_PARAM)
        policy = self.browse(int(value)).exists() if value and value.isdigit() else self.browse()
        return policy.filtered("active") or self.search([], limit=1)

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------
    def _ranking_query(self):
        """SQL selecting, for every rankable customer archive, ``id``,
        ``old_tier``, ``score`` and ``new_tier`` (NULL for locked partners,
        which keep their tier but get their score).

        Returned as one ``odoo.tools.SQL`` (its parameters inside); used by
        the recompute and by the benchmark's one-statement floor.
        """
        self.ensure_one()
        weights = self._weights()
        total = sum(weights.values())
        strength_columns = SQL(",\n").join(
            SQL("percent_rank() OVER (ORDER BY %s) AS %s", SQL(expr), SQL.identifier(name))
            for name, expr in STRENGTH_COMPONENTS.items()
        )
        score_terms = SQL(" + ").join(
            SQL("%s * %s", weights[name], SQL.identifier(name))
            for name in ("weight_region", "weight_likelihood", *STRENGTH_COMPONENTS)
        )
        return SQL(
            """
            WITH base AS (
                SELECT p.id, p.archive_tier AS old_tier, COALESCE(p.archive_tier_locked, FALSE) AS locked,
                       CASE WHEN %(per_region)s THEN COALESCE(p.state_id, 0) ELSE 0 END AS region_key,
                       COALESCE(
                           (SELECT r.score FROM customer_tier_policy_region r
                             WHERE r.policy_id = %(policy)s AND r.state_id = p.state_id LIMIT 1),
                           (SELECT r.score FROM customer_tier_policy_region r
                             WHERE r.policy_id = %(policy)s AND r.state_id IS NULL
                               AND r.country_id = p.country_id LIMIT 1),
                           %(default_region)s
                       ) / 100.0 AS weight_region,
                       LEAST(GREATEST(COALESCE(p.archive_deal_likelihood, 0), 0), 100) / 100.0 AS weight_likelihood,
                       %(strength_columns)s
                  FROM res_partner p
                 WHERE p.is_customer_archive AND p.active
                   AND p.parent_id IS NULL
                   AND COALESCE(p.archive_state, 'draft') != 'closed'
            ), scored AS (
                SELECT id, old_tier, locked, region_key,
                       round((100.0 * (%(score_terms)s) / %(total)s)::numeric, 2)::float AS score
                  FROM base
            ), ranked AS (
                SELECT id,
                       (row_number() OVER (PARTITION BY region_key ORDER BY score DESC, id) - 1)::float
                       / count(*) OVER (PARTITION BY region_key) * 100.0 AS position
                  FROM scored
                 WHERE NOT locked
            )
            SELECT s.id, s.old_tier, s.score,
                   CASE WHEN r.id IS NULL THEN NULL
                        WHEN r.position < %(share_a)s THEN 'a'
                        WHEN r.position < %(share_ab)s THEN 'b'
                        ELSE 'c' END AS new_tier
              FROM scored s
              LEFT JOIN ranked r ON r.id = s.id
            """,
            strength_columns=strength_columns,
            score_terms=score_terms,
            total=total,
            per_region=self.rank_per_region,
            policy=self.id,
            default_region=self.default_region_score,
            share_a=self.share_a,
            share_ab=self.share_a + self.share_b,
        )

    def _recompute_note(self):
        """The history note of a recompute, one text per installed language."""
        self.ensure_one()
        return {
            lang: self.with_context(lang=lang).env._(
                "Recomputed by the tier policy %(policy)s",
                policy=self.with_context(lang=lang).name,
            )
            for lang, _name in self.env["res.lang"].get_installed()
        }

    def _recompute_tiers(self):
        """Rank all customer archives and write the new tiers set-based, in
        one transaction (the button on a small database, tests; the cron
        works in chunks: ``_cron_recompute_tiers``).

        The ranking (``_ranking_query``, SQL) is applied by
        ``res.partner._archive_apply_tier_changes`` — the method that applies
        a manual change too: one statement writes the new tiers and scores,
        tier dates, access columns, history rows and chatter lines; then the
        ORM is told what was written (so every stored field depending on the
        tier is recomputed) and the contact plan is rescheduled. Returns the
        ids of the partners whose tier changed.
        """
        self.ensure_one()
        cr = self.env.cr
        started = time.monotonic()
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", TIER_RECOMPUTE_LOCK))
        # a ranking of now supersedes an unfinished chunked one
        self.env["customer.archive.batch.run"]._supersede("tier_recompute")
        # Flush pending ORM writes (locks, likelihood, figures) before ranking in SQL.
        self.env.flush_all()
        changed = self.env["res.partner"]._archive_apply_tier_changes(
            SQL(
                """
                SELECT id, old_tier, COALESCE(new_tier, old_tier) AS new_tier, score,
                       new_tier IS NOT NULL AND new_tier IS DISTINCT FROM old_tier AS tier_changed
                  FROM (%s) AS ranking
                """,
                self._ranking_query(),
            ),
            "recompute",
            self._recompute_note(),
        )
        # The stored fields depending on the tiers, recomputed now.
        self.env.flush_all()
        self.write({"last_recompute_date": fields.Datetime.now(), "last_recompute_changes": len(changed)})
        _logger.info(
            "Tier policy %s: %d tiers changed in %.2fs",
            self.name,
            len(changed),
            time.monotonic() - started,
        )
        return changed.ids

    def _rankable_count(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM res_partner p
                    WHERE p.is_customer_archive AND p.active AND p.parent_id IS NULL
                      AND COALESCE(p.archive_state, 'draft') != 'closed'"""
            )
        )
        return self.env.cr.fetchone()[0]

    def action_recompute_tiers(self):
        """Recompute Now: at once up to ``RECOMPUTE_NOW_LIMIT`` archives (the
        user sees the result); above, a request could not finish within the
        worker's time limit, so the chunked run of the cron starts now."""
        self.ensure_one()
        count = self._rankable_count()
        if count > RECOMPUTE_NOW_LIMIT:
            # sudo: a tier manager starts the job's cron, which runs as its own user.
            self.env.ref("customer_archive.ir_cron_customer_tier_recompute").sudo()._trigger()
            return notify(
                self.env._(
                    "The tiers of the %(count)s customers are being recomputed in the background, "
                    "a few thousand at a time: the result appears in a few minutes.",
                    count=count,
                ),
                close=True,
            )
        changed = self._recompute_tiers()
        return notify(
            self.env._("Tiers recomputed: %(count)s customers changed tier.", count=len(changed)), close=True
        )

    @api.model
    def _cron_recompute_tiers(self, time_budget=None, commit=None, chunk_size=TIER_CHUNK):
        """The nightly recompute of the policy chosen in Settings, in
        committed, resumable chunks (``customer.archive.batch.run``): the
        first chunk ranks every archive once into the run's work table (one
        consistent ranking for the whole run), the next ones apply
        ``chunk_size`` archives each through
        ``res.partner._archive_apply_tier_changes``. A call works for the
        time budget (setting ``customer_archive.tier_recompute_time_budget``,
        30 s) and re-triggers the cron while work is left. Returns True when
        the run is done."""
        policy = self._get_active_policy()
        if not policy:
            return True
        return self.env["customer.archive.batch.run"]._call(
            "tier_recompute",
            lambda run: policy._recompute_step(run, chunk_size),
            lock=TIER_RECOMPUTE_LOCK,
            cron_xmlid="customer_archive.ir_cron_customer_tier_recompute",
            budget_param=PARAM_TIME_BUDGET,
            time_budget=time_budget,
            commit=commit,
            values={"policy_id": policy.id},
        )

    def _recompute_step(self, run, chunk_size):
        """One chunk of the chunked recompute ``run``: the ranking, or the
        next ``chunk_size`` archives of it applied."""
        self.ensure_one()
        if run.state == "prepare":
            # Flush pending ORM writes (locks, likelihood, figures) before ranking in SQL.
            self.env.flush_all()
            # only the archives the ranking changes (a new tier or a new score)
            count = run._create_work_table(
                SQL(
                    """
                    SELECT r.id, r.old_tier, r.new_tier, r.score
                      FROM (%s) AS r
                      JOIN res_partner p ON p.id = r.id
                     WHERE (r.new_tier IS NOT NULL AND r.new_tier IS DISTINCT FROM r.old_tier)
                        OR p.archive_tier_score IS DISTINCT FROM r.score
                    """,
                    self._ranking_query(),
                )
            )
            run.write({"line_count": count, "state": "apply"})
            return
        where, last_id, is_last = run._next_chunk(chunk_size)
        # What changed since the ranking wins: an archive whose tier was
        # changed meanwhile is left as it is, a tier locked meanwhile only
        # gets its score.
        changed = self.env["res.partner"]._archive_apply_tier_changes(
            SQL(
                """
                SELECT w.id, p.archive_tier AS old_tier,
                       CASE WHEN w.new_tier IS NULL OR COALESCE(p.archive_tier_locked, FALSE)
                            THEN p.archive_tier ELSE w.new_tier END AS new_tier,
                       w.score,
                       w.new_tier IS NOT NULL AND NOT COALESCE(p.archive_tier_locked, FALSE)
                           AND w.new_tier IS DISTINCT FROM p.archive_tier AS tier_changed
                  FROM %(work)s w
                  JOIN res_partner p ON p.id = w.id
                 WHERE %(where)s AND p.active AND p.is_customer_archive
                   AND p.archive_tier IS NOT DISTINCT FROM w.old_tier
                """,
                work=run._work_table(),
                where=where,
            ),
            "recompute",
            self._recompute_note(),
        )
        run.write({"partner_cursor": last_id, "changed_count": run.changed_count + len(changed)})
        if is_last:
            self.write(
                {"last_recompute_date": fields.Datetime.now(), "last_recompute_changes": run.changed_count}
            )
            run._finish()


class CustomerTierPolicyRegion(models.Model):
    """Region score of the tier policy: a province, or a whole country."""

    _name = "customer.tier.policy.region"
    _description = "Customer Tier Policy Region Score"
    _order = "policy_id, country_id, state_id"

    policy_id = fields.Many2one("customer.tier.policy", required=True, ondelete="cascade", index=True)
    country_id = fields.Many2one("res.country", required=True)
    state_id = fields.Many2one(
        "res.country.state", string="Province", domain="[('country_id', '=', country_id)]"
    )
    score = fields.Float(default=50.0, help="0–100: how attractive customers of this region are.")

    _sql_constraints = [
        ("score_range", "CHECK(score >= 0 AND score <= 100)", "The region score must lie between 0 and 100."),
    ]
