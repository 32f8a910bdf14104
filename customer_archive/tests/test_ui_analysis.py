from odoo import http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerAnalysisTour(HttpCase):
    def test_manager_opens_dashboard_and_drills_down(self):
        """The demo marketing manager opens the dashboard and drills down from
        the tier-A figure to the tier-A archives."""
        self.assertIn("customer_archive", http.root.statics)
        manager = self.env.ref("customer_archive.user_marketing_manager_chen")
        self.env["res.partner"]._archive_compute_analysis()
        dashboard = self.env["customer.archive.analysis"].with_user(manager).create({})
        tier_a = self.env["res.partner"].search(
            [("is_customer_archive", "=", True), ("parent_id", "=", False), ("archive_tier", "=", "a")]
        )
        self.assertEqual(dashboard.tier_a_count, len(tier_a))
        self.assertIn(self.env.ref("customer_archive.partner_huaxin_tech"), tier_a)
        self.start_tour("/odoo/contacts", "customer_archive_analysis_tour", login=manager.login)
