import threading
import time

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


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

    def test_overlapping_cron_runs_skip(self):
        """The second run finds the first one's lock and skips."""
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            first = env1["mail.activity"]._archive_plan_contacts(self.partner_ids, skip_if_running=True)
            second = env2["mail.activity"]._archive_plan_contacts(self.partner_ids, skip_if_running=True)
            self.assertEqual(sorted(first), sorted(self.partner_ids))
            self.assertEqual(second, [])
            cr1.commit()
            cr2.commit()
        self._assert_one_open_item_per_kind()

    @mute_logger("odoo.sql_db")
    def test_overlapping_inserts_are_deduplicated_by_the_database(self):
        """Without the lock both transactions insert; the UNIQUE index makes
        the second wait for the first and then insert nothing (or fail with
        a serialization error under REPEATABLE READ, which Odoo retries)."""
        outcome = {}
        # The environments are made in this thread: opening the registry from
        # another thread would wait for the registry lock the test run holds.
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["mail.activity"]._archive_plan_contacts(self.partner_ids, skip_if_running=False)

            def second_worker():
                try:
                    outcome["planned"] = env2["mail.activity"]._archive_plan_contacts(
                        self.partner_ids, skip_if_running=False
                    )
                    cr2.commit()
                except psycopg2.errors.SerializationFailure:
                    cr2.rollback()
                    outcome["planned"] = "serialization failure"

            worker = threading.Thread(target=second_worker)
            worker.start()
            worker.join(timeout=2)
            self.assertTrue(worker.is_alive(), "the second run waits on the first one's open items")
            cr1.commit()
            worker.join(timeout=30)
            self.assertFalse(worker.is_alive())
        self.assertIn(outcome["planned"], ([], "serialization failure"))
        self._assert_one_open_item_per_kind()
