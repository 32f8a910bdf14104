"""Cross-addon checks run by pytest (pytest-odoo) on the test database."""

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBothAddons(TransactionCase):
    def test_both_addons_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("customer_archive", "customer_archive_insurance"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_agent_creates_numbered_client(self):
        agent = new_test_user(
            self.env,
            login="e2e_agent",
            groups="customer_archive_insurance.group_insurance_agent,base.group_partner_manager",
        )
        client = (
            self.env["res.partner"].with_user(agent).create({"name": "吴刚", "insurance_agent_id": agent.id})
        )
        again = self.env["res.partner"].with_user(agent).create({"name": "吴刚 (2)"})
        self.assertTrue(client.archive_number)
        self.assertNotEqual(client.archive_number, again.archive_number)
