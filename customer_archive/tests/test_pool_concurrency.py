import datetime
import time
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

# A worker that waits on a lock gives up after this long, so a broken lock
# makes the test fail instead of waiting forever.
LOCK_TIMEOUT = "10s"
STATEMENT_TIMEOUT = "30s"


@tagged("post_install", "-at_install")
class TestPoolAutoReturnOverlap(TransactionCase):
    """Two runs of the auto-return job in two real transactions (two
    workers). The pool and its customers are committed in a cursor of their
    own and deleted again at the end."""

    def setUp(self):
        super().setUp()
        stamp = time.time_ns()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            department = env["hr.department"].create({"name": f"并发公海部门 {stamp}"})
            pool = env["customer.archive.pool"].create(
                {
                    "name": f"并发公海 {stamp}",
                    "member_department_ids": [(6, 0, department.ids)],
                    "return_days_without_followup": 30,
                    "return_days_without_transaction": 0,
                    "warning_days": 3,
                }
            )
            rep = env.ref("base.user_admin")
            idle_since = fields.Date.context_today(pool) - datetime.timedelta(days=40)
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"并发闲置客户 {index}",
                        "archive_tier": "c",
                        "archive_department_id": department.id,
                        "user_id": rep.id,
                        "archive_pool_owner_date": idle_since,
                    }
                    for index in range(3)
                ]
            )
            self.assertEqual(partners.archive_pool_id, pool)
            self.pool_id, self.department_id, self.partner_ids = pool.id, department.id, partners.ids
            self.pool_name = pool.name
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            ids = self.partner_ids
            for table, column in (
                ("mail_activity", "res_model"),
                ("mail_followers", "res_model"),
                ("mail_message", "model"),
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = 'res.partner' AND res_id = ANY(%s)",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        ids,
                    )
                )
            env = api.Environment(cr, SUPERUSER_ID, {})
            # superuser: archives are never deleted by users; the test removes its own.
            env["res.partner"].browse(ids).with_context(active_test=False).unlink()
            env["customer.archive.pool"].browse(self.pool_id).unlink()
            env["hr.department"].browse(self.department_id).unlink()

    def _worker_cursor(self):
        cr = self.registry.cursor()
        cr.execute(
            "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
            [LOCK_TIMEOUT, STATEMENT_TIMEOUT],
        )
        return cr

    def _counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM customer_archive_pool_log WHERE partner_id = ANY(%s) AND action = 'return_auto'",
                [self.partner_ids],
            )
            logs = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM mail_message WHERE model = 'res.partner' AND res_id = ANY(%s)"
                " AND message_type = 'notification' AND body LIKE %s",
                [self.partner_ids, f"%{self.pool_name}%"],
            )
            messages = cr.fetchone()[0]
            cr.execute(
                "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND user_id IS NULL", [self.partner_ids]
            )
            returned = cr.fetchone()[0]
            return logs, messages, returned

    @mute_logger("odoo.sql_db")
    def test_overlapping_runs_change_nothing_twice(self):
        """The second run finds the first one's lock and skips at once; a
        run after the first one committed finds nothing left to do."""
        with self._worker_cursor() as cr1, self._worker_cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            first = env1["customer.archive.pool"].browse(self.pool_id)._auto_return()
            try:
                second = env2["customer.archive.pool"].browse(self.pool_id)._auto_return()
            except (psycopg2.errors.LockNotAvailable, psycopg2.errors.QueryCanceled):
                self.fail("the second run waited on the first one instead of skipping")
            self.assertEqual(sorted(first.ids), sorted(self.partner_ids))
            self.assertFalse(second)
            cr1.commit()
            cr2.commit()
        self.assertEqual(self._counts(), (3, 3, 3))
        with self._worker_cursor() as cr3:
            env3 = api.Environment(cr3, SUPERUSER_ID, {})
            self.assertFalse(env3["customer.archive.pool"].browse(self.pool_id)._auto_return())
            cr3.commit()
        self.assertEqual(self._counts(), (3, 3, 3), "a later run returns nothing again")

    @mute_logger("odoo.sql_db")
    def test_overlapping_statements_skip_the_rows_the_other_holds(self):
        """Without the job's lock (two statements at once), the second one
        skips the archives the first one locked instead of returning them a
        second time or waiting for them."""
        with self._worker_cursor() as cr1, self._worker_cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            pool1 = env1["customer.archive.pool"].browse(self.pool_id)
            pool2 = env2["customer.archive.pool"].browse(self.pool_id)
            today = fields.Date.context_today(pool1)
            first = pool1._auto_return_apply(today)
            try:
                second = pool2._auto_return_apply(today)
            except (psycopg2.errors.LockNotAvailable, psycopg2.errors.QueryCanceled):
                self.fail("the second statement waited on the rows of the first one")
            self.assertEqual(len(first), 3)
            self.assertFalse(second)
            cr1.commit()
            cr2.commit()
        self.assertEqual(self._counts(), (3, 3, 3))

    def _completeness(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id, archive_completeness, archive_missing_field_names FROM res_partner"
                " WHERE id = ANY(%s) ORDER BY id",
                [self.partner_ids],
            )
            return cr.fetchall()

    @mute_logger("odoo.sql_db", "odoo.addons.customer_archive.models.customer_archive_pool")
    def test_run_cut_off_mid_way_leaves_nothing_half_done_the_next_run_finishes(self):
        """The cron commits batch after batch. A batch cut off after its
        statements ran (here: an error where the ORM is told of them, as
        the worker's time limit would strike) leaves nothing of itself: no
        archive without its rep, no history row, no chatter line, no
        changed completeness; the batches before it stay done, and the
        next run returns the rest, each archive once."""
        before = self._completeness()
        Partner = type(self.env["res.partner"])
        after_return = Partner._archive_pool_after_sql_return
        calls = []

        def cut_off_at_second_batch(records, key_persons, **kwargs):
            calls.append(records.ids)
            if len(calls) == 2:
                raise MemoryError("cut off")
            return after_return(records, key_persons, **kwargs)

        with self._worker_cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pool = env["customer.archive.pool"].browse(self.pool_id)
            with (
                patch.object(Partner, "_archive_pool_after_sql_return", cut_off_at_second_batch),
                self.assertRaises(MemoryError),
            ):
                pool._cron_auto_return(commit=True, batch_size=1, time_budget=60)
        self.assertEqual(len(calls), 2)
        self.assertEqual(self._counts(), (1, 1, 1), "the first batch is committed, the second left nothing")
        after_cut = self._completeness()
        first = calls[0][0]
        for row_before, row_after in zip(before, after_cut, strict=True):
            if row_before[0] == first:
                self.assertNotEqual(row_before, row_after, "the returned archive misses its rep")
            else:
                self.assertEqual(row_before, row_after, "no half-returned archive")
        with self._worker_cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            rest = (
                env["customer.archive.pool"]
                .browse(self.pool_id)
                ._cron_auto_return(commit=True, batch_size=1, time_budget=60)
            )
            self.assertEqual(len(rest), 2)
        self.assertEqual(self._counts(), (3, 3, 3))
        self.assertEqual(
            [row[1:] for row in self._completeness()],
            [after_cut[[row[0] for row in after_cut].index(first)][1:]] * 3,
            "the three archives, alike, have the same completeness without their rep",
        )

    @mute_logger("odoo.sql_db")
    def test_time_budget_spent_the_cron_is_triggered_for_the_rest(self):
        """With its time budget spent after one batch, the run commits and
        triggers its cron again for the next batches."""
        with self._worker_cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref("customer_archive.ir_cron_customer_archive_pool_return")
            triggers = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            first = (
                env["customer.archive.pool"]
                .browse(self.pool_id)
                ._cron_auto_return(commit=True, batch_size=2, time_budget=0)
            )
            self.assertEqual(len(first), 2)
            self.assertEqual(env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.assertEqual(self._counts(), (2, 2, 2))
        with self._worker_cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(
                len(
                    env["customer.archive.pool"]
                    .browse(self.pool_id)
                    ._cron_auto_return(commit=True, batch_size=2)
                ),
                1,
            )
        self.assertEqual(self._counts(), (3, 3, 3))
