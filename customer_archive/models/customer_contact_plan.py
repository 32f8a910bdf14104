import json
import logging
import time
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

import odoo
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import chunked_job

_logger = logging.getLogger(__name__)

PLAN_KINDS = [
    ("call", "Archive Call"),
    ("visit", "Archive Visit"),
    ("news", "Collect News"),
    ("review", "Archive Review"),
    ("update", "Update Archive"),
]

ACTIVITY_TYPES = {
    "call": "customer_archive.mail_activity_type_archive_call",
    "visit": "customer_archive.mail_activity_type_archive_visit",
    "news": "customer_archive.mail_activity_type_archive_news",
    "review": "customer_archive.mail_activity_type_archive_review",
    "update": "customer_archive.mail_activity_type_archive_update",
}

# Per cadence kind: due date expression, cadence column of the summary, extra
# condition on the cadence.
CADENCE_KINDS = {
    "call": (
        "(p.archive_last_call_date + c.call_interval_days)",
        "call_summary",
        "TRUE",
    ),
    "visit": (
        "(p.archive_last_visit_date + make_interval(months => c.visit_interval_months))::date",
        "visit_summary",
        "TRUE",
    ),
    "news": (
        "(p.archive_last_news_date + c.news_interval_days)",
        "news_summary",
        "c.news_interval_days > 0",
    ),
}

# Which archives get a contact plan: not closed ones, with an active rep.
PLANNED_PARTNERS = SQL(
    "p.is_customer_archive AND p.active AND p.parent_id IS NULL AND COALESCE(p.archive_state, 'draft') != 'closed'"
)

# Advisory lock key of the plan job: a second run that overlaps a running
# one skips instead of racing it (the UNIQUE indexes are the hard guarantee).
CONTACT_PLAN_LOCK = 0x43415050  # "CAPP"
# One open item per (archive, kind): mail_activity_archive_plan_open_uniq.
ON_CONFLICT = SQL(
    "ON CONFLICT (res_id, archive_plan_kind) WHERE active AND archive_plan_kind IS NOT NULL DO NOTHING"
)
# One open escalation per item: mail_activity_archive_escalation_open_uniq.
ON_CONFLICT_ESCALATION = SQL(
    "ON CONFLICT (archive_escalated_activity_id) "
    "WHERE active AND archive_escalated_activity_id IS NOT NULL DO NOTHING"
)
# Cron chunks: archives planned per transaction, escalations per statement.
PLAN_CHUNK = 10000
ESCALATION_CHUNK = 20000
# Seconds a run of the cron may work before it commits and re-triggers itself:
# well inside Odoo's worker limits (limit_time_cpu 60 s, limit_time_real 120 s).
PARAM_TIME_BUDGET = "customer_archive.contact_plan_time_budget"
DEFAULT_TIME_BUDGET = 30


class CustomerContactPlan(models.Model):
    """The contact plan of the customer archives (客户档案分类管理表): planning,
    rescheduling and escalation of the calls, visits, news tasks, reviews and
    update items, which it creates as activities (``mail.activity`` with
    ``archive_plan_kind``).

    A record is one run of the daily plan job: it holds where the run stands
    (the last archive planned, the step), so a run cut off by the worker's
    time limit, an error or its own time budget resumes on the next call
    instead of starting over. Every step is idempotent: planning inserts
    ``… ON CONFLICT DO NOTHING`` against a partial UNIQUE index (one open item
    per archive and kind), an escalation is inserted only for an item that
    has none open (UNIQUE index again) and flags the item in the same
    statement.

    Entry points (stable, used by res.partner, the cadences, the tier
    recompute, the wizards and the insurance addon): ``_plan``,
    ``_reschedule``, ``_plan_update``, ``_escalate_overdue``,
    ``_sync_partner_dates``, ``_manager_of``, ``_type_ids``,
    ``_insert_activities`` and the cron's ``_cron_run``.
    """

    _name = "customer.contact.plan"
    _description = "Contact Plan Run"
    _order = "id desc"

    state = fields.Selection(
        [("plan", "Planning"), ("escalate", "Escalating"), ("notify", "Notifying"), ("done", "Done")],
        default="plan",
        required=True,
        readonly=True,
    )
    partner_cursor = fields.Integer(
        string="Planned Up To", readonly=True, help="The id of the last archive this run has planned."
    )
    planned_count = fields.Integer(string="Archives Planned", readonly=True)
    escalated_count = fields.Integer(string="Items Escalated", readonly=True)
    notified_count = fields.Integer(string="Managers Notified", readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)
    # {manager id: {rep id: escalated items}} of the escalations committed and
    # not notified yet: each manager gets ONE message per run, at its end
    notify_pending = fields.Json(string="Messages Pending", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _type_ids(self):
        return {kind: self.env.ref(xmlid).id for kind, xmlid in ACTIVITY_TYPES.items()}

    @api.model
    def _insert_activities(self, values, from_clause, on_conflict=ON_CONFLICT, returning=None):
        """The one INSERT of the plan's activities: ``INSERT INTO
        mail_activity (…) SELECT … FROM …``, in bulk, without the ORM (no
        mail per item).

        ``values``: {column: SQL expression} of the columns that differ per
        caller (res_id, res_name, activity_type_id, summary, date_deadline,
        archive_deadline, user_id, user_tz and archive_plan_kind or
        archive_escalated_activity_id); the model, flags and create/write
        columns are the same for all. ``from_clause``: the ``FROM …`` the
        expressions read. Returns an SQL object (``RETURNING res_id`` unless
        ``returning`` says otherwise).
        """
        required = {
            "res_id",
            "res_name",
            "activity_type_id",
            "summary",
            "date_deadline",
            "user_id",
            "user_tz",
        }
        missing = required - set(values)
        if missing:
            raise ValueError(f"contact plan insert without {sorted(missing)}")
        now = SQL("now() AT TIME ZONE 'UTC'")
        uid = SQL("%s", self.env.uid)
        columns = {
            "res_model_id": SQL("%s", self.env["ir.model"]._get_id("res.partner")),
            "res_model": SQL("'res.partner'"),
            "automated": SQL("TRUE"),
            "active": SQL("TRUE"),
            "create_uid": uid,
            "create_date": now,
            "write_uid": uid,
            "write_date": now,
            **values,
        }
        return SQL(
            "INSERT INTO mail_activity (%s) SELECT %s %s %s RETURNING %s",
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(columns.values()),
            from_clause,
            on_conflict,
            returning or SQL("res_id"),
        )

    @api.model
    def _translations(self, translate):
        """{lang: ``translate(env)``} over the installed languages, as a JSON
        object for SQL (``(%s::jsonb) ->> up.lang``): an activity's summary
        is stored as text, in the language of the user who gets it."""
        return json.dumps(
            {
                lang: translate(self.with_context(lang=lang).env)
                for lang, _name in self.env["res.lang"].get_installed()
            }
        )

    @api.model
    def _today(self):
        return fields.Date.context_today(self)

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------
    @api.model
    def _plan(self, partner_ids=None, skip_if_running=None):
        """Create the missing open calls, visits, news tasks and reviews of
        the archives (all of them, or ``partner_ids``). Returns the ids of
        the partners that got a new item.

        ``skip_if_running`` (default: for a run over all archives): when
        another run holds the plan lock, return at once; two overlapping
        runs then never race. Without it, overlapping inserts are still
        deduplicated by the UNIQUE index (ON CONFLICT DO NOTHING; under
        REPEATABLE READ the later transaction may get a serialization
        failure instead, and Odoo retries it).
        """
        self.env.flush_all()
        cr = self.env.cr
        if skip_if_running is None:
            skip_if_running = partner_ids is None
        if skip_if_running:
            cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CONTACT_PLAN_LOCK))
            if not cr.fetchone()[0]:
                _logger.info("Contact plan: another run is in progress, this one is skipped")
                return []
        scope = SQL("TRUE") if partner_ids is None else SQL("p.id = ANY(%s)", list(partner_ids))
        types = self._type_ids()
        today = self._today()
        touched = set()
        for kind, (due, summary, condition) in CADENCE_KINDS.items():
            due_sql = SQL("COALESCE(%s, %s)", SQL(due), today)
            summary_sql = SQL(
                "COALESCE(c.%s ->> up.lang, c.%s ->> 'en_US')",
                SQL.identifier(summary),
                SQL.identifier(summary),
            )
            cr.execute(
                self._insert_activities(
                    {
                        "res_id": SQL("p.id"),
                        "res_name": SQL("p.complete_name"),
                        "activity_type_id": SQL("%s", types[kind]),
                        "summary": summary_sql,
                        "date_deadline": due_sql,
                        "archive_deadline": due_sql,
                        "user_id": SQL("p.user_id"),
                        "user_tz": SQL("up.tz"),
                        "archive_plan_kind": SQL("%s", kind),
                    },
                    SQL(
                        """FROM res_partner p
                           JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active AND %(condition)s
                           JOIN res_users u ON u.id = p.user_id AND u.active
                           JOIN res_partner up ON up.id = u.partner_id
                          WHERE %(planned)s AND %(scope)s
                            AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                             WHERE a.res_id = p.id AND a.archive_plan_kind = %(kind)s AND a.active)""",
                        condition=SQL(condition),
                        planned=PLANNED_PARTNERS,
                        scope=scope,
                        kind=kind,
                    ),
                )
            )
            touched.update(row[0] for row in cr.fetchall())
        touched |= self._plan_reviews(scope, types["review"])
        if touched:
            self._sync_partner_dates(list(touched))
        self.env["mail.activity"].invalidate_model()
        return sorted(touched)

    @api.model
    def _review_dates(self, partners):
        """Due date of the next review of each partner, from its own review
        interval (``res.partner._archive_review_interval_months``)."""
        today = self._today()
        # the cadences read once for the batch
        months_by_tier = self.env["customer.contact.cadence"]._review_months_by_tier()
        # only the fields the intervals read are fetched, for the whole batch
        partners = partners.with_context(prefetch_fields=False)
        dates = {}
        for partner in partners:
            months = partner._archive_review_interval_months(months_by_tier)
            if not months:
                continue
            start = partner.archive_last_review_date or partner.archive_date or today
            dates[partner.id] = start + relativedelta(months=months)
        return dates

    @api.model
    def _plan_reviews(self, scope, type_id):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
                 WHERE %(planned)s AND %(scope)s
                   AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                    WHERE a.res_id = p.id AND a.archive_plan_kind = 'review' AND a.active)
                """,
                planned=PLANNED_PARTNERS,
                scope=scope,
            )
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        if not partner_ids:
            return set()
        # sudo: the plan schedules the reviews of every planned archive, also
        # those the user who triggered it (a tier recompute from Settings) may not read
        dates = self._review_dates(self.env["res.partner"].sudo().browse(partner_ids))
        if not dates:
            return set()
        due = SQL("d.due")
        cr.execute(
            self._insert_activities(
                {
                    "res_id": SQL("p.id"),
                    "res_name": SQL("p.complete_name"),
                    "activity_type_id": SQL("%s", type_id),
                    "summary": SQL(
                        "COALESCE((%s::jsonb) ->> up.lang, %s)",
                        self._translations(lambda env: env._("Review the customer archive")),
                        self.env._("Review the customer archive"),
                    ),
                    "date_deadline": due,
                    "archive_deadline": due,
                    "user_id": SQL("p.user_id"),
                    "user_tz": SQL("up.tz"),
                    "archive_plan_kind": SQL("'review'"),
                },
                SQL(
                    """FROM unnest(%s::int[], %s::date[]) AS d(partner_id, due)
                       JOIN res_partner p ON p.id = d.partner_id
                       JOIN res_users u ON u.id = p.user_id
                       JOIN res_partner up ON up.id = u.partner_id""",
                    list(dates),
                    list(dates.values()),
                ),
            )
        )
        return {row[0] for row in cr.fetchall()}

    @api.model
    def _sync_partner_dates(self, partner_ids):
        """Next planned contact (earliest open call or visit) and next review
        of the partners, in one UPDATE."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH nxt AS (
                    SELECT t.id,
                           (SELECT MIN(a.date_deadline) FROM mail_activity a
                             WHERE a.res_id = t.id AND a.active AND a.archive_plan_kind IN ('call', 'visit'))
                               AS next_contact,
                           (SELECT MIN(a.date_deadline) FROM mail_activity a
                             WHERE a.res_id = t.id AND a.active AND a.archive_plan_kind = 'review')
                               AS next_review
                      FROM unnest(%s::int[]) AS t(id)
                )
                UPDATE res_partner p
                   SET archive_next_contact_date = nxt.next_contact,
                       archive_next_review_date = nxt.next_review
                  FROM nxt
                 WHERE p.id = nxt.id
                   AND (p.archive_next_contact_date IS DISTINCT FROM nxt.next_contact
                        OR p.archive_next_review_date IS DISTINCT FROM nxt.next_review)
                """,
                list(partner_ids),
            )
        )
        self.env["res.partner"].invalidate_model(["archive_next_contact_date", "archive_next_review_date"])

    # ------------------------------------------------------------------
    # Rescheduling (tier or cadence change) and update items
    # ------------------------------------------------------------------
    @api.model
    def _reschedule(self, partner_ids):
        """After a tier (or cadence) change: new due dates and summaries for
        the open planned items, news tasks only for tiers that have them,
        then the items the new tier adds are planned (for customers already
        in the plan)."""
        if not partner_ids:
            return
        self.env.flush_all()
        cr = self.env.cr
        ids = list(partner_ids)
        # a new due date may be missed again, unless the escalation of the old one is still open
        still_escalated = SQL(
            "EXISTS (SELECT 1 FROM mail_activity e WHERE e.archive_escalated_activity_id = a.id AND e.active)"
        )
        for kind, (due, summary, _condition) in CADENCE_KINDS.items():
            cr.execute(
                SQL(
                    """
                    UPDATE mail_activity a
                       SET date_deadline = COALESCE(%(due)s, a.date_deadline),
                           archive_deadline = COALESCE(%(due)s, a.date_deadline),
                           archive_escalated = %(still_escalated)s,
                           summary = COALESCE(c.%(summary)s ->> up.lang, c.%(summary)s ->> 'en_US'),
                           write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                      FROM res_partner p
                      JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active
                      JOIN res_users u ON u.id = p.user_id
                      JOIN res_partner up ON up.id = u.partner_id
                     WHERE a.res_id = p.id AND a.active AND a.archive_plan_kind = %(kind)s
                       AND p.id = ANY(%(ids)s)
                    """,
                    due=SQL(due),
                    still_escalated=still_escalated,
                    summary=SQL.identifier(summary),
                    uid=self.env.uid,
                    kind=kind,
                    ids=ids,
                )
            )
        # News tasks exist only for the tiers whose cadence has them (A).
        cr.execute(
            SQL(
                """
                DELETE FROM mail_activity a
                 USING res_partner p
                 WHERE a.res_id = p.id AND a.active AND a.archive_plan_kind = 'news' AND p.id = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM customer_contact_cadence c
                                    WHERE c.tier = p.archive_tier AND c.active AND c.news_interval_days > 0)
                """,
                ids,
            )
        )
        # Reviews follow the partner's own interval.
        cr.execute(
            SQL(
                "SELECT res_id, id FROM mail_activity WHERE active AND archive_plan_kind = 'review' AND res_id = ANY(%s)",
                ids,
            )
        )
        review_ids = dict(cr.fetchall())
        if review_ids:
            dates = self._review_dates(self.env["res.partner"].browse(list(review_ids)))
            cr.execute(
                SQL(
                    """
                    UPDATE mail_activity a SET date_deadline = d.due, archive_deadline = d.due,
                           archive_escalated = %s
                      FROM unnest(%s::int[], %s::date[]) AS d(id, due)
                     WHERE a.id = d.id AND a.date_deadline IS DISTINCT FROM d.due
                    """,
                    still_escalated,
                    [review_ids[pid] for pid in dates],
                    list(dates.values()),
                )
            )
        self.env["mail.activity"].invalidate_model()
        # Items the new tier adds (e.g. the news task of an A customer) for the
        # customers already in the plan; the others wait for the plan job.
        cr.execute(
            SQL(
                """SELECT DISTINCT res_id FROM mail_activity
                    WHERE active AND archive_plan_kind IS NOT NULL AND res_id = ANY(%s)""",
                ids,
            )
        )
        planned_ids = [row[0] for row in cr.fetchall()]
        if planned_ids:
            self._plan(planned_ids)
            self._sync_partner_dates(planned_ids)

    @api.model
    def _plan_update(self, partner_ids):
        """'Update archive' item after new information was logged: due in
        ``update_due_days``, hard deadline ``update_deadline_days`` (policy)."""
        policy = self.env["customer.tier.policy"].sudo()._get_active_policy()
        if not policy:
            return
        today = self._today()
        summaries = self._translations(lambda env: env._("Update the archive with the new information"))
        summary = self.env._("Update the archive with the new information")
        self.env.flush_all()
        self.env.cr.execute(
            self._insert_activities(
                {
                    "res_id": SQL("p.id"),
                    "res_name": SQL("p.complete_name"),
                    "activity_type_id": SQL("%s", self.env.ref(ACTIVITY_TYPES["update"]).id),
                    "summary": SQL("COALESCE((%s::jsonb) ->> up.lang, %s)", summaries, summary),
                    "date_deadline": SQL("%s", today + relativedelta(days=policy.update_due_days)),
                    "archive_deadline": SQL("%s", today + relativedelta(days=policy.update_deadline_days)),
                    "user_id": SQL("COALESCE(u.id, %s)", self.env.uid),
                    "user_tz": SQL("up.tz"),
                    "archive_plan_kind": SQL("'update'"),
                },
                SQL(
                    """FROM res_partner p
                       LEFT JOIN res_users u ON u.id = p.user_id AND u.active
                       JOIN res_partner up ON up.id = COALESCE(u.partner_id, %s)
                      WHERE p.id = ANY(%s)""",
                    self.env.user.partner_id.id,
                    list(partner_ids),
                ),
            )
        )
        self.env["mail.activity"].invalidate_model()

    # ------------------------------------------------------------------
    # Completion of planned items (hooks of mail.activity._action_done)
    # ------------------------------------------------------------------
    @api.model
    def _close_escalations_of(self, planned):
        """An overdue item done closes the 逾期 to-do of the manager that
        escalates it: nothing is left to chase."""
        if not planned:
            return
        # sudo: the escalation is the manager's to-do; the rep who completes
        # the item may neither read nor close it.
        escalations = (
            self.env["mail.activity"].sudo().search([("archive_escalated_activity_id", "in", planned.ids)])
        )
        for escalation in escalations:
            item = escalation.archive_escalated_activity_id
            # in the language of the manager who reads it
            escalation = escalation.with_context(lang=escalation.user_id.lang or self.env.lang)
            escalation.action_feedback(
                feedback=escalation.env._(
                    "%(item)s was completed by %(user)s.",
                    item=item.summary or item.activity_type_id.name,
                    user=self.env.user.name,
                )
            )

    @api.model
    def _after_done(self, done):
        """Last contact dates of the archives and their next planned items;
        ``done``: [(archive id, plan kind)] of the completed items."""
        today = self._today()
        columns = {
            "call": "archive_last_call_date",
            "visit": "archive_last_visit_date",
            "news": "archive_last_news_date",
            "review": "archive_last_review_date",
        }
        partner_ids = sorted({partner_id for partner_id, _kind in done})
        for partner_id, kind in done:
            values = {}
            if kind in columns:
                values[columns[kind]] = today
            if kind in ("call", "visit"):
                values["archive_last_contact_date"] = today
            if values:
                # sudo: plan bookkeeping; whoever completes the item (a
                # colleague, a manager) may not have write access to the archive.
                self.env["res.partner"].sudo().browse(partner_id).with_context(tracking_disable=True).write(
                    values
                )
        self._plan(partner_ids)
        self._sync_partner_dates(partner_ids)

    # ------------------------------------------------------------------
    # Escalation of overdue items
    # ------------------------------------------------------------------
    @api.model
    def _manager_of(self, user):
        """The rep's manager: the employee's manager, else the department
        manager (not the rep themself)."""
        # sudo: reps cannot read other employees; the cron needs the hierarchy.
        employee = user.sudo().employee_id
        for candidate in (employee.parent_id, employee.department_id.manager_id):
            if candidate.user_id and candidate.user_id != user:
                return candidate.user_id
        return self.env["res.users"]

    @api.model
    def _escalation_targets(self, scope):
        """{manager: reps} of the reps who have overdue items to escalate
        (one indexed query; the hierarchy is read per rep, a few hundred)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT a.user_id FROM mail_activity a WHERE %s AND %s AND a.user_id IS NOT NULL",
                self._overdue(),
                scope,
            )
        )
        reps = self.env["res.users"].browse(sorted(row[0] for row in self.env.cr.fetchall()))
        targets = defaultdict(lambda: self.env["res.users"])
        for rep in reps:
            manager = self._manager_of(rep)
            if manager:
                targets[manager] |= rep
        return dict(sorted(targets.items(), key=lambda item: item[0].id))

    @api.model
    def _overdue(self):
        return SQL(
            """a.active AND a.archive_plan_kind IS NOT NULL AND a.archive_escalated IS NOT TRUE
               AND COALESCE(a.archive_deadline, a.date_deadline) < %s
               AND NOT EXISTS (SELECT 1 FROM mail_activity e
                                WHERE e.archive_escalated_activity_id = a.id AND e.active)""",
            self._today(),
        )

    @api.model
    def _escalate_to(self, manager, reps, scope, limit=ESCALATION_CHUNK):
        """One statement: a To-Do for ``manager`` per overdue item of
        ``reps`` (at most ``limit``), and the items flagged as escalated.
        Returns [(item id, rep id)].

        The run claims the items it escalates (``FOR UPDATE SKIP LOCKED``):
        an overlapping run skips them instead of escalating them twice, and
        the UNIQUE index over the open escalations holds in any case."""
        lang = manager.lang or "en_US"
        # the manager's wording once, its placeholders filled per item by SQL
        template = self.with_context(lang=lang).env._(
            "Overdue: %(item)s (%(rep)s, due %(date)s)", item="{item}", rep="{rep}", date="{date}"
        )
        summary = SQL(
            "replace(replace(replace(%s, '{item}', COALESCE(o.summary, t.name ->> %s, t.name ->> 'en_US')), "
            "'{rep}', rp.name), '{date}', to_char(o.due, 'YYYY-MM-DD'))",
            template,
            lang,
        )
        insert = self._insert_activities(
            {
                "res_id": SQL("o.res_id"),
                "res_name": SQL("o.res_name"),
                "activity_type_id": SQL("%s", self.env.ref("mail.mail_activity_data_todo").id),
                "summary": summary,
                "date_deadline": SQL("%s", self._today()),
                "user_id": SQL("%s", manager.id),
                "user_tz": SQL("%s", manager.tz),
                "archive_escalated_activity_id": SQL("o.id"),
            },
            SQL(
                """FROM overdue o
                   JOIN mail_activity_type t ON t.id = o.activity_type_id
                   JOIN res_users ru ON ru.id = o.user_id
                   JOIN res_partner rp ON rp.id = ru.partner_id"""
            ),
            on_conflict=ON_CONFLICT_ESCALATION,
            returning=SQL("archive_escalated_activity_id"),
        )
        self.env.cr.execute(
            SQL(
                """
                WITH overdue AS (
                    SELECT a.id, a.res_id, a.res_name, a.summary, a.activity_type_id, a.user_id,
                           COALESCE(a.archive_deadline, a.date_deadline) AS due
                      FROM mail_activity a
                     WHERE %(overdue)s AND a.user_id = ANY(%(reps)s) AND %(scope)s
                     ORDER BY a.id
                     LIMIT %(limit)s
                       FOR UPDATE OF a SKIP LOCKED
                ), inserted AS (%(insert)s)
                UPDATE mail_activity a SET archive_escalated = TRUE
                  FROM inserted i
                 WHERE a.id = i.archive_escalated_activity_id
             RETURNING a.id, a.user_id
                """,
                overdue=self._overdue(),
                reps=reps.ids,
                scope=scope,
                limit=limit,
                insert=insert,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _notify_manager(self, manager, per_rep):
        """ONE message to the manager for the escalations of a run (instead
        of a mail per to-do): how many overdue items of each rep
        (``per_rep``: {rep id: count}) became their to-dos, in the manager's
        language."""
        per_rep = {int(rep_id): count for rep_id, count in per_rep.items()}
        total = sum(per_rep.values())
        env = self.with_context(lang=manager.lang or self.env.lang).env
        reps = env["res.users"].sudo().browse(sorted(per_rep))
        lines = Markup("").join(
            Markup("<li>%s</li>")
            % env._("%(rep)s: %(count)s overdue items", rep=rep.name, count=per_rep[rep.id])
            for rep in reps
        )
        body = Markup("<p>%s</p><ul>%s</ul><p>%s</p>") % (
            env._(
                "%(count)s overdue contact-plan items of your team were escalated to you as to-dos.",
                count=total,
            ),
            lines,
            env._("Open your activities to follow them up."),
        )
        # sudo: the job notifies the manager whoever runs it.
        env["mail.thread"].sudo().message_notify(
            partner_ids=manager.partner_id.ids,
            subject=env._("Overdue contact-plan items of your team"),
            body=body,
        )
        manager._bus_send("mail.activity/updated", {"activity_created": True, "count_diff": total})

    @api.model
    def _escalate_overdue(self, partner_ids=None):
        """A To-Do for the manager per overdue planned item, once
        (``archive_escalated``), inserted in bulk, and one message per
        manager. Items whose rep has no manager stay unescalated (and are
        retried by the next run). ``partner_ids``: only the items of these
        archives (default: all). Returns the escalated items
        (``mail.activity``). The cron does the same in committed chunks
        (``_run_chunks``)."""
        scope = SQL("TRUE") if partner_ids is None else SQL("a.res_id = ANY(%s)", list(partner_ids))
        escalated_ids = []
        for manager, reps in self._escalation_targets(scope).items():
            per_rep = defaultdict(int)
            while True:
                rows = self._escalate_to(manager, reps, scope)
                for item_id, rep_id in rows:
                    escalated_ids.append(item_id)
                    per_rep[rep_id] += 1
                if len(rows) < ESCALATION_CHUNK:
                    break
            if per_rep:
                self._notify_manager(manager, per_rep)
        self.env["mail.activity"].invalidate_model()
        return self.env["mail.activity"].browse(escalated_ids)

    # ------------------------------------------------------------------
    # The daily job: resumable chunks
    # ------------------------------------------------------------------
    @api.model
    def _commit(self):
        chunked_job.commit(self.env)

    @api.model
    def _time_budget(self):
        return chunked_job.time_budget(self.env, PARAM_TIME_BUDGET, DEFAULT_TIME_BUDGET)

    @api.model
    def _cron_run(self, time_budget=None, commit=None, chunk_size=PLAN_CHUNK):
        """The daily plan job: plan the missing items of every archive,
        ``chunk_size`` archives per transaction, then escalate the overdue
        items, one manager per transaction, each chunk committed.

        It works for ``time_budget`` seconds (default: the setting
        ``customer_archive.contact_plan_time_budget``, 30 s), always at least
        one chunk, then commits and re-triggers its cron: the next call
        resumes where this one stopped (the run record), so every call stays
        far inside Odoo's worker limits whatever the size of the database. A
        call cut off mid-chunk (time limit, error) loses only that chunk's
        transaction; nothing of it was committed.

        One call at a time: a session advisory lock (held across the chunk
        commits); an overlapping call skips. ``commit`` defaults to True
        outside tests. Returns True when the run is done."""
        if commit is None:
            commit = not odoo.modules.module.current_test
        budget = self._time_budget() if time_budget is None else time_budget
        deadline = time.monotonic() + budget
        started = time.monotonic()
        with chunked_job.one_call_at_a_time(self.env, CONTACT_PLAN_LOCK, commit) as acquired:
            if not acquired:
                _logger.info("Contact plan: another run is in progress, this one is skipped")
                return False
            run = self._run_chunks(deadline, commit, chunk_size)
        finished = run.state == "done"
        _logger.info(
            "Contact plan run %s: %s; %d customers planned, %d overdue items escalated, "
            "%d managers notified so far; this call took %.2fs",
            run.id,
            "done" if finished else "to be continued",
            run.planned_count,
            run.escalated_count,
            run.notified_count,
            time.monotonic() - started,
        )
        chunked_job.continue_later(
            self.env, finished, "customer_archive.ir_cron_customer_contact_plan", commit
        )
        return finished

    @api.model
    def _current_run(self):
        """The run to continue (the latest one not done), else a new one."""
        run = self.search([("state", "!=", "done")], limit=1)
        return run or self.create({})

    def _chunk(self, commit):
        return chunked_job.chunk(self.env, commit)

    @api.model
    def _run_chunks(self, deadline, commit, chunk_size):
        with self._chunk(commit):
            run = self._current_run()
        cr = self.env.cr
        while run.state == "plan":
            with self._chunk(commit):
                # the next archives that miss an open item (one probe of the
                # plan's UNIQUE index each): when nothing is due, one scan
                cr.execute(
                    SQL(
                        """SELECT p.id FROM res_partner p
                             JOIN res_users u ON u.id = p.user_id AND u.active
                             LEFT JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active
                            WHERE %s AND p.id > %s
                              AND (SELECT count(*) FROM mail_activity a
                                    WHERE a.res_id = p.id AND a.active
                                      AND a.archive_plan_kind IN ('call', 'visit', 'news', 'review'))
                                  < CASE WHEN c.id IS NULL THEN 1
                                         ELSE 3 + (COALESCE(c.news_interval_days, 0) > 0)::int END
                            ORDER BY p.id LIMIT %s""",
                        PLANNED_PARTNERS,
                        run.partner_cursor,
                        chunk_size,
                    )
                )
                partner_ids = [row[0] for row in cr.fetchall()]
                if partner_ids:
                    touched = self._plan(partner_ids, skip_if_running=False)
                    run.write(
                        {"partner_cursor": partner_ids[-1], "planned_count": run.planned_count + len(touched)}
                    )
                if len(partner_ids) < chunk_size:
                    run.state = "escalate"
            if time.monotonic() >= deadline:
                return run
        while run.state == "escalate":
            with self._chunk(commit):
                targets = self._escalation_targets(SQL("TRUE"))
                manager, reps = next(iter(targets.items())) if targets else (None, None)
                rows = self._escalate_to(manager, reps, SQL("TRUE")) if manager else []
                if rows:
                    # the counts for the manager's message, committed with the to-dos
                    pending = dict(run.notify_pending or {})
                    per_rep = dict(pending.get(str(manager.id)) or {})
                    for _item_id, rep_id in rows:
                        per_rep[str(rep_id)] = per_rep.get(str(rep_id), 0) + 1
                    pending[str(manager.id)] = per_rep
                    run.write({"notify_pending": pending, "escalated_count": run.escalated_count + len(rows)})
                else:
                    # nothing left (or only items another transaction holds: the next run takes them)
                    run.state = "notify"
            if run.state == "escalate" and time.monotonic() >= deadline:
                return run
        while run.state == "notify":
            with self._chunk(commit):
                pending = dict(run.notify_pending or {})
                if pending:
                    manager_id = min(pending, key=int)
                    # sudo: the managers are read to notify them, whoever runs the job
                    manager = self.env["res.users"].sudo().browse(int(manager_id)).exists()
                    if manager:
                        self._notify_manager(manager, pending[manager_id])
                    del pending[manager_id]
                    run.write(
                        {"notify_pending": pending, "notified_count": run.notified_count + bool(manager)}
                    )
                else:
                    run.write({"state": "done", "date_done": fields.Datetime.now()})
            if run.state == "notify" and time.monotonic() >= deadline:
                return run
        self.env["mail.activity"].invalidate_model()
        return run
