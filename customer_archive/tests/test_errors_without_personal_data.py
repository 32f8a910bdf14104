from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestErrorsWithoutPersonalData(TransactionCase):
    """Odoo's HTTP layer logs the message of every refused RPC call (odoo.http
    WARNING): a data-quality error names the field and the fix, but neither
    the value entered nor the person it belongs to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        cls.person = cls.env["res.partner"].create({"name": "隐私测试王五", "is_company": False})

    def assert_refused_without(self, vals, label, *secrets):
        for lang in ("zh_CN", "en_US"):
            with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
                self.person.with_context(lang=lang).write(vals)
            message = str(error.exception)
            if lang == "zh_CN":
                self.assertIn(label, message)
            for secret in (self.person.name, *secrets):
                self.assertNotIn(secret, message)

    def test_resident_id_number(self):
        self.assert_refused_without(
            {"archive_resident_id_number": "110101199003071234"}, "身份证号", "110101199003071234"
        )

    def test_birth_date_against_resident_id_number(self):
        self.assert_refused_without(
            {"archive_resident_id_number": "11010519491231002X", "archive_birth_date": "1950-01-01"},
            "出生日期",
            "1949",
            "1950",
        )

    def test_email(self):
        self.assert_refused_without({"email": "wang@@example"}, "电子邮件", "wang@@example")
