import threading
import time
from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.customer_archive.models.customer_contact_plan import CONTACT_PLAN_LOCK

from .test_contact_plan import ContactPlanCase


@tagged("post_install", "-at_install")
class TestEscalationOnce(ContactPlanCase):
    """One open escalation (逾期 to-do of the manager) per planned item, ever."""

    def _escalations(self, item):
        return self.Activity.search([("archive_escalated_activity_id", "=", item.id)])

    def _manager_todos(self, partner):
        return self.Activity.search(
            [("res_id", "=", partner.id), ("user_id", "=", self.boss.id), ("archive_plan_kind", "=", False)]
        )

    def _escalated_review(self):
        """An archive of two years ago, never reviewed: its overdue review,
        escalated once. Call it under freeze_time("2026-03-02")."""
        partner = self._planned_customer("c", archive_date=date(2024, 1, 10))
        review = self._open(partner, "review")
        self.Plan._escalate_overdue(partner.ids)
        return partner, review

    def test_moved_due_date_does_not_escalate_again(self):
        with freeze_time("2026-03-02"):
            # Archived two years ago, never reviewed: the half-yearly review is overdue.
            partner = self._planned_customer("c", archive_date=date(2024, 1, 10))
            review = self._open(partner, "review")
            self.assertLess(review.date_deadline, date(2026, 3, 2))
            self.assertIn(review, self.Plan._escalate_overdue(partner.ids))
            self.assertEqual(len(self._escalations(review)), 1)
            todos = self._manager_todos(partner)
        with freeze_time("2026-03-03"):
            # The tier recompute moves the review (A: quarterly); it stays overdue.
            partner.archive_tier = "a"
            self.assertEqual(review.date_deadline, date(2024, 4, 10))
            self.assertTrue(review.archive_escalated, "its escalation is still open")
            self.Plan._escalate_overdue(partner.ids)
            self.assertEqual(len(self._escalations(review)), 1, "one open escalation per item")
            reviews = self._manager_todos(partner).filtered(lambda todo: "Review" in todo.summary)
            self.assertEqual(reviews, todos, "no second 逾期 to-do for the manager")

    def test_done_escalation_and_missed_new_date_escalate_again(self):
        with freeze_time("2026-03-02"):
            partner, review = self._escalated_review()
            self._escalations(review).action_feedback(feedback="已催办")
            partner.archive_tier = "a"
            self.assertFalse(review.archive_escalated, "the new due date can be missed again")
            self.assertIn(review, self.Plan._escalate_overdue(partner.ids))
            self.assertEqual(len(self._escalations(review)), 1)

    def test_item_done_closes_its_escalation(self):
        with freeze_time("2026-03-02"):
            partner, review = self._escalated_review()
            escalation = self._escalations(review)
            self.assertTrue(escalation.active)
            # The rep completes the overdue review: the manager's 逾期 to-do closes.
            review.with_user(self.rep).action_feedback(feedback="已复核")
            self.assertFalse(escalation.exists() and escalation.active, "nothing left to chase")
            self.assertFalse(
                self.Activity.search([("archive_escalated_activity_id", "=", review.id)]),
                "no open escalation of a done item",
            )

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_second_open_escalation(self):
        with freeze_time("2026-03-02"):
            partner, review = self._escalated_review()
            with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
                self.Activity.create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": partner.id,
                        "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                        "user_id": self.boss.id,
                        "archive_escalated_activity_id": review.id,
                    }
                )


@tagged("post_install", "-at_install")
class TestEscalationOverlap(TransactionCase):
    """Two plan runs in two real transactions (two workers) escalate an
    overdue item once. The data is committed in its own cursor and removed
    at the end, as in TestContactPlanOverlap."""

    def setUp(self):
        super().setUp()
        suffix = time.time_ns()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            group = env.ref("customer_archive.group_archive_user")
            rep, boss = env["res.users"].create(
                [
                    {"name": "并发代表", "login": f"overlap_rep_{suffix}", "groups_id": [(6, 0, group.ids)]},
                    {"name": "并发经理", "login": f"overlap_boss_{suffix}", "groups_id": [(6, 0, group.ids)]},
                ]
            )
            boss_employee = env["hr.employee"].create({"name": "并发经理", "user_id": boss.id})
            rep_employee = env["hr.employee"].create(
                {"name": "并发代表", "user_id": rep.id, "parent_id": boss_employee.id}
            )
            partner = env["res.partner"].create(
                {
                    "name": "并发逾期客户",
                    "archive_number": f"TEST-ESCALATE-{suffix}",
                    "user_id": rep.id,
                    "archive_tier": "c",
                    "archive_date": date(2020, 1, 10),
                }
            )
            env["customer.contact.plan"]._plan(partner.ids)
            self.partner_id, self.boss_id = partner.id, boss.id
            self.user_ids, self.employee_ids = (rep | boss).ids, (rep_employee | boss_employee).ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id = %s", [self.partner_id]
            )
            cr.execute(
                "DELETE FROM mail_followers WHERE res_model = 'res.partner' AND res_id = %s",
                [self.partner_id],
            )
            cr.execute(
                "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id = %s", [self.partner_id]
            )
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["hr.employee"].browse(self.employee_ids).unlink()
            users = env["res.users"].browse(self.user_ids)
            user_partners = users.partner_id
            users.unlink()
            # superuser: archives are never deleted by users; the test removes its own.
            (env["res.partner"].browse(self.partner_id) | user_partners).with_context(
                active_test=False
            ).unlink()

    def _open_escalations(self, cr):
        cr.execute(
            """SELECT count(*) FROM mail_activity
                WHERE res_model = 'res.partner' AND res_id = %s AND active AND user_id = %s""",
            [self.partner_id, self.boss_id],
        )
        return cr.fetchone()[0]

    def _in_thread(self, function):
        """Run ``function`` in a second thread (a second worker); return
        whether it finished within 10 s and its result or exception."""
        outcome = {}

        def worker():
            try:
                outcome["result"] = function()
            except Exception as error:
                outcome["result"] = error

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(timeout=10)
        return thread, outcome

    def test_overlapping_escalation_steps_escalate_once(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            first = env1["customer.contact.plan"]._escalate_overdue([self.partner_id])
            self.assertTrue(first, "the first run escalates the overdue review")
            thread, outcome = self._in_thread(
                lambda: env2["customer.contact.plan"]._escalate_overdue([self.partner_id])
            )
            finished = not thread.is_alive()
            cr1.commit()
            thread.join(timeout=30)
            self.assertTrue(
                finished, "the second run skips the item the first one is escalating, without waiting"
            )
            self.assertEqual(len(outcome["result"]), 0, outcome)
            cr2.commit()
        with self.registry.cursor() as cr:
            self.assertEqual(self._open_escalations(cr), 1)

    def test_second_cron_run_neither_plans_nor_escalates(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            # A running plan job holds the lock until it commits.
            cr1.execute("SELECT pg_advisory_xact_lock(%s)", [CONTACT_PLAN_LOCK])
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            thread, outcome = self._in_thread(lambda: env2["customer.contact.plan"]._cron_run())
            finished = not thread.is_alive()
            escalations = self._open_escalations(cr2) if finished else None
            cr1.rollback()
            thread.join(timeout=30)
            # Nothing of the skipped run is kept, whatever it did.
            cr2.rollback()
        self.assertTrue(finished, outcome)
        self.assertNotIsInstance(outcome.get("result"), Exception)
        self.assertEqual(escalations, 0, "the overlapping run does not escalate")
