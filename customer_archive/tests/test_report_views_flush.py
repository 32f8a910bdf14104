"""The analysis and contact-plan reports are SQL views over the archives:
a change not yet written to the database (the ORM writes at flush) is in
the figures read right after it, as a user who edits and then opens the
report sees it."""

from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestReportViewsFlush(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls.create_archive("报表刷新客户", rep=cls.rep, is_company=True)
        cls.env.flush_all()

    def test_analysis_report_reads_pending_transaction_amounts(self):
        transaction = self.env["customer.archive.transaction"].create(
            {"name": "FLUSH-001", "partner_id": self.archive.id, "date": "2026-03-01", "amount": 1000}
        )
        self.env.flush_all()
        transaction.amount = 2500  # in the cache, not yet in the table
        [(amount,)] = self.env["customer.archive.analysis.report"]._read_group(
            [("partner_id", "=", self.archive.id), ("event_type", "=", "transaction")],
            aggregates=["amount:sum"],
        )
        self.assertEqual(amount, 2500)

    def test_contact_plan_report_reads_pending_due_dates(self):
        activity = self.archive.activity_schedule(
            "customer_archive.mail_activity_type_archive_call",
            date_deadline="2026-04-01",
            user_id=self.rep.id,
        )
        activity.archive_plan_kind = "call"
        self.env.flush_all()
        activity.write({"date_deadline": "2026-04-15", "archive_deadline": "2026-04-15"})
        row = self.env["customer.contact.plan.report"].search([("id", "=", activity.id)])
        self.assertEqual(str(row.date_deadline), "2026-04-15")
