from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoContactPlan(TransactionCase):
    """A new database shows a realistic handful of due and overdue items, not
    reviews years overdue (the demo dates are relative to the day of install)."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("customer_archive.user_rep_zhang", raise_if_not_found=False):
            self.skipTest("needs the demo data")

    def _demo_archives(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "customer_archive"), ("model", "=", "res.partner")]
        )
        return (
            self.env["res.partner"]
            .browse(data.mapped("res_id"))
            .filtered(lambda p: p.is_customer_archive and not p.parent_id and p.user_id)
        )

    def test_demo_contact_history_is_recent(self):
        today = fields.Date.context_today(self.env["res.partner"])
        archives = self._demo_archives()
        self.assertGreaterEqual(len(archives), 20)
        for archive in archives:
            for field_name in (
                "archive_last_call_date",
                "archive_last_visit_date",
                "archive_last_review_date",
            ):
                value = archive[field_name]
                self.assertTrue(value, (archive.name, field_name))
                self.assertLessEqual(value, today)
                self.assertGreater(value, today - timedelta(days=200), (archive.name, field_name))

    def test_first_plan_run_gives_a_handful_of_overdue_items(self):
        Activity = self.env["mail.activity"]
        archives = self._demo_archives()
        before = Activity.search([("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id)])
        self.env["customer.contact.plan"]._cron_run()
        today = fields.Date.context_today(Activity)
        planned = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", archives.ids),
                ("archive_plan_kind", "!=", False),
            ]
        )
        self.assertGreaterEqual(len(planned), len(archives) * 3, "calls, visits and reviews are planned")
        overdue = planned.filtered(lambda a: a.date_deadline < today)
        self.assertGreaterEqual(len(overdue), 2, "some overdue items, so the feature can be seen")
        self.assertLessEqual(
            len(overdue), 10, overdue.mapped(lambda a: (a.res_name, a.summary, a.date_deadline))
        )
        self.assertGreater(min(overdue.mapped("date_deadline")), today - timedelta(days=30))
        due_soon = planned.filtered(lambda a: today <= a.date_deadline <= today + timedelta(days=14))
        self.assertGreaterEqual(len(due_soon), 10, "calls and visits due in the next two weeks")
        escalations = (
            Activity.search([("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id)])
            - before
        )
        self.assertGreaterEqual(len(escalations), 1)
        self.assertLessEqual(len(escalations), 10)
