"""The separate consent (单独同意) for sensitive information, required by
default and recorded on the archive form together with the data (PIPL
Art. 29)."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SENSITIVE, ArchiveCase
from .test_identity_validation import VALID_ID

REQUIRE = "customer_archive.require_sensitive_consent"


@tagged("post_install", "-at_install")
class TestSensitiveConsent(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.lang = "zh_CN"
        cls.add_groups(cls.rep, SENSITIVE)
        cls.Partner = cls.env["res.partner"].with_user(cls.rep).with_context(lang="zh_CN")
        cls.Consent = cls.env["customer.archive.consent"]

    def test_required_by_default_and_shown_in_settings(self):
        self.assertTrue(self.env["ir.config_parameter"].sudo().get_param(REQUIRE))
        self.assertTrue(self.env.ref("customer_archive.config_require_sensitive_consent").value)
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.archive_require_sensitive_consent)
        settings.archive_require_sensitive_consent = False
        settings.execute()
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param(REQUIRE))
        # Off: a person's ID number is saved without a consent.
        person = self.Partner.create({"name": "无需同意", "archive_resident_id_number": VALID_ID})
        self.assertEqual(person.archive_resident_id_number, VALID_ID)

    def test_refused_without_consent_in_the_reader_language(self):
        for values, label in (
            ({"archive_resident_id_number": VALID_ID}, "身份证号"),
            ({"archive_bank_account_number": "6222 0000 1111 2222"}, "账号"),
            ({"archive_family_situation": "已婚"}, "家庭情况"),
        ):
            with self.subTest(label=label), self.assertRaises(ValidationError) as raised:
                self.Partner.create({"name": "未同意客户", **values})
            message = str(raised.exception)
            self.assertIn(label, message)
            self.assertIn("未同意客户", message)
            self.assertIn("单独同意", message)
            self.assertIn("已给予单独同意", message)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "未同意客户")]))

    def test_consent_given_in_the_same_create(self):
        person = self.Partner.create(
            {
                "name": "已同意客户",
                "archive_resident_id_number": VALID_ID,
                "archive_bank_account_number": "6222 0000 1111 2222",
                "archive_family_situation": "已婚,一子",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "signed_form",
            }
        )
        self.assertEqual(person.archive_resident_id_number, VALID_ID)
        self.assertEqual(person.archive_family_situation, "已婚,一子")
        consent = self.Consent.search([("partner_id", "=", person.id)])
        self.assertEqual(len(consent), 1)
        self.assertTrue(consent.sensitive_consent)
        self.assertEqual(consent.state, "valid")
        self.assertEqual(consent.method, "signed_form")
        self.assertEqual(consent.purpose_ids, self.env.ref("customer_archive.consent_purpose_service"))
        self.assertEqual(consent.create_uid, self.rep)
        # The signed form is registered in the archive, for its scan.
        self.assertEqual(consent.document_id.partner_id, person)
        person.invalidate_recordset()
        self.assertTrue(person.archive_sensitive_consent_given)
        self.assertEqual(person.archive_sensitive_consent_method, "signed_form")
        self.assertTrue(person.archive_sensitive_consent)
        # Ticked again: no second consent.
        person.write({"archive_sensitive_consent_given": True, "archive_bank_account_number": "6222 3333"})
        self.assertEqual(self.Consent.search_count([("partner_id", "=", person.id)]), 1)

    def test_consent_given_later_in_the_same_write(self):
        person = self.Partner.create({"name": "后补同意", "email": "later@example.com"})
        with self.assertRaises(ValidationError):
            person.write({"archive_bank_account_number": "6222 0000 1111 2222"})
        person.write(
            {
                "archive_bank_account_number": "6222 0000 1111 2222",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "call",
            }
        )
        self.assertEqual(person.archive_bank_account_number, "6222 0000 1111 2222")
        self.assertEqual(person.archive_consent_ids.method, "call")

    def test_withdrawal_refuses_a_later_change(self):
        person = self.Partner.create(
            {
                "name": "撤回同意",
                "archive_resident_id_number": VALID_ID,
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "web",
            }
        )
        consent = person.archive_consent_ids
        self.assertEqual(consent.method, "web")
        self.assertFalse(consent.document_id)
        person.write({"archive_sensitive_consent_given": False})
        self.assertEqual(consent.state, "withdrawn")
        self.assertTrue(consent.withdrawal_date)
        with self.assertRaises(ValidationError) as raised:
            person.write({"archive_family_situation": "离异"})
        self.assertIn("家庭情况", str(raised.exception))
        # Nothing already saved is lost; clearing a value is always allowed.
        person.invalidate_recordset()
        self.assertEqual(person.archive_resident_id_number, VALID_ID)
        self.assertFalse(person.archive_family_situation)
        person.write({"archive_resident_id_number": False})
        self.assertFalse(person.archive_resident_id_number)

    def test_key_person_needs_the_consent(self):
        company = self.Partner.create({"name": "同意测试公司", "is_company": True})
        with self.assertRaises(ValidationError):
            self.Partner.create(
                {"name": "关键人", "parent_id": company.id, "archive_family_situation": "已婚"}
            )
        person = self.Partner.create(
            {
                "name": "关键人",
                "parent_id": company.id,
                "archive_family_situation": "已婚",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "signed_form",
            }
        )
        # The form is filed in the company's archive.
        self.assertEqual(person.archive_consent_ids.document_id.partner_id, company)

    def test_company_archive_not_affected(self):
        company = self.Partner.create(
            {
                "name": "银行账户公司",
                "is_company": True,
                "archive_bank_account_number": "1202 0201 0990 0012 345",
            }
        )
        self.assertEqual(company.archive_bank_account_number, "1202 0201 0990 0012 345")
        self.assertFalse(company.archive_consent_ids)
        company.write({"archive_bank_account_number": "1202 0201 0990 0012 999"})
        self.assertEqual(company.archive_bank_account_number, "1202 0201 0990 0012 999")
