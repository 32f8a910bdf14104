"""The nightly tier recompute and the nightly analysis work in committed,
resumable chunks (``customer.archive.batch.run``; here each chunk is a
savepoint, the test runs in one transaction): a run cut off in the middle
of a chunk keeps the chunks before it and nothing of the cut one, and the
next run finishes with the result of a run that was never cut off."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models.res_partner_analysis import ANALYSIS_FIELDS
from .common import ArchiveCase
from .test_tier_scoring import TierCase

CHUNK = 4
TODAY = "2026-06-30"


class CutOff(Exception):
    """The worker's time limit, a crash: the job stops in the middle of a chunk."""


class Rollback(Exception):
    """Undoes the run that gives the expected result."""


class ChunkMixin:
    def _expected(self, run_at_once, state):
        """The state after ``run_at_once()``, a run in one go, undone after."""
        expected = None
        try:
            with self.env.cr.savepoint():
                run_at_once()
                expected = state()
                raise Rollback
        except Rollback:
            self.env.invalidate_all()
        return expected

    def _cut_off(self, cron, model_class, method, at_call=2):
        """Run ``cron`` with ``method`` of ``model_class`` raising CutOff at
        its ``at_call``-th call, after doing its work (which must go with
        its chunk). Not ``assertRaises``: Odoo's rolls back its block."""
        original = getattr(model_class, method)
        calls = []

        def cut_off(*args, **kwargs):
            result = original(*args, **kwargs)
            calls.append(1)
            if len(calls) == at_call:
                raise CutOff
            return result

        with patch.object(model_class, method, cut_off):
            try:
                cron()
            except CutOff:
                self.env.invalidate_all()
                return
        self.fail("the run was not cut off")

    def setUp(self):
        super().setUp()
        Run = self.env["customer.archive.batch.run"]
        # the runs of this test only
        self.first_run_id = (Run.search([], limit=1).id or 0) + 1

    def _runs(self, job):
        return self.env["customer.archive.batch.run"].search(
            [("job", "=", job), ("id", ">=", self.first_run_id)]
        )

    def _work_table_exists(self, run):
        self.env.cr.execute(
            SQL("SELECT to_regclass(%s)", f"customer_archive_batch_work_{run.id}"),
        )
        return bool(self.env.cr.fetchone()[0])


@tagged("post_install", "-at_install")
class TestTierRecomputeChunks(ChunkMixin, TierCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.generated = cls._generate_customers(14)
        cls.ResPartner = type(cls.env["res.partner"])

    def _state(self):
        """Tier, score and tier date of every archive, and the recompute's
        history rows and chatter lines per archive."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """SELECT id, archive_tier, archive_tier_score, archive_tier_date FROM res_partner
                WHERE is_customer_archive ORDER BY id"""
        )
        tiers = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            """SELECT partner_id, count(*) FROM customer_tier_history
                WHERE reason = 'recompute' GROUP BY 1"""
        )
        history = dict(cr.fetchall())
        cr.execute(
            """SELECT m.res_id, count(*) FROM mail_message m
                 JOIN mail_tracking_value t ON t.mail_message_id = m.id
                WHERE m.model = 'res.partner' GROUP BY 1"""
        )
        return tiers, history, dict(cr.fetchall())

    def _cron(self, **kwargs):
        return self.env["customer.tier.policy"]._cron_recompute_tiers(chunk_size=CHUNK, **kwargs)

    def test_cut_off_mid_run_resumes_with_the_result_of_an_uncut_run(self):
        before = self._state()
        expected = self._expected(self.policy._recompute_tiers, self._state)
        self.assertNotEqual(before[0], expected[0], "the recompute changes tiers")
        self.assertTrue(expected[1])

        self._cut_off(lambda: self._cron(time_budget=600), self.ResPartner, "_archive_apply_tier_changes")
        run = self._runs("tier_recompute")
        self.assertEqual(run.state, "apply")
        self.assertGreater(run.line_count, 2 * CHUNK, "several chunks to apply")
        self.assertTrue(run.partner_cursor)
        tiers, history, tracking = self._state()
        for partner_id, values in tiers.items():
            if partner_id <= run.partner_cursor:
                self.assertEqual(values, expected[0][partner_id], "the first chunk is kept")
            else:
                self.assertEqual(values, before[0][partner_id], "nothing of the cut chunk is left")
        self.assertTrue(history)
        self.assertLessEqual(max(history), run.partner_cursor, "no history row of the cut chunk")
        for partner_id in tiers:
            if partner_id > run.partner_cursor:
                self.assertEqual(tracking.get(partner_id), before[2].get(partner_id), "nor chatter line")

        self.assertTrue(self._cron(time_budget=600))
        self.assertEqual(run.state, "done", "the next call resumes the same run")
        self.assertEqual(self._state(), expected, "the same result as a run in one go, nothing twice")
        self.assertFalse(self._work_table_exists(run), "the work table goes with the run")
        self.assertEqual(self.policy.last_recompute_changes, run.changed_count)

        # a second run finds nothing to change
        self.assertTrue(self._cron(time_budget=600))
        self.assertEqual(self._runs("tier_recompute")[0].changed_count, 0)
        self.assertEqual(self._state(), expected)

    def test_a_call_per_chunk_within_the_time_budget(self):
        """A budget of 0 s: each call does one chunk, commits it and
        re-triggers the cron; the calls together do what one run does."""
        expected = self._expected(self.policy._recompute_tiers, self._state)
        cron = self.env.ref("customer_archive.ir_cron_customer_tier_recompute")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.assertFalse(self._cron(time_budget=0))
        run = self._runs("tier_recompute")
        self.assertEqual(run.state, "apply", "the first call ranks only")
        self.assertEqual(run.partner_cursor, 0)
        self.assertGreater(
            Trigger.search_count([("cron_id", "=", cron.id)]), triggers, "the cron is re-triggered"
        )
        while not self._cron(time_budget=0):
            self.assertLess(run.call_count, 100, "the run never finished")
        self.assertEqual(run.call_count, 1 + -(-run.line_count // CHUNK), "one call to rank, one per chunk")
        self.assertEqual(self._runs("tier_recompute"), run, "all calls continued one run")
        self.assertEqual(self._state(), expected)

    def test_a_tier_changed_after_the_ranking_is_kept(self):
        self.assertFalse(self._cron(time_budget=0))
        run = self._runs("tier_recompute")
        self.env.cr.execute(SQL("SELECT id, new_tier FROM %s", run._work_table()))
        ranked = dict(self.env.cr.fetchall())
        target = self.generated.filtered(lambda p: ranked.get(p.id) and ranked[p.id] != "c")[:1]
        self.assertTrue(target)
        # a manager sets C by hand between two calls of the run
        target.with_user(self.manager).write({"archive_tier": "c"})
        while not self._cron(time_budget=0):
            pass
        self.assertEqual(target.archive_tier, "c", "the manager's change wins over the older ranking")
        history = self._history(target)
        self.assertEqual(history.mapped("reason"), ["manual"], "and the run wrote no change of its own")

    def test_a_recompute_at_once_supersedes_an_unfinished_run(self):
        self.assertFalse(self._cron(time_budget=0))
        run = self._runs("tier_recompute")
        self.assertTrue(self._work_table_exists(run))
        self.policy._recompute_tiers()
        self.assertEqual(run.state, "cancel")
        self.assertFalse(self._work_table_exists(run))
        state = self._state()
        self.assertTrue(self._cron(time_budget=600), "the next night starts afresh")
        self.assertEqual(self._runs("tier_recompute")[0].changed_count, 0)
        self.assertEqual(self._state(), state)


@tagged("post_install", "-at_install")
class TestAnalysisChunks(ChunkMixin, ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Transaction = cls.env["customer.archive.transaction"]
        cls.customers = cls.env["res.partner"]
        with freeze_time(TODAY):
            for index in range(11):
                partner = cls.create_archive(
                    f"分批分析客户 {index}", rep=cls.rep, archive_tier="ab"[index % 2]
                )
                # a third bought long ago only: inactive, at risk
                last = date(2024, 1, 10) if index % 3 == 0 else date(2026, 6, 1 + index)
                Transaction.create(
                    [
                        {
                            "name": f"CHUNK-{index}-{k}",
                            "partner_id": partner.id,
                            "date": day,
                            "amount": amount,
                        }
                        for k, (day, amount) in enumerate(
                            [(date(2023, 3, 1 + index), 1000 + 100 * index), (last, 500 * (index + 1))]
                        )
                    ]
                )
                cls.customers |= partner
        cls.env.flush_all()
        # the tier distribution has every month of its horizon to add
        cls.env.cr.execute("DELETE FROM customer_archive_tier_snapshot")
        cls.ResPartner = type(cls.env["res.partner"])
        cls.Snapshot = type(cls.env["customer.archive.tier.snapshot"])

    def _state(self):
        """The analysis figures of every archive, the open at-risk
        activities and the tier distribution's rows."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE is_customer_archive ORDER BY id",
                SQL(", ").join(SQL.identifier(name) for name in ANALYSIS_FIELDS),
            )
        )
        figures = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                "SELECT res_id, count(*) FROM mail_activity WHERE activity_type_id = %s AND active GROUP BY 1",
                self.env.ref("customer_archive.mail_activity_type_archive_at_risk").id,
            )
        )
        activities = dict(cr.fetchall())
        cr.execute("SELECT month, partner_id, tier FROM customer_archive_tier_snapshot ORDER BY 1, 2")
        return figures, activities, cr.fetchall()

    def _at_once(self):
        self.env["res.partner"]._archive_compute_analysis()
        self.env["customer.archive.tier.snapshot"]._refresh()

    def _cron(self, **kwargs):
        return self.env["res.partner"]._cron_archive_compute_analysis(chunk_size=CHUNK, **kwargs)

    @freeze_time(TODAY)
    def test_cut_off_while_writing_the_figures_resumes(self):
        before = self._state()
        expected = self._expected(self._at_once, self._state)
        self.assertTrue(expected[1], "some customers become at risk")
        self.assertTrue(expected[2])

        self._cut_off(lambda: self._cron(time_budget=600), self.ResPartner, "_archive_analysis_apply")
        run = self._runs("analysis")
        self.assertEqual(run.state, "apply")
        self.assertGreater(run.line_count, 2 * CHUNK)
        figures, activities, snapshot = self._state()
        for partner_id, values in figures.items():
            if partner_id <= run.partner_cursor:
                self.assertEqual(values, expected[0][partner_id], "the first chunk is kept")
            else:
                self.assertEqual(values, before[0][partner_id], "nothing of the cut chunk is left")
        for res_id in set(expected[1]) | set(activities):
            source = expected[1] if res_id <= run.partner_cursor else before[1]
            self.assertEqual(
                activities.get(res_id), source.get(res_id), "at-risk activities of the first chunk only"
            )
        self.assertNotEqual(activities, expected[1])
        self.assertFalse(snapshot, "the distribution waits for the figures")

        self.assertTrue(self._cron(time_budget=600))
        self.assertEqual(run.state, "done")
        self.assertEqual(self._state(), expected, "the same result as a run in one go, nothing twice")
        self.assertFalse(self._work_table_exists(run))

        self.assertTrue(self._cron(time_budget=600))
        last = self._runs("analysis")[0]
        self.assertEqual((last.line_count, last.changed_count, last.activity_count), (0, 0, 0))
        self.assertEqual(self._state(), expected)

    @freeze_time(TODAY)
    def test_cut_off_while_adding_the_months_resumes(self):
        expected = self._expected(self._at_once, self._state)
        months = self.env["customer.archive.tier.snapshot"]._missing_months()
        self.assertIn(months[-1], {row[0] for row in expected[2]}, "the month just closed has rows")
        # cut off while adding the last month
        self._cut_off(lambda: self._cron(time_budget=600), self.Snapshot, "_refresh", at_call=len(months))
        run = self._runs("analysis")
        self.assertEqual(run.state, "snapshot")
        self.assertEqual(run.month_cursor, months[-2])
        _figures, _activities, snapshot = self._state()
        self.assertEqual(
            snapshot,
            [row for row in expected[2] if row[0] < months[-1]],
            "the months before are kept, the last one went with its chunk",
        )

        self.assertTrue(self._cron(time_budget=600))
        self.assertEqual(self._state(), expected)

    @freeze_time(TODAY)
    def test_a_call_per_chunk_within_the_time_budget(self):
        """A budget of 0 s: one call computes the figures, one writes each
        chunk of them, one adds each month, even a month without rows."""
        expected = self._expected(self._at_once, self._state)
        months = self.env["customer.archive.tier.snapshot"]._missing_months()
        self.assertGreater(len(months), len({row[0] for row in expected[2]}), "months before any archive")
        calls = 1
        while not self._cron(time_budget=0):
            calls += 1
            self.assertLess(calls, 200, "the run never finished")
        run = self._runs("analysis")
        self.assertEqual(len(run), 1, "all calls continued one run")
        self.assertEqual(run.call_count, calls)
        self.assertEqual(calls, 1 + -(-run.line_count // CHUNK) + len(months))
        self.assertEqual(self._state(), expected)
