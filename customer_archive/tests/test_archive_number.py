from psycopg2 import IntegrityError

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveNumber(ArchiveCase):
    def test_new_customers_get_unique_number_and_date(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        company = Partner.create({"name": "杭州青山贸易有限公司", "is_company": True})
        person = Partner.create({"name": "李明", "is_company": False})
        for partner in company | person:
            self.assertTrue(partner.is_customer_archive)
            self.assertTrue(partner.archive_number.startswith("KH-"), partner.archive_number)
            self.assertEqual(partner.archive_date, fields.Date.context_today(partner))
            self.assertEqual(partner.archive_state, "draft")
        self.assertNotEqual(company.archive_number, person.archive_number)

    def test_numbers_never_repeat(self):
        partners = self.env["res.partner"].create([{"name": f"客户 {i}"} for i in range(50)])
        numbers = partners.mapped("archive_number")
        self.assertEqual(len(set(numbers)), 50)
        self.assertTrue(all(numbers))
        # A deleted archive's number is not given again.
        last = partners[-1].archive_number
        partners[-1].unlink()
        again = self.env["res.partner"].create({"name": "新客户"})
        self.assertNotEqual(again.archive_number, last)
        self.assertGreater(again.archive_number, last)

    def test_database_refuses_duplicate_number(self):
        first = self.env["res.partner"].create({"name": "甲公司", "is_company": True})
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["res.partner"].create(
                {"name": "乙公司", "is_company": True, "archive_number": first.archive_number}
            )

    def test_child_contacts_users_companies_are_not_archives(self):
        company = self.env["res.partner"].create({"name": "深圳远航物流有限公司", "is_company": True})
        contact = self.env["res.partner"].create({"name": "张三", "parent_id": company.id})
        self.assertFalse(contact.is_customer_archive)
        self.assertFalse(contact.archive_number)
        user = self.create_archive_user("colleague", "同事", "base.group_user")
        self.assertFalse(user.partner_id.is_customer_archive)
        self.assertFalse(user.partner_id.archive_number)
        our_company = self.env["res.company"].create({"name": "Our Branch"})
        self.assertFalse(our_company.partner_id.archive_number)

    def test_archive_number_is_searchable(self):
        partner = self.env["res.partner"].create({"name": "成都天府食品有限公司", "is_company": True})
        number = partner.archive_number
        Partner = self.env["res.partner"].with_user(self.rep)
        self.assertEqual(Partner.search([("archive_number", "=", number)]), partner)
        found = Partner.name_search(number)
        self.assertIn(partner.id, [row[0] for row in found])

    def test_existing_partner_becomes_archive(self):
        partner = self.env["res.partner"].create({"name": "旧客户", "is_customer_archive": False})
        self.assertFalse(partner.archive_number)
        partner.is_customer_archive = True
        self.assertTrue(partner.archive_number)
        self.assertTrue(partner.archive_date)

    def test_demo_customers_have_numbers(self):
        huaxin = self.env.ref("customer_archive.partner_huaxin_tech", raise_if_not_found=False)
        if huaxin is None:
            # Databases without demo data: the install hook still numbered
            # the customers that existed before the addon.
            huaxin = self.env["res.partner"].search([("is_customer_archive", "=", True)], limit=1)
        self.assertTrue(huaxin.archive_number)

    def test_install_hook_numbered_existing_customers_only(self):
        admin_partner = self.env.ref("base.partner_admin")
        company_partner = self.env.ref("base.main_partner")
        self.assertFalse(admin_partner.archive_number)
        self.assertFalse(company_partner.archive_number)
        self.assertFalse(company_partner.is_customer_archive)
        existing = self.env["res.partner"].search(
            [("parent_id", "=", False), ("user_ids", "=", False), ("is_customer_archive", "=", True)]
        )
        self.assertTrue(existing)
        self.assertFalse(existing.filtered(lambda p: not p.archive_number))
