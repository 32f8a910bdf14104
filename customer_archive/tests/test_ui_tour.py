from odoo import http
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerArchiveTour(HttpCase):
    def test_create_archive_and_find_it_by_phone(self):
        """A user creates a customer in Contacts, finds it by phone and opens it."""
        # Map the addons' static folders once, here, not in the parallel
        # asset requests of the browser (CPython 3.11 can fail parsing
        # manifests in parallel threads: "AST constructor recursion depth").
        self.assertIn("customer_archive", http.root.statics)
        self.start_tour("/odoo/contacts", "customer_archive_tour", login="admin")
        partner = self.env["res.partner"].search([("phone", "=", "+86 21 6321 7788")])
        self.assertEqual(partner.name, "华东物流有限公司")
        self.assertTrue(partner.is_customer_archive)
        self.assertTrue(partner.archive_number.startswith("KH-"))
        self.assertEqual(partner.archive_state, "draft")
