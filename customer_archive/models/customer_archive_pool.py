import contextlib
import datetime
import json
import logging
import time

from markupsafe import Markup

import odoo
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import chunked_job

_logger = logging.getLogger(__name__)

POOL_MANAGER_GROUP = "customer_archive.group_archive_marketing_manager"
POOL_MODES = [
    ("claim", "Claim"),
    ("assign", "Assign Only"),
]
# Advisory lock key of the auto-return job: a run that overlaps a running one
# is skipped instead of racing it.
POOL_RETURN_LOCK = 0x43415053  # "CAPS"
# Returns of one batch (transaction) of the nightly job: about 12 s at 2
# cores, nearly all of it in PostgreSQL, 1 s of the Odoo process's CPU
# (tests/benchmark_pool.py); smaller batches scan the pools' held archives
# more often. The job works batch after batch for its time budget (inside
# the worker's limit_time_cpu 60 s and limit_time_real 120 s); a larger
# backlog takes further calls.
RETURN_BATCH = 20000
PARAM_RETURN_TIME_BUDGET = "customer_archive.pool_return_time_budget"
DEFAULT_RETURN_TIME_BUDGET = 30.0


class CustomerArchivePool(models.Model):
    """A customer pool (公海客户池): customers without a rep, which the
    members (departments or users) may see and claim, and to which the
    customers their reps neglect go back by themselves. Every parameter is
    a field a manager edits."""

    _name = "customer.archive.pool"
    _description = "Customer Pool"
    _inherit = ["customer.archive.rule.cache.mixin"]
    _order = "sequence, id"
    # The record rules read the pools of the user (res.users.archive_pool_ids);
    # they are cached per user, so a change of the members clears the cache.
    _archive_rule_cache_fields = frozenset({"member_department_ids", "member_user_ids", "active"})

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    manager_id = fields.Many2one(
        "res.users",
        string="Pool Manager",
        domain=[("share", "=", False)],
        help="Confirms the return of A-class customers and assigns customers of assign-only pools.",
    )
    member_department_ids = fields.Many2many(
        "hr.department",
        "customer_archive_pool_department_rel",
        "pool_id",
        "department_id",
        string="Member Departments",
        help="Their employees see and claim the pool's customers; the archives of these departments "
        "go back to this pool.",
    )
    member_user_ids = fields.Many2many(
        "res.users",
        "customer_archive_pool_user_rel",
        "pool_id",
        "user_id",
        string="Member Users",
        domain=[("share", "=", False)],
        help="Users who see and claim the pool's customers besides the member departments' employees.",
    )
    mode = fields.Selection(
        POOL_MODES,
        required=True,
        default="claim",
        help="Claim: members take customers themselves. Assign only: the manager gives them to reps.",
    )
    claim_limit = fields.Integer(
        string="Customers per Rep",
        default=50,
        help="How many customers of this pool a rep may hold at once (0: no limit).",
    )
    claim_limit_counts_won = fields.Boolean(
        string="Won Customers Count",
        default=True,
        help="Whether customers with a transaction count towards the customers per rep.",
    )
    daily_claim_limit = fields.Integer(
        string="Claims per Day",
        default=5,
        help="How many customers a rep may claim from this pool in one day (0: no limit).",
    )
    cooldown_days = fields.Integer(
        string="Cool-down (Days)",
        default=30,
        help="A rep who lost a customer to the pool may claim it again only after this many days.",
    )
    auto_return = fields.Boolean(
        string="Automatic Return",
        default=True,
        help="Customers go back to the pool by themselves when their rep neglects them.",
    )
    return_days_without_followup = fields.Integer(
        string="Days without Follow-up",
        default=30,
        help="A customer goes back after this many days without a completed follow-up "
        "(interaction) since its rep got it (0: not checked).",
    )
    return_days_without_transaction = fields.Integer(
        string="Days without Transaction",
        default=90,
        help="A customer goes back after this many days without a transaction since its rep got it "
        "(0: not checked).",
    )
    warning_days = fields.Integer(
        string="Warning (Days Before)",
        default=3,
        help="The rep gets an activity this many days before the customer goes back.",
    )
    a_class_confirmation = fields.Boolean(
        string="A-Class Returns Need Confirmation",
        default=True,
        help="A-class customers never go back by themselves: the pool manager gets an activity and "
        "returns them with Return to Pool.",
    )
    customer_count = fields.Integer(string="Customers in Pool", compute="_compute_customer_counts")
    held_count = fields.Integer(string="Customers Held by Reps", compute="_compute_customer_counts")
    log_ids = fields.One2many("customer.archive.pool.log", "pool_id", string="History")

    _sql_constraints = [
        (
            "limits_not_negative",
            "CHECK(claim_limit >= 0 AND daily_claim_limit >= 0 AND cooldown_days >= 0 "
            "AND return_days_without_followup >= 0 AND return_days_without_transaction >= 0 "
            "AND warning_days >= 0)",
            "The limits and days of a customer pool cannot be negative: enter 0 to switch one off.",
        ),
    ]

    @api.constrains("member_department_ids", "active", "company_id")
    def _check_one_pool_per_department(self):
        for pool in self.filtered("active"):
            others = self.search(
                [
                    ("id", "!=", pool.id),
                    ("company_id", "=", pool.company_id.id),
                    ("member_department_ids", "in", pool.member_department_ids.ids),
                ],
                limit=1,
            )
            if others:
                shared = pool.member_department_ids & others.member_department_ids
                raise ValidationError(
                    self.env._(
                        "Member Departments: %(departments)s already belong to the pool %(pool)s. "
                        "A department's archives go back to one pool: remove it from one of them.",
                        departments=", ".join(shared.mapped("name")),
                        pool=others.display_name,
                    )
                )

    def _compute_customer_counts(self):
        # sudo: the counts are figures of the pool, whatever the reader may see.
        Partner = self.env["res.partner"].sudo()
        archives = [("is_customer_archive", "=", True), ("archive_pool_id", "in", self.ids)]
        open_counts = dict(
            Partner._read_group([*archives, ("user_id", "=", False)], ["archive_pool_id"], ["__count"])
        )
        held_counts = dict(
            Partner._read_group([*archives, ("user_id", "!=", False)], ["archive_pool_id"], ["__count"])
        )
        for pool in self:
            pool.customer_count = open_counts.get(pool.sudo(), 0)
            pool.held_count = held_counts.get(pool.sudo(), 0)

    # ------------------------------------------------------------------
    # Who and what
    # ------------------------------------------------------------------
    @api.model
    def _is_pool_manager(self):
        return self.env.su or self.env.user.has_group(POOL_MANAGER_GROUP)

    @api.model
    def _pools_of_departments(self, departments):
        """{department: pool} of the active pools of ``departments``."""
        if not departments:
            return {}
        # sudo: where an archive goes back is decided whatever the user may read.
        pools = self.sudo().search([("member_department_ids", "in", departments.ids)])
        result = {}
        for pool in pools:
            for department in pool.member_department_ids & departments:
                result.setdefault(department.id, pool.id)
        return result

    def _check_claim(self, partners, user):
        """Raise when ``user`` may not claim ``partners`` (all of this pool)."""
        self.ensure_one()
        if self.mode != "claim":
            raise UserError(
                self.env._(
                    "The pool %(pool)s is assign only: ask its manager to assign %(customer)s to you.",
                    pool=self.display_name,
                    customer=partners[:1].display_name,
                )
            )
        if self not in user.archive_pool_ids:
            raise AccessError(
                self.env._(
                    "You are no member of the pool %(pool)s: ask its manager to add you or your department.",
                    pool=self.display_name,
                )
            )
        today = fields.Date.context_today(self)
        Log = self.env["customer.archive.pool.log"].sudo()
        if self.cooldown_days:
            lost = Log.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("previous_user_id", "=", user.id),
                    ("action", "in", ("return_manual", "return_auto")),
                    ("day", ">", today - datetime.timedelta(days=self.cooldown_days)),
                ],
                order="day desc",
                limit=1,
            )
            if lost:
                raise UserError(
                    self.env._(
                        "You lost %(customer)s to the pool on %(date)s: you may claim it again from "
                        "%(again)s (cool-down of %(days)s days).",
                        customer=lost.partner_id.display_name,
                        date=lost.day,
                        again=lost.day + datetime.timedelta(days=self.cooldown_days),
                        days=self.cooldown_days,
                    )
                )
        if self.claim_limit:
            domain = [
                ("is_customer_archive", "=", True),
                ("archive_pool_id", "=", self.id),
                ("user_id", "=", user.id),
            ]
            if not self.claim_limit_counts_won:
                domain.append(("archive_transaction_count", "=", 0))
            held = self.env["res.partner"].sudo().search_count(domain)
            if held + len(partners) > self.claim_limit:
                raise UserError(
                    self.env._(
                        "You hold %(held)s customers of the pool %(pool)s, its limit is %(limit)s per rep: "
                        "return a customer to the pool before you claim another one.",
                        held=held,
                        pool=self.display_name,
                        limit=self.claim_limit,
                    )
                )
        if self.daily_claim_limit:
            claimed = Log.search_count(
                [
                    ("pool_id", "=", self.id),
                    ("user_id", "=", user.id),
                    ("action", "=", "claim"),
                    ("day", "=", today),
                ]
            )
            if claimed + len(partners) > self.daily_claim_limit:
                raise UserError(
                    self.env._(
                        "You claimed %(claimed)s customers of the pool %(pool)s today, its limit is "
                        "%(limit)s a day: claim more tomorrow.",
                        claimed=claimed,
                        pool=self.display_name,
                        limit=self.daily_claim_limit,
                    )
                )

    def action_open_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_customer_archive_my_pool"
        )
        action["domain"] = [("is_customer_archive", "=", True), ("archive_pool_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Nightly job: warnings, A-class confirmations, automatic returns
    # ------------------------------------------------------------------
    def _due_query(self, today):
        """The held archives of the pools with automatic return, with the
        day each goes back (the earlier of: the last follow-up, or the day
        the rep got it, plus N days; the last transaction, or that day,
        plus M days). One row per archive with its due day."""
        return SQL(
            """
            SELECT p.id, p.user_id, p.archive_tier, p.complete_name, pool.id AS pool_id,
                   LEAST(
                       CASE WHEN pool.return_days_without_followup > 0 THEN
                           GREATEST(p.archive_pool_owner_date, followup.last_date)
                           + pool.return_days_without_followup END,
                       CASE WHEN pool.return_days_without_transaction > 0 THEN
                           GREATEST(p.archive_pool_owner_date, p.archive_last_transaction_date)
                           + pool.return_days_without_transaction END
                   ) AS due
              FROM res_partner p
              JOIN customer_archive_pool pool ON pool.id = p.archive_pool_id
              LEFT JOIN LATERAL (
                   SELECT max(i.date)::date AS last_date
                     FROM customer_archive_interaction i
                    WHERE i.partner_id = p.id
              ) followup ON TRUE
             WHERE p.archive_pool_id = ANY(%(pools)s)
               AND p.is_customer_archive AND p.active AND p.parent_id IS NULL
               AND p.user_id IS NOT NULL
            """,
            pools=self.ids,
            today=today,
        )

    def _cron_auto_return(self, time_budget=None, commit=None, batch_size=RETURN_BATCH):
        """The nightly job: the pools of self (the cron: all pools) with
        automatic return, in batches of ``batch_size`` returns, each
        committed (a batch is one set of statements and the ORM's
        follow-up: a batch cut off by the worker's time limit or an error
        leaves nothing of itself behind).

        It works for ``time_budget`` seconds (default: the setting
        ``customer_archive.pool_return_time_budget``, 30 s), always at least
        one batch, then re-triggers its cron when archives are left: the
        next call finds them by the same due condition (nothing to resume
        from but the data), so every call stays far inside Odoo's worker
        limits whatever the backlog. The warnings are written in the first
        batch of a call. ``commit`` defaults to True outside tests; without
        it the batches are savepoints of one transaction. Returns the
        returned archives."""
        if commit is None:
            commit = not odoo.modules.module.current_test
        deadline = time.monotonic() + (self._return_time_budget() if time_budget is None else time_budget)
        pools = self.filtered("auto_return") if self else self.search([("auto_return", "=", True)])
        returned_ids = []
        finished, warn = False, True
        while not finished:
            try:
                with contextlib.nullcontext() if commit else self.env.cr.savepoint():
                    batch = pools._auto_return(limit=batch_size, warn=warn)
                    if commit:
                        self.env.flush_all()
                        self.env.cr.commit()  # pylint: disable=invalid-commit
            except Exception:
                if commit:
                    self.env.cr.rollback()
                raise
            warn = False
            returned_ids += batch.ids
            finished = len(batch) < batch_size
            if time.monotonic() >= deadline:
                break
        if not finished:
            # sudo: the job re-triggers its own cron.
            cron = self.env.ref(
                "customer_archive.ir_cron_customer_archive_pool_return", raise_if_not_found=False
            )
            if cron:
                cron.sudo()._trigger()
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info(
            "Customer pool: this call returned %d customers, %s",
            len(returned_ids),
            "done" if finished else "to be continued",
        )
        return self.env["res.partner"].browse(returned_ids)

    @api.model
    def _return_time_budget(self):
        return chunked_job.time_budget(self.env, PARAM_RETURN_TIME_BUDGET, DEFAULT_RETURN_TIME_BUDGET)

    def _auto_return(self, limit=None, warn=True):
        """Warnings, A-class confirmations and returns of the pools of
        self, set-based: a few statements per pool for all its archives.
        One run at a time: an overlapping run is skipped (advisory lock
        until commit); the statements only touch rows whose state still
        asks for it (an activity not yet there, an archive still held, not
        locked by another transaction), so a second run changes nothing.
        Returns the returned archives."""
        started = time.monotonic()
        pools = self.filtered("auto_return")
        if not pools:
            return self.env["res.partner"]
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", POOL_RETURN_LOCK))
        if not cr.fetchone()[0]:
            _logger.info("Customer pool: another auto-return run is in progress, this one is skipped")
            return self.env["res.partner"]
        today = fields.Date.context_today(self)
        warned = pools._auto_return_warn(today) if warn else 0
        returned = pools._auto_return_apply(today, limit=limit)
        _logger.info(
            "Customer pool: %d warnings, %d customers returned in %.2fs",
            warned,
            len(returned),
            time.monotonic() - started,
        )
        return returned

    def _activity_insert(self, select, type_xmlid):
        """INSERT the activities of ``select`` (rows: res_id, res_name,
        user_id, date_deadline, summary), skipping those of which an open
        one of the type is already there for that user."""
        activity_type = self.env.ref(type_xmlid)
        return SQL(
            """
            INSERT INTO mail_activity
                   (res_model_id, res_model, res_id, res_name, activity_type_id, summary, date_deadline,
                    user_id, user_tz, automated, active, create_uid, create_date, write_uid, write_date)
            SELECT %(model_id)s, 'res.partner', w.res_id, w.res_name, %(type_id)s, w.summary,
                   w.date_deadline, w.user_id, up.tz, TRUE, TRUE,
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM (%(select)s) w
              JOIN res_users u ON u.id = w.user_id
              JOIN res_partner up ON up.id = u.partner_id
             WHERE NOT EXISTS (
                   SELECT 1 FROM mail_activity a
                    WHERE a.res_model = 'res.partner' AND a.res_id = w.res_id
                      AND a.activity_type_id = %(type_id)s AND a.user_id = w.user_id AND a.active
             )
            """,
            model_id=self.env["ir.model"]._get_id("res.partner"),
            type_id=activity_type.id,
            uid=self.env.uid,
            select=select,
        )

    def _auto_return_warn(self, today):
        """Warning activities for the reps (K days before), and the
        confirmation activities of the pool managers for A-class archives
        that are due. Returns the number of activities created."""
        count = 0
        for pool in self:
            texts = pool._texts()
            due = pool._due_query(today)
            warn = SQL(
                """
                SELECT d.id AS res_id, d.complete_name AS res_name, d.user_id, d.due AS date_deadline,
                       %(summary)s AS summary
                  FROM (%(due)s) d
                  JOIN res_users u ON u.id = d.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE d.due > %(today)s AND d.due - %(days)s <= %(today)s
                   AND NOT (%(confirm)s AND d.archive_tier = 'a')
                """,
                due=due,
                today=today,
                days=pool.warning_days,
                summary=self._text_in(texts["warning"], SQL("up.lang")),
                confirm=pool.a_class_confirmation,
            )
            self.env.cr.execute(
                pool._activity_insert(warn, "customer_archive.mail_activity_type_pool_warning")
            )
            count += self.env.cr.rowcount
            if pool.a_class_confirmation and pool.manager_id:
                confirm = SQL(
                    """
                    SELECT d.id AS res_id, d.complete_name AS res_name, %(manager)s AS user_id,
                           %(today)s::date AS date_deadline, %(summary)s AS summary
                      FROM (%(due)s) d
                      JOIN res_partner up ON up.id = %(manager_partner)s
                     WHERE d.due <= %(today)s AND d.archive_tier = 'a'
                    """,
                    due=due,
                    today=today,
                    manager=pool.manager_id.id,
                    manager_partner=pool.manager_id.partner_id.id,
                    summary=self._text_in(texts["confirm"], SQL("up.lang")),
                )
                self.env.cr.execute(
                    pool._activity_insert(confirm, "customer_archive.mail_activity_type_pool_confirm")
                )
                count += self.env.cr.rowcount
        return count

    def _texts(self):
        """The texts of the job in every installed language, as JSON
        ({lang: text} per key): the statements pick the reader's language
        (the rep's or the manager's) with ``->> lang``."""
        self.ensure_one()
        texts = {"warning": {}, "confirm": {}, "reason": {}, "message": {}}
        for lang, _name in self.env["res.lang"].get_installed():
            pool = self.with_context(lang=lang)
            name = pool.name
            texts["warning"][lang] = pool.env._(
                "Follow up this customer, or it goes back to the pool %(pool)s", pool=name
            )
            texts["confirm"][lang] = pool.env._(
                "Confirm the return of this A-class customer to the pool %(pool)s", pool=name
            )
            texts["reason"][lang] = pool.env._("No follow-up or transaction in time")
            texts["message"][lang] = str(
                Markup("<p>%s</p>")
                % pool.env._(
                    "Returned to the pool %(pool)s automatically: no follow-up or transaction in time.",
                    pool=name,
                )
            )
        return {key: json.dumps(values) for key, values in texts.items()}

    @api.model
    def _text_in(self, texts, lang_column):
        """SQL: the text of ``texts`` (JSON) in the language of ``lang_column``."""
        return SQL(
            "COALESCE(%(texts)s::jsonb ->> %(lang)s, %(texts)s::jsonb ->> 'en_US', %(texts)s::jsonb ->> %(env_lang)s)",
            texts=texts,
            lang=lang_column,
            env_lang=self.env.lang or "en_US",
        )

    def _auto_return_apply(self, today, limit=None):
        """Return the due archives, in one statement per pool: the archive
        loses its rep (its access columns with it), a log row and a chatter
        line are written, the open warnings are closed. Rows locked by
        another transaction are skipped (the next run takes them)."""
        returned_ids, key_person_ids = [], []
        author = self.env.ref("base.partner_root").id
        note = self.env.ref("mail.mt_note").id
        Partner = self.env["res.partner"]
        # the completeness of the held archives without their rep (the rep
        # is a field it may require), from the compute itself: written by
        # the statement instead of recomputed by the ORM afterwards
        followers, completeness = Partner._archive_completeness_when_cleared(
            SQL(
                """SELECT p.id FROM res_partner p
                    WHERE p.archive_pool_id = ANY(%s) AND p.is_customer_archive AND p.active
                      AND p.parent_id IS NULL AND p.user_id IS NOT NULL""",
                self.ids,
            ),
            ["user_id"],
        )
        if completeness is None:
            return Partner
        for pool in self:
            budget = None if limit is None else limit - len(returned_ids)
            if budget is not None and budget <= 0:
                break
            texts = pool._texts()
            query = SQL(
                """
                WITH due AS (
                    SELECT d.id, d.user_id, %(completeness_columns)s
                      FROM (%(due)s) d
                      JOIN res_partner locked ON locked.id = d.id
                      -- an archive whose state is not in the table is not returned
                      JOIN %(completeness)s ON %(completeness_join)s
                     WHERE d.due <= %(today)s
                       AND NOT (%(confirm)s AND d.archive_tier = 'a')
                     ORDER BY d.id
                     LIMIT %(limit)s
                       FOR UPDATE OF locked SKIP LOCKED
                ), returned AS (
                    UPDATE res_partner p
                       SET user_id = NULL, archive_pool_owner_date = %(today)s,
                           archive_access_user_id = NULL, archive_pool_open_id = %(pool)s,
                           %(completeness_set)s,
                           write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                      FROM due
                     WHERE p.id = due.id AND p.user_id IS NOT NULL
                 RETURNING p.id, due.user_id AS previous_user_id
                ), key_persons AS (
                    -- what _compute_archive_access and _compute_archive_pool_open_id
                    -- give the contacts of an archive without rep
                    UPDATE res_partner c
                       SET archive_access_user_id = NULL, archive_pool_open_id = %(pool)s
                      FROM returned r
                     WHERE c.commercial_partner_id = r.id AND c.id != r.id AND NOT c.is_customer_archive
                 RETURNING c.id
                ), logged AS (
                    INSERT INTO customer_archive_pool_log
                           (partner_id, pool_id, action, previous_user_id, rep_id, reason, date, day,
                            create_uid, create_date, write_uid, write_date)
                    SELECT r.id, %(pool)s, 'return_auto', r.previous_user_id, r.previous_user_id, %(reason)s,
                           now() AT TIME ZONE 'UTC', %(today)s,
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM returned r
                      LEFT JOIN res_users u ON u.id = r.previous_user_id
                      LEFT JOIN res_partner up ON up.id = u.partner_id
                ), posted AS (
                    INSERT INTO mail_message
                           (model, res_id, body, message_type, subtype_id, is_internal, author_id, date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT 'res.partner', r.id, %(body)s, 'notification', %(note)s, TRUE, %(author)s,
                           now() AT TIME ZONE 'UTC',
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM returned r
                      LEFT JOIN res_users u ON u.id = r.previous_user_id
                      LEFT JOIN res_partner up ON up.id = u.partner_id
                ), closed AS (
                    DELETE FROM mail_activity a
                     USING returned r
                     WHERE a.res_model = 'res.partner' AND a.res_id = r.id
                       AND a.activity_type_id = %(warning_type)s
                )
                SELECT id, FALSE FROM returned
                 UNION ALL
                SELECT id, TRUE FROM key_persons
                """,
                due=pool._due_query(today),
                completeness=completeness,
                completeness_join=Partner._archive_completeness_state_join("locked"),
                completeness_columns=SQL(", ").join(
                    SQL.identifier("completeness", field.name) for field in followers
                ),
                completeness_set=SQL(", ").join(
                    SQL("%s = due.%s", SQL.identifier(field.name), SQL.identifier(field.name))
                    for field in followers
                ),
                today=today,
                confirm=pool.a_class_confirmation,
                limit=budget,
                uid=self.env.uid,
                pool=pool.id,
                reason=self._text_in(texts["reason"], SQL("up.lang")),
                body=self._text_in(texts["message"], SQL("up.lang")),
                note=note,
                author=author,
                warning_type=self.env.ref("customer_archive.mail_activity_type_pool_warning").id,
            )
            self.env.cr.execute(query)
            for partner_id, is_key_person in self.env.cr.fetchall():
                (key_person_ids if is_key_person else returned_ids).append(partner_id)
        returned = self.env["res.partner"].browse(returned_ids)
        if returned:
            returned._archive_pool_after_sql_return(
                self.env["res.partner"].browse(key_person_ids), computed=[field.name for field in followers]
            )
        return returned
