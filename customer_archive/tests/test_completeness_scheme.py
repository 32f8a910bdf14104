from odoo.tests import tagged

from .common import ArchiveCase
from .test_identity_validation import VALID_USCC

# Everything of the 客户档案表 but its lists (key persons, transactions).
COMPANY_FIELDS = {
    "phone": "+86 21 5080 1234",
    "street": "张江路 88 号",
    "archive_source_channel": "web",
    "archive_unified_social_credit_code": VALID_USCC,
    "archive_founding_date": "2001-05-01",
    "archive_registered_capital": 5000000,
    "archive_bank_name": "中国银行上海分行",
    "archive_main_business": "机械制造",
    "archive_credit_rating": "aa",
    "archive_company_size": "medium",
    "archive_company_type": "private_limited",
    "archive_industry_position": "influential",
}


@tagged("post_install", "-at_install")
class TestCompletenessScheme(ArchiveCase):
    """The completeness score counts what the 客户档案表 asks for: key
    persons, business data and the transactions with us."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese()
        cls.Partner = cls.env["res.partner"].with_user(cls.rep)

    def _missing(self, partner, lang="en_US"):
        partner.invalidate_recordset(["archive_missing_fields"])
        return partner.with_context(lang=lang).archive_missing_fields or ""

    def test_key_persons_and_transactions_count(self):
        company = self.Partner.create({"name": "档案表测试公司", "is_company": True, "user_id": self.rep.id})
        self.assertIn("Nature of Company", self._missing(company), "business data counts")
        company.write(COMPANY_FIELDS)
        missing = self._missing(company)
        self.assertIn("Key Persons", missing)
        self.assertIn("Transactions", missing)
        self.assertIn("负责人及联系人", self._missing(company, "zh_CN"))
        self.assertIn("交易记录", self._missing(company, "zh_CN"))
        before = company.archive_completeness
        self.assertLess(before, 100)

        # A key person added as a child contact with a role.
        person = self.Partner.create(
            {
                "name": "王总",
                "parent_id": company.id,
                "function": "总经理",
                "archive_key_person_role": "main_responsible",
            }
        )
        self.assertGreater(company.archive_completeness, before)
        self.assertNotIn("Key Persons", self._missing(company))

        transaction = (
            self.env["customer.archive.transaction"]
            .with_user(self.rep)
            .create({"partner_id": company.id, "amount": 180000})
        )
        self.assertEqual(company.archive_completeness, 100)
        self.assertFalse(self._missing(company))

        # Removed again: the score follows.
        transaction.sudo().unlink()
        self.assertLess(company.archive_completeness, 100)
        self.assertIn("Transactions", self._missing(company))
        person.archive_key_person_role = False
        self.assertIn("Key Persons", self._missing(company), "a contact without a role is no key person")
        person.archive_key_person_role = "main_contact"
        self.assertNotIn("Key Persons", self._missing(company))

    def test_individual_needs_a_transaction(self):
        person = self.Partner.create(
            {"name": "李女士", "archive_gender": "female", "archive_birth_date": "1980-02-01"}
        )
        self.assertIn("Transactions", self._missing(person))
        self.assertNotIn("Key Persons", self._missing(person), "individuals have no key persons")
