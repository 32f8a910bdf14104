import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

# A worker that waits on a lock gives up after this long, so a broken lock or
# index makes the test fail instead of waiting forever (two cursors in one
# thread deadlock the test run otherwise).
LOCK_TIMEOUT = "10s"
STATEMENT_TIMEOUT = "30s"


@tagged("post_install", "-at_install")
class TestContactPlanOverlap(TransactionCase):
    """Two runs of the plan job in two real transactions (two workers).

    The customers are committed in their own cursor (the test cursor is not
    used, so no lock of the test transaction can block the workers) and
    deleted again at the end.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            admin = env.ref("base.user_admin")
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"并发客户 {index}",
                        "archive_number": f"TEST-OVERLAP-{index}-{time.time_ns()}",
                        "user_id": admin.id,
                        "archive_tier": tier,
                    }
                    for index, tier in enumerate("abc")
                ]
            )
            self.partner_ids = partners.ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            ids = self.partner_ids
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id = ANY(%s)", [ids]
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'res.partner' AND res_id = ANY(%s)", [ids]
            )
            cr.execute("DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)", [ids])
            env = api.Environment(cr, SUPERUSER_ID, {})
            # superuser: archives are never deleted by users; the test removes its own.
            env["res.partner"].browse(ids).with_context(active_test=False).unlink()

    def _worker_cursor(self, isolation=None):
        """A cursor of its own (a worker's transaction) that waits at most
        LOCK_TIMEOUT for a lock and STATEMENT_TIMEOUT for a statement."""
        cr = self.registry.cursor()
        if isolation:
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL %s", SQL(isolation)))
        cr.execute(
            "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
            [LOCK_TIMEOUT, STATEMENT_TIMEOUT],
        )
        return cr

    def _backend_wait(self, pid, worker, timeout=20):
        """(wait_event_type, current query) of backend ``pid`` once it waits
        on a lock, or its last state when ``worker`` ended or after
        ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self.registry.cursor() as cr:
                cr.execute("SELECT wait_event_type, query FROM pg_stat_activity WHERE pid = %s", [pid])
                row = cr.fetchone() or (None, "")
            if row[0] == "Lock" or not worker.is_alive() or time.monotonic() > deadline:
                return row
            time.sleep(0.05)

    def _open_items(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT res_id, archive_plan_kind, count(*) FROM mail_activity
                    WHERE res_model = 'res.partner' AND res_id = ANY(%s) AND active
                      AND archive_plan_kind IS NOT NULL
                    GROUP BY res_id, archive_plan_kind""",
                [self.partner_ids],
            )
            return cr.fetchall()

    def _assert_one_open_item_per_kind(self):
        rows = self._open_items()
        self.assertTrue(rows)
        self.assertEqual({count for _pid, _kind, count in rows}, {1}, rows)
        kinds = {(pid, kind) for pid, kind, _count in rows}
        for pid in self.partner_ids:
            self.assertIn((pid, "call"), kinds)
            self.assertIn((pid, "visit"), kinds)

    @mute_logger("odoo.sql_db")
    def test_overlapping_cron_runs_skip(self):
        """The second run finds the first one's lock and skips, without
        waiting on the rows the first one wrote."""
        with self._worker_cursor() as cr1, self._worker_cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            first = env1["customer.contact.plan"]._plan(self.partner_ids, skip_if_running=True)
            try:
                second = env2["customer.contact.plan"]._plan(self.partner_ids, skip_if_running=True)
            except (psycopg2.errors.LockNotAvailable, psycopg2.errors.QueryCanceled):
                self.fail("the second run waited on the first one's open items instead of skipping")
            self.assertEqual(sorted(first), sorted(self.partner_ids))
            self.assertEqual(second, [])
            cr1.commit()
            cr2.commit()
        self._assert_one_open_item_per_kind()

    @mute_logger("odoo.sql_db")
    def test_overlapping_inserts_are_deduplicated_by_the_database(self):
        """Without the lock both runs insert; the UNIQUE index makes the
        second one's INSERT wait for the first transaction and then insert
        nothing (ON CONFLICT DO NOTHING).

        The second worker runs in READ COMMITTED so that what stops it is the
        index alone: under Odoo's REPEATABLE READ the waiting INSERT ends in a
        serialization failure that Odoo retries, and without the index the
        second run would fail the same way later (on the partners' next
        contact dates), hiding the duplicates it inserted."""
        outcome = {}
        # The environments are made in this thread: opening the registry from
        # another thread would wait for the registry lock the test run holds.
        with self._worker_cursor() as cr1, self._worker_cursor(isolation="READ COMMITTED") as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["customer.contact.plan"]._plan(self.partner_ids, skip_if_running=False)
            cr2.execute("SELECT pg_backend_pid()")
            second_pid = cr2.fetchone()[0]

            def second_worker():
                try:
                    outcome["planned"] = env2["customer.contact.plan"]._plan(
                        self.partner_ids, skip_if_running=False
                    )
                    cr2.commit()
                except psycopg2.Error as error:
                    cr2.rollback()
                    outcome["planned"] = repr(error)

            worker = threading.Thread(target=second_worker)
            worker.start()
            try:
                wait = self._backend_wait(second_pid, worker)
                self.assertTrue(worker.is_alive(), "the second run waits on the first one's open items")
                self.assertEqual(wait[0], "Lock", wait)
                self.assertIn(
                    "INSERT INTO mail_activity", wait[1], "the second run waits in its INSERT, on the index"
                )
                cr1.commit()
            finally:
                # After a failure above: release the worker, then let it finish.
                cr1.rollback()
                worker.join(timeout=60)
            self.assertFalse(worker.is_alive())
        self.assertEqual(outcome["planned"], [])
        self._assert_one_open_item_per_kind()
