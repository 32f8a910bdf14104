"""The premium and claims analysis is an SQL view: a premium changed but not
yet written to the database (the ORM writes at flush) is in the figures
read right after it."""

from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceReportFlush(InsuranceCase):
    def test_report_reads_the_pending_premium(self):
        before = self.policy.annual_premium
        self.env.flush_all()
        self.policy.base_premium *= 2  # the annual premium is recomputed at flush
        row = self.env["insurance.report"].search([("policy_id", "=", self.policy.id)])
        self.assertEqual(row.premium, 2 * before)
        self.assertEqual(row.premium, self.policy.annual_premium)
