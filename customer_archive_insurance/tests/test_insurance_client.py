from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInsuranceClient(TransactionCase):
    def test_agent_client_is_an_archive(self):
        agent = new_test_user(
            self.env,
            login="test_agent",
            groups="customer_archive_insurance.group_insurance_agent,base.group_partner_manager",
        )
        self.assertTrue(agent.has_group("customer_archive.group_archive_user"))
        client = (
            self.env["res.partner"]
            .with_user(agent)
            .create(
                {"name": "周敏", "insurance_agent_id": agent.id, "insurance_client_segment": "high_net_worth"}
            )
        )
        self.assertTrue(client.archive_number)
        self.assertEqual(client.insurance_agent_id, agent)
        self.assertEqual(client.insurance_client_segment, "high_net_worth")


@tagged("post_install", "-at_install")
class TestInsurancePageOnTheCustomerForm(TransactionCase):
    def test_insurance_page_after_the_archive_and_generic_pages(self):
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]["arch"]
        pages = [page.get("name") for page in etree.fromstring(arch).xpath("//notebook/page")]
        self.assertIn("insurance", pages)
        for name in ("customer_archive", "archive_feedback", "contact_addresses", "internal_notes"):
            self.assertLess(pages.index(name), pages.index("insurance"), pages)
        self.assertLess(pages.index("archive_feedback"), pages.index("contact_addresses"), pages)


@tagged("post_install", "-at_install")
class TestInsuranceDemoText(TransactionCase):
    def test_demo_texts_are_chinese_only(self):
        """No bilingual demo text ("高血压 Hypertension"): the demo is a Chinese company's."""
        claims = self.env["insurance.claim"].sudo().search([])
        conditions = self.env["insurance.health.condition"].sudo().search([])
        if not claims or not conditions:
            self.skipTest("needs the demo data")
        for text in (
            claims.mapped("description") + claims.mapped("medical_details") + conditions.mapped("name")
        ):
            self.assertNotRegex(text or "", r"[A-Za-z]{3,}", text)
