import json
import logging
import time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

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

# Per cadence kind: partner column of the last completed item, due date
# expression, cadence column of the summary, extra condition on the cadence.
CADENCE_KINDS = {
    "call": (
        "archive_last_call_date",
        "(p.archive_last_call_date + c.call_interval_days)",
        "call_summary",
        "TRUE",
    ),
    "visit": (
        "archive_last_visit_date",
        "(p.archive_last_visit_date + make_interval(months => c.visit_interval_months))::date",
        "visit_summary",
        "TRUE",
    ),
    "news": (
        "archive_last_news_date",
        "(p.archive_last_news_date + c.news_interval_days)",
        "news_summary",
        "c.news_interval_days > 0",
    ),
}

# Which archives get a contact plan: not closed ones, with an active rep.
PLANNED_PARTNERS = """
    p.is_customer_archive AND p.active AND p.parent_id IS NULL
    AND COALESCE(p.archive_state, 'draft') != 'closed'
"""

UNIQUE_INDEX = "mail_activity_archive_plan_open_uniq"
# At most one open escalation (the manager's to-do) per planned item.
ESCALATION_UNIQUE_INDEX = "mail_activity_archive_escalation_open_uniq"
# Advisory lock key of the plan job: a second run that overlaps a running
# one skips instead of racing it (the UNIQUE index is the hard guarantee).
CONTACT_PLAN_LOCK = 0x43415050  # "CAPP"
ON_CONFLICT = (
    "ON CONFLICT (res_id, archive_plan_kind) WHERE active AND archive_plan_kind IS NOT NULL DO NOTHING"
)


class MailActivity(models.Model):
    """Planned contacts of the customer archives (客户档案分类管理表).

    The plan job inserts the due calls, visits, news tasks and reviews in
    bulk with ``INSERT … SELECT … ON CONFLICT DO NOTHING``; a partial UNIQUE
    index on (customer, kind) over the open items guarantees one open call,
    one open visit… per customer, also when two runs overlap.
    Archive activities are kept when done (``keep_done`` types): their done
    dates are the compliance log.
    """

    _inherit = "mail.activity"  # pylint: disable=consider-merging-classes-inherited

    archive_plan_kind = fields.Selection(PLAN_KINDS, string="Contact Plan Item", readonly=True, copy=False)
    archive_deadline = fields.Date(
        string="Hard Deadline",
        readonly=True,
        copy=False,
        help="Past this date the item is escalated to the manager of the assigned rep.",
    )
    archive_escalated = fields.Boolean(string="Escalated", readonly=True, copy=False)
    archive_escalated_activity_id = fields.Many2one(
        "mail.activity",
        string="Escalated Item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The overdue planned contact this to-do of the rep's manager escalates.",
    )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON mail_activity (res_id, archive_plan_kind) "
                "WHERE active AND archive_plan_kind IS NOT NULL",
                SQL.identifier(UNIQUE_INDEX),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON mail_activity (archive_escalated_activity_id) "
                "WHERE active AND archive_escalated_activity_id IS NOT NULL",
                SQL.identifier(ESCALATION_UNIQUE_INDEX),
            )
        )
        return res

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _archive_type_ids(self):
        return {kind: self.env.ref(xmlid).id for kind, xmlid in ACTIVITY_TYPES.items()}

    @api.model
    def _archive_common_params(self):
        return {
            "model_id": self.env["ir.model"]._get_id("res.partner"),
            "today": fields.Date.context_today(self),
            "uid": self.env.uid,
            "all": True,
            "ids": [],
        }

    # ------------------------------------------------------------------
    # Plan job
    # ------------------------------------------------------------------
    @api.model
    def _archive_plan_contacts(self, partner_ids=None, skip_if_running=None):
        """Create the missing open calls, visits, news tasks and reviews of
        the archives (all of them, or ``partner_ids``). Returns the ids of
        the partners that got a new item.

        ``skip_if_running`` (default: for a run over all archives): when
        another run holds the plan lock, return at once; two overlapping
        cron runs then never race. Without it, overlapping inserts are
        still deduplicated by the UNIQUE index (ON CONFLICT DO NOTHING; under
        REPEATABLE READ the later transaction may get a serialization
        failure instead, and Odoo retries it).
        """
        self.env.flush_all()
        cr = self.env.cr
        if skip_if_running is None:
            skip_if_running = partner_ids is None
        if skip_if_running:
            cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [CONTACT_PLAN_LOCK])
            if not cr.fetchone()[0]:
                _logger.info("Contact plan: another run is in progress, this one is skipped")
                return []
        params = self._archive_common_params()
        if partner_ids is not None:
            params.update(all=False, ids=list(partner_ids))
        types = self._archive_type_ids()
        touched = set()
        for kind, (_last, due, summary, condition) in CADENCE_KINDS.items():
            query = SQL(
                """
                INSERT INTO mail_activity
                       (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                        date_deadline, archive_deadline, user_id, user_tz, automated, active,
                        archive_plan_kind, create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, 'res.partner', p.id, p.complete_name, %(type_id)s,
                       COALESCE(c.%(summary)s ->> up.lang, c.%(summary)s ->> 'en_US'),
                       COALESCE(%(due)s, %(today)s), COALESCE(%(due)s, %(today)s),
                       p.user_id, up.tz, TRUE, TRUE,
                       %(kind)s, %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM res_partner p
                  JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active AND %(condition)s
                  JOIN res_users u ON u.id = p.user_id AND u.active
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE %(planned)s
                   AND (%(all)s OR p.id = ANY(%(ids)s))
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_activity a
                         WHERE a.res_id = p.id AND a.archive_plan_kind = %(kind)s AND a.active)
                %(on_conflict)s
             RETURNING res_id
                """,
                **params,
                kind=kind,
                type_id=types[kind],
                summary=SQL.identifier(summary),
                due=SQL(due),
                condition=SQL(condition),
                planned=SQL(PLANNED_PARTNERS),
                on_conflict=SQL(ON_CONFLICT),
            )
            cr.execute(query)
            touched.update(row[0] for row in cr.fetchall())
        touched |= self._archive_plan_reviews(params, types["review"])
        if touched:
            self._archive_sync_partner_dates(list(touched))
        self.invalidate_model()
        return sorted(touched)

    @api.model
    def _archive_review_dates(self, partners):
        """Due date of the next review of each partner, from its own review
        interval (``res.partner._archive_review_interval_months``)."""
        today = fields.Date.context_today(self)
        # the cadences read once for the batch
        months_by_tier = self.env["customer.contact.cadence"]._review_months_by_tier()
        dates = {}
        for partner in partners:
            months = partner._archive_review_interval_months(months_by_tier)
            if not months:
                continue
            start = partner.archive_last_review_date or partner.archive_date or today
            dates[partner.id] = start + relativedelta(months=months)
        return dates

    @api.model
    def _archive_plan_reviews(self, params, type_id):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.id FROM res_partner p
                  JOIN res_users u ON u.id = p.user_id AND u.active
                 WHERE %(planned)s
                   AND (%(all)s OR p.id = ANY(%(ids)s))
                   AND NOT EXISTS (
                        SELECT 1 FROM mail_activity a
                         WHERE a.res_id = p.id AND a.archive_plan_kind = 'review' AND a.active)
                """,
                **params,
                planned=SQL(PLANNED_PARTNERS),
            )
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        if not partner_ids:
            return set()
        # sudo: the plan schedules the reviews of every planned archive, also
        # those the user who triggered it (a tier recompute from Settings) may not read
        dates = self._archive_review_dates(self.env["res.partner"].sudo().browse(partner_ids))
        summaries = {
            lang: self.with_context(lang=lang).env._("Review the customer archive")
            for lang, _name in self.env["res.lang"].get_installed()
        }
        cr.execute(
            SQL(
                """
                INSERT INTO mail_activity
                       (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                        date_deadline, archive_deadline, user_id, user_tz, automated, active,
                        archive_plan_kind, create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, 'res.partner', p.id, p.complete_name, %(type_id)s,
                       COALESCE((%(summaries)s::jsonb) ->> up.lang, %(summary)s),
                       d.due, d.due, p.user_id, up.tz, TRUE, TRUE,
                       'review', %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(partner_ids)s::int[], %(dues)s::date[]) AS d(partner_id, due)
                  JOIN res_partner p ON p.id = d.partner_id
                  JOIN res_users u ON u.id = p.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                %(on_conflict)s
             RETURNING res_id
                """,
                **params,
                type_id=type_id,
                partner_ids=list(dates),
                dues=list(dates.values()),
                summaries=json.dumps(summaries),
                summary=summaries.get("en_US") or next(iter(summaries.values())),
                on_conflict=SQL(ON_CONFLICT),
            )
        )
        return {row[0] for row in cr.fetchall()}

    @api.model
    def _archive_sync_partner_dates(self, partner_ids):
        """Next planned contact (earliest open call or visit) and next review
        of the partners, in one UPDATE."""
        self.env.flush_all()
        self.env.cr.execute(
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
            [list(partner_ids)],
        )
        self.env["res.partner"].invalidate_model(["archive_next_contact_date", "archive_next_review_date"])

    @api.model
    def _archive_reschedule(self, partner_ids):
        """After a tier (or cadence) change: new due dates and summaries for
        the open planned items, news tasks only for tiers that have them,
        then the items the new tier adds are planned (for customers already
        in the plan)."""
        if not partner_ids:
            return
        self.env.flush_all()
        cr = self.env.cr
        params = dict(self._archive_common_params(), all=False, ids=list(partner_ids))
        for kind, (_last, due, summary, _condition) in CADENCE_KINDS.items():
            cr.execute(
                SQL(
                    """
                    UPDATE mail_activity a
                       SET date_deadline = COALESCE(%(due)s, a.date_deadline),
                           archive_deadline = COALESCE(%(due)s, a.date_deadline),
                           -- a new due date may be missed again, unless the
                           -- escalation of the old one is still open
                           archive_escalated = EXISTS (SELECT 1 FROM mail_activity e
                                                        WHERE e.archive_escalated_activity_id = a.id
                                                          AND e.active),
                           summary = COALESCE(c.%(summary)s ->> up.lang, c.%(summary)s ->> 'en_US'),
                           write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                      FROM res_partner p
                      JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active
                      JOIN res_users u ON u.id = p.user_id
                      JOIN res_partner up ON up.id = u.partner_id
                     WHERE a.res_id = p.id AND a.active AND a.archive_plan_kind = %(kind)s
                       AND p.id = ANY(%(ids)s)
                    """,
                    **params,
                    kind=kind,
                    due=SQL(due),
                    summary=SQL.identifier(summary),
                )
            )
        # News tasks exist only for the tiers whose cadence has them (A).
        cr.execute(
            """
            DELETE FROM mail_activity a
             USING res_partner p
             WHERE a.res_id = p.id AND a.active AND a.archive_plan_kind = 'news' AND p.id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT 1 FROM customer_contact_cadence c
                                WHERE c.tier = p.archive_tier AND c.active AND c.news_interval_days > 0)
            """,
            params,
        )
        # Reviews follow the partner's own interval.
        cr.execute(
            "SELECT res_id, id FROM mail_activity WHERE active AND archive_plan_kind = 'review' AND res_id = ANY(%s)",
            [params["ids"]],
        )
        review_ids = dict(cr.fetchall())
        if review_ids:
            dates = self._archive_review_dates(self.env["res.partner"].browse(list(review_ids)))
            cr.execute(
                """
                UPDATE mail_activity a SET date_deadline = d.due, archive_deadline = d.due,
                       archive_escalated = EXISTS (SELECT 1 FROM mail_activity e
                                                    WHERE e.archive_escalated_activity_id = a.id AND e.active)
                  FROM unnest(%s::int[], %s::date[]) AS d(id, due)
                 WHERE a.id = d.id AND a.date_deadline IS DISTINCT FROM d.due
                """,
                [[review_ids[pid] for pid in dates], list(dates.values())],
            )
        self.invalidate_model()
        # Items the new tier adds (e.g. the news task of an A customer) for the
        # customers already in the plan; the others wait for the plan job.
        cr.execute(
            """SELECT DISTINCT res_id FROM mail_activity
                WHERE active AND archive_plan_kind IS NOT NULL AND res_id = ANY(%s)""",
            [params["ids"]],
        )
        planned_ids = [row[0] for row in cr.fetchall()]
        if planned_ids:
            self._archive_plan_contacts(planned_ids)
            self._archive_sync_partner_dates(planned_ids)

    @api.model
    def _archive_plan_update(self, partner_ids):
        """'Update archive' item after new information was logged: due in
        ``update_due_days``, hard deadline ``update_deadline_days`` (policy)."""
        policy = self.env["customer.tier.policy"].sudo()._get_active_policy()
        if not policy:
            return
        today = fields.Date.context_today(self)
        # The summary is stored as text: in the language of the rep who gets it.
        summaries = {
            lang: self.with_context(lang=lang).env._("Update the archive with the new information")
            for lang, _name in self.env["res.lang"].get_installed()
        }
        summary = summaries.get(self.env.lang) or self.env._("Update the archive with the new information")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_activity
                       (res_model_id, res_model, res_id, res_name, activity_type_id, summary,
                        date_deadline, archive_deadline, user_id, user_tz, automated, active,
                        archive_plan_kind, create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, 'res.partner', p.id, p.complete_name, %(type_id)s,
                       COALESCE((%(summaries)s::jsonb) ->> up.lang, %(summary)s),
                       %(due)s, %(deadline)s, COALESCE(u.id, %(uid)s), up.tz, TRUE, TRUE,
                       'update', %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM res_partner p
                  LEFT JOIN res_users u ON u.id = p.user_id AND u.active
                  JOIN res_partner up ON up.id = COALESCE(u.partner_id, %(user_partner)s)
                 WHERE p.id = ANY(%(ids)s)
                %(on_conflict)s
                """,
                **dict(self._archive_common_params(), ids=list(partner_ids)),
                type_id=self.env.ref(ACTIVITY_TYPES["update"]).id,
                summary=summary,
                summaries=json.dumps(summaries),
                due=today + relativedelta(days=policy.update_due_days),
                deadline=today + relativedelta(days=policy.update_deadline_days),
                user_partner=self.env.user.partner_id.id,
                on_conflict=SQL(ON_CONFLICT),
            )
        )
        self.invalidate_model()

    # ------------------------------------------------------------------
    # Completion: last contact date, next item
    # ------------------------------------------------------------------
    # Hooks of mail.activity's _action_done (mail_activity.py)
    def _archive_before_done_plan(self):
        """(archive id, plan kind) of the planned items among the completed
        activities, for ``_archive_after_done``."""
        planned = self.filtered(lambda a: a.archive_plan_kind and a.res_model == "res.partner")
        self._archive_close_escalations_of(planned)
        return [(activity.res_id, activity.archive_plan_kind) for activity in planned]

    def _archive_close_escalations_of(self, planned):
        """An overdue item done closes the 逾期 to-do of the manager that
        escalates it: nothing is left to chase."""
        if not planned:
            return
        # sudo: the escalation is the manager's to-do; the rep who completes
        # the item may neither read nor close it.
        escalations = self.sudo().search([("archive_escalated_activity_id", "in", planned.ids)])
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
    def _archive_after_done(self, done):
        """Last contact dates of the archives and their next planned items."""
        today = fields.Date.context_today(self)
        columns = {
            "call": "archive_last_call_date",
            "visit": "archive_last_visit_date",
            "news": "archive_last_news_date",
            "review": "archive_last_review_date",
        }
        partners = self.env["res.partner"].browse({partner_id for partner_id, _kind in done})
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
        self._archive_plan_contacts(partners.ids)
        self._archive_sync_partner_dates(partners.ids)

    # ------------------------------------------------------------------
    # Escalation of overdue items
    # ------------------------------------------------------------------
    @api.model
    def _archive_manager_of(self, user):
        """The rep's manager: the employee's manager, else the department
        manager (not the rep themself)."""
        # sudo: reps cannot read other employees; the cron needs the hierarchy.
        employee = user.sudo().employee_id
        for candidate in (employee.parent_id, employee.department_id.manager_id):
            if candidate.user_id and candidate.user_id != user:
                return candidate.user_id
        return self.env["res.users"]

    @api.model
    def _archive_escalate_overdue(self, partner_ids=None):
        """One To-Do activity for the manager per overdue planned item, once
        (``archive_escalated``). Items whose rep has no manager stay
        unescalated (and are retried by the next run).

        An item never has two open escalations: the to-do links to its item
        (``archive_escalated_activity_id``, UNIQUE over the open to-dos), an
        item whose escalation is still open is not escalated again (also
        when a reschedule moved its due date and reset its flag), and a run
        claims the items it escalates (``FOR UPDATE SKIP LOCKED``): an
        overlapping run skips them instead of escalating them twice.
        ``partner_ids``: only the items of these archives (default: all).
        """
        self.env.flush_all()
        today = fields.Date.context_today(self)
        cr = self.env.cr
        cr.execute(
            """
            SELECT a.id FROM mail_activity a
             WHERE a.active AND a.archive_plan_kind IS NOT NULL AND NOT COALESCE(a.archive_escalated, FALSE)
               AND COALESCE(a.archive_deadline, a.date_deadline) < %(today)s
               AND NOT EXISTS (SELECT 1 FROM mail_activity e
                                WHERE e.archive_escalated_activity_id = a.id AND e.active)
               AND (%(all)s OR a.res_id = ANY(%(ids)s))
             ORDER BY a.id
               FOR UPDATE OF a SKIP LOCKED
            """,
            {"today": today, "all": partner_ids is None, "ids": list(partner_ids or [])},
        )
        overdue = self.browse([row[0] for row in cr.fetchall()])
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        values, escalated = [], self.browse()
        managers = {}
        for activity in overdue:
            if activity.user_id not in managers:
                managers[activity.user_id] = self._archive_manager_of(activity.user_id)
            manager = managers[activity.user_id]
            if not manager:
                continue
            escalated |= activity
            values.append(
                {
                    "res_model_id": activity.res_model_id.id,
                    "res_id": activity.res_id,
                    "activity_type_id": todo_type.id,
                    "user_id": manager.id,
                    "date_deadline": today,
                    "summary": self.with_context(lang=manager.lang).env._(
                        "Overdue: %(item)s (%(rep)s, due %(date)s)",
                        item=activity.summary or activity.activity_type_id.name,
                        rep=activity.user_id.name,
                        date=activity.archive_deadline or activity.date_deadline,
                    ),
                    "automated": True,
                    "archive_escalated_activity_id": activity.id,
                }
            )
        if values:
            self.create(values)
            escalated.write({"archive_escalated": True})
        return escalated

    @api.model
    def _cron_archive_contact_plan(self):
        started = time.monotonic()
        # One run at a time, for both steps: a run that overlaps a running
        # one neither plans nor escalates (the lock is held until commit).
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [CONTACT_PLAN_LOCK])
        if not self.env.cr.fetchone()[0]:
            _logger.info("Contact plan: another run is in progress, this one is skipped")
            return
        touched = self._archive_plan_contacts(skip_if_running=False)
        escalated = self._archive_escalate_overdue()
        _logger.info(
            "Contact plan: %d customers planned, %d overdue items escalated in %.2fs",
            len(touched),
            len(escalated),
            time.monotonic() - started,
        )
