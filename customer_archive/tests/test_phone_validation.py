import logging

import phonenumbers

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestPhoneValidation(ArchiveCase):
    """Chinese mobile and landline numbers of archives and key persons are
    checked and stored formatted (+86 …) with Odoo's phone validation; a
    wrong one is refused naming the field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese(cls.rep, modules=("base", "customer_archive"))
        cls.env.company.country_id = cls.env.ref("base.cn")
        cls.Partner = cls.env["res.partner"].with_user(cls.rep).with_context(lang="zh_CN")

    def test_phonenumbers_is_installed(self):
        """Without it Odoo's phone validation is off (and says so in the log)."""
        self.assertTrue(phonenumbers.is_valid_number(phonenumbers.parse("138 0013 8000", "CN")))

    def test_mobile_and_landline_are_formatted(self):
        company = self.Partner.create(
            {"name": "电话测试公司", "is_company": True, "phone": "021-50801234", "mobile": "13800138000"}
        )
        self.assertEqual(company.phone, "+86 21 5080 1234")
        self.assertEqual(company.mobile, "+86 138 0013 8000")
        # Found again by the number as it is typed.
        for typed in ("021-50801234", "50801234", "+86 21 5080 1234"):
            self.assertIn(company, self.Partner.search([("archive_phone_search", "ilike", typed)]), typed)
        company.phone = "0755 8888 6666 转 8001"
        self.assertEqual(company.phone, "+86 755 8888 6666 转 8001", "the extension is kept")
        person = self.Partner.create({"name": "王经理", "parent_id": company.id, "mobile": "139 1234 5678"})
        self.assertEqual(person.mobile, "+86 139 1234 5678", "key persons too")
        # A number of another country keeps its own format.
        company.phone = "+49 30 901820"
        self.assertEqual(company.phone, "+49 30 901820")

    def test_wrong_numbers_are_refused_naming_the_field(self):
        company = self.Partner.create({"name": "电话测试公司", "is_company": True, "phone": "021 5080 1234"})
        for field, label, value in (("phone", "电话", "021 123"), ("mobile", "手机", "139 1234 567")):
            with (
                self.assertRaisesRegex(ValidationError, f"{label}.*中国") as error,
                self.assertNoLogs("odoo", level=logging.WARNING),
                self.env.cr.savepoint(),
            ):
                company.write({field: value})
            # Odoo's HTTP layer logs the message of every refused RPC call
            # (odoo.http WARNING): the number itself must not be in it.
            self.assertNotIn(value, str(error.exception))
        self.assertEqual(company.phone, "+86 21 5080 1234", "nothing saved is lost")
        with self.assertRaisesRegex(ValidationError, "手机"), self.env.cr.savepoint():
            self.Partner.create({"name": "李四", "parent_id": company.id, "mobile": "12345678901"})
        with self.assertRaisesRegex(ValidationError, "电话"):
            with Form(self.Partner) as form:
                form.name = "表单客户"
                form.phone = "010 123"

    def test_demo_phones_are_valid(self):
        demo = self.env["ir.model.data"].search(
            [
                ("module", "in", ["customer_archive", "customer_archive_insurance"]),
                ("model", "=", "res.partner"),
            ]
        )
        archives = self.env["res.partner"].browse(demo.mapped("res_id")).exists()
        self.assertTrue(archives)
        for partner in archives:
            for name in ("phone", "mobile"):
                if partner[name]:
                    number = phonenumbers.parse(partner[name].split(" 转 ")[0], "CN")
                    self.assertTrue(phonenumbers.is_valid_number(number), f"{partner.name}: {partner[name]}")
