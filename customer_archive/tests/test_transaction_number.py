from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestTransactionNumber(ArchiveCase):
    """交易编号 from a sequence; a missing value of a row names its column."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese(cls.rep)
        cls.partner = cls.env["res.partner"].create(
            {"name": "交易客户", "is_company": True, "user_id": cls.rep.id}
        )

    def test_number_left_empty_is_taken_from_the_sequence(self):
        with Form(self.partner.with_user(self.rep)) as form:
            with form.archive_transaction_ids.new() as line:
                line.amount = 1800
            with form.archive_transaction_ids.new() as line:
                line.name = "HT-2026-001"
                line.amount = 200
        first, typed = self.partner.archive_transaction_ids.sorted("id")
        self.assertRegex(first.name, r"^JY-\d{4}-\d{6}$")
        self.assertEqual(typed.name, "HT-2026-001", "a typed number is kept")
        over_rpc = self.env["customer.archive.transaction"].create(
            [
                {"partner_id": self.partner.id, "amount": 5},
                {"partner_id": self.partner.id, "amount": 6, "name": ""},
            ]
        )
        self.assertEqual(
            len(set(over_rpc.mapped("name")) | {first.name}), 3, "every transaction gets its own number"
        )
        self.assertTrue(all(name.startswith("JY-") for name in over_rpc.mapped("name")))

    def test_missing_required_value_names_the_column_and_row(self):
        Partner = self.env["res.partner"].with_user(self.rep).with_context(lang=self.rep.lang)
        with (
            self.assertRaisesRegex(ValidationError, r"交易记录.*第 2 行.*日期"),
            self.assertNoLogs("odoo.sql_db"),
        ):
            Partner.create(
                {
                    "name": "新交易客户",
                    "archive_transaction_ids": [
                        (0, 0, {"amount": 10}),
                        (0, 0, {"amount": 20, "date": False}),
                    ],
                }
            )
        transaction = self.env["customer.archive.transaction"].create(
            {"partner_id": self.partner.id, "amount": 1}
        )
        with self.assertRaisesRegex(ValidationError, r"交易编号"), self.assertNoLogs("odoo.sql_db"):
            self.partner.with_user(self.rep).with_context(lang=self.rep.lang).write(
                {"archive_transaction_ids": [(1, transaction.id, {"name": " "})]}
            )
        self.assertTrue(transaction.name.startswith("JY-"), "nothing saved is lost")
