from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .test_contact_plan import ContactPlanCase

CHUNK = 3


class CutOff(Exception):
    """The worker's time limit, a crash: the job stops in the middle of a chunk."""


@tagged("post_install", "-at_install")
class TestContactPlanChunks(ContactPlanCase):
    """The daily job works in chunks (archives planned, one manager's
    escalations), each committed on its own (here: a savepoint each, the
    test runs in one transaction): a run cut off in the middle of a chunk
    keeps the chunks before it, nothing of the cut one, and the next run
    finishes the work without doing anything twice."""

    def setUp(self):
        super().setUp()
        # archived long ago, never reviewed: every review is overdue
        self.partners = self.env["res.partner"].create(
            [
                {
                    "name": f"分批客户 {index}",
                    "is_company": True,
                    "user_id": self.rep.id,
                    "archive_tier": "c",
                    "archive_date": date(2020, 1, 10),
                }
                for index in range(7)
            ]
        )
        self.PlanClass = type(self.Plan)

    def _items(self):
        """{(archive, kind): count} of the open planned items."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT res_id, archive_plan_kind, count(*) FROM mail_activity
                WHERE active AND archive_plan_kind IS NOT NULL AND res_model = 'res.partner'
                GROUP BY 1, 2"""
        )
        return {(res_id, kind): count for res_id, kind, count in self.env.cr.fetchall()}

    def _boss_todos(self):
        return self.Activity.search(
            [
                ("res_id", "in", self.partners.ids),
                ("user_id", "=", self.boss.id),
                ("archive_plan_kind", "=", False),
            ]
        )

    def _boss_messages(self):
        return self.env["mail.message"].search(
            [("partner_ids", "in", self.boss.partner_id.ids), ("model", "=", False)]
        )

    def _run_cut_off(self, method, cut_off):
        """A run that stops in the middle of a chunk, where ``cut_off``, in
        place of the plan's ``method``, raises CutOff; returns the run. (Not
        ``assertRaises``: Odoo's rolls back everything done in its block.)"""
        with patch.object(self.PlanClass, method, cut_off):
            try:
                self.Plan._cron_run(time_budget=600, chunk_size=CHUNK)
            except CutOff:
                return self.Plan.search([], limit=1)
        self.fail("the run was not cut off")

    def _assert_finished(self):
        items = self._items()
        self.assertEqual(set(items.values()), {1}, "one open item per archive and kind")
        for partner in self.partners:
            for kind in ("call", "visit", "review"):
                self.assertIn((partner.id, kind), items)
        self.assertFalse(self.Plan._plan(), "nothing is left to plan")
        reviews = self.Activity.search(
            [("res_id", "in", self.partners.ids), ("archive_plan_kind", "=", "review")]
        )
        self.assertTrue(all(reviews.mapped("archive_escalated")))
        todos = self._boss_todos()
        self.assertEqual(todos.archive_escalated_activity_id, reviews, "each overdue review escalated once")
        self.assertEqual(len(todos), len(reviews))
        messages = self._boss_messages()
        self.assertEqual(len(messages), 1, "ONE message to the manager for all escalations")
        self.assertIn("计划代表", messages.body)
        self.assertIn(str(len(reviews)), messages.body)

    @freeze_time("2026-03-02")
    def test_planning_cut_off_mid_chunk_resumes(self):
        before = self._items()
        original = self.PlanClass._sync_partner_dates
        calls = []

        def cut_off_second_chunk(plan, partner_ids):
            calls.append(partner_ids)
            if len(calls) == 2:
                # the chunk's items are inserted already: they must go with it
                raise CutOff
            return original(plan, partner_ids)

        run = self._run_cut_off("_sync_partner_dates", cut_off_second_chunk)
        self.assertEqual(run.state, "plan")
        self.assertTrue(run.partner_cursor)
        items = self._items()
        new = set(items) - set(before)
        self.assertTrue(new, "the first chunk is kept")
        self.assertTrue(
            all(res_id <= run.partner_cursor for res_id, _kind in new),
            "nothing of the chunk that was cut off is left",
        )
        self.assertFalse(self._boss_todos())

        self.assertTrue(self.Plan._cron_run(time_budget=600, chunk_size=CHUNK))
        self.assertEqual(run.state, "done", "the next run resumes the same run")
        self._assert_finished()

        # a third run finds nothing to do
        self.assertTrue(self.Plan._cron_run(time_budget=600, chunk_size=CHUNK))
        last = self.Plan.search([], limit=1)
        self.assertNotEqual(last, run)
        self.assertEqual((last.planned_count, last.escalated_count), (0, 0))
        self._assert_finished()

    @freeze_time("2026-03-02")
    def test_escalation_cut_off_mid_chunk_resumes(self):
        original = self.PlanClass._escalate_to
        boss = self.boss

        def cut_off_at_boss(plan, manager, reps, scope, **kwargs):
            rows = original(plan, manager, reps, scope, **kwargs)
            if manager == boss and rows:
                # the boss's to-dos are inserted and their items flagged already
                raise CutOff
            return rows

        run = self._run_cut_off("_escalate_to", cut_off_at_boss)
        self.assertEqual(run.state, "escalate")
        self.assertFalse(self._boss_todos(), "the cut chunk's to-dos are gone")
        reviews = self.Activity.search(
            [("res_id", "in", self.partners.ids), ("archive_plan_kind", "=", "review")]
        )
        self.assertEqual(len(reviews), len(self.partners))
        self.assertFalse(any(reviews.mapped("archive_escalated")), "and so are the flags of its items")
        self.assertNotIn(str(self.boss.id), run.notify_pending or {})
        self.assertFalse(self._boss_messages())

        self.assertTrue(self.Plan._cron_run(time_budget=600, chunk_size=CHUNK))
        self.assertEqual(run.state, "done")
        self._assert_finished()

    @freeze_time("2026-03-02")
    def test_notification_cut_off_is_sent_once_by_the_next_run(self):
        original = self.PlanClass._notify_manager
        boss = self.boss

        def cut_off_at_boss(plan, manager, per_rep):
            original(plan, manager, per_rep)
            if manager == boss:
                # the message is posted already: it must go with its chunk
                raise CutOff

        run = self._run_cut_off("_notify_manager", cut_off_at_boss)
        self.assertEqual(run.state, "notify")
        self.assertTrue(self._boss_todos(), "the escalations were committed before")
        self.assertFalse(self._boss_messages(), "the message of the cut chunk is gone")
        self.assertEqual(run.notify_pending[str(self.boss.id)], {str(self.rep.id): len(self.partners)})

        self.assertTrue(self.Plan._cron_run(time_budget=600, chunk_size=CHUNK))
        self.assertEqual(run.state, "done")
        self.assertFalse(run.notify_pending)
        self._assert_finished()

    @freeze_time("2026-03-02")
    def test_no_time_left_continues_on_the_next_call(self):
        """A budget of 0 s: each call does one chunk, commits it and
        re-triggers the cron; the calls together do what one long run does."""
        cron = self.env.ref("customer_archive.ir_cron_customer_contact_plan")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        self.assertFalse(self.Plan._cron_run(time_budget=0, chunk_size=CHUNK))
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            len(triggers),
            "work is left: the cron is triggered again",
        )
        for _call in range(200):
            if self.Plan._cron_run(time_budget=0, chunk_size=CHUNK):
                break
        else:
            self.fail("the run never finished")
        run = self.Plan.search([], limit=1)
        self.assertEqual(run.state, "done")
        self.assertEqual(self.Plan.search_count([]), 1, "all calls continued one run")
        self._assert_finished()

    def test_escalation_summary_in_the_managers_language(self):
        self.boss.lang = "zh_CN"
        with freeze_time("2026-03-02"):
            self.Plan._plan(self.partners[:1].ids)
            self.Plan._escalate_overdue(self.partners[:1].ids)
        todo = self._boss_todos()
        self.assertEqual(len(todo), 1)
        self.assertIn("计划代表", todo.summary)
        self.assertNotIn("Overdue", todo.summary)
        self.assertIn("2020", todo.summary, "the missed due date")
        message = self._boss_messages()
        self.assertEqual(len(message), 1)
        self.assertNotIn("overdue", message.body.lower())
