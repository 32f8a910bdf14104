from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestArchiveData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, login="data_rep", groups="customer_archive.group_archive_user,base.group_partner_manager"
        )
        cls.company = cls.env["res.partner"].create({"name": "苏州恒远机械制造有限公司", "is_company": True})
        cls.other = cls.env["res.partner"].create({"name": "宁波海天贸易有限公司", "is_company": True})
        cls.Transaction = cls.env["customer.archive.transaction"]

    def test_transaction_figures_follow_create_edit_delete(self):
        first, second = self.Transaction.with_user(self.rep).create(
            [
                {"name": "HT-001", "partner_id": self.company.id, "date": "2024-01-10", "amount": 1000},
                {"name": "HT-002", "partner_id": self.company.id, "date": "2026-01-10", "amount": 3000},
            ]
        )
        self.assertEqual(self.company.transaction_total, 4000)
        self.assertEqual(self.company.transaction_count, 2)
        self.assertEqual(self.company.transaction_average, 2000)
        self.assertEqual(str(self.company.last_transaction_date), "2026-01-10")
        # two transactions over two years: one a year
        self.assertAlmostEqual(self.company.transaction_frequency, 1.0, places=1)
        second.write({"amount": 5000, "breach_of_contract": True})
        self.assertEqual(self.company.transaction_total, 6000)
        self.assertEqual(self.company.breach_count, 1)
        self.Transaction.browse(second.id).unlink()
        self.assertEqual(self.company.transaction_total, 1000)
        self.assertEqual(self.company.transaction_count, 1)
        self.assertEqual(str(self.company.last_transaction_date), "2024-01-10")
        # at least one year in the span: a single transaction is one a year
        self.assertEqual(self.company.transaction_frequency, 1.0)
        self.assertEqual(self.other.transaction_count, 0)
        self.assertEqual(first.display_name, "HT-001 - 苏州恒远机械制造有限公司")

    def test_transaction_figures_for_many_partners_at_once(self):
        self.Transaction.create(
            [
                {"name": f"T{i}", "partner_id": partner.id, "date": "2025-06-01", "amount": amount}
                for i, (partner, amount) in enumerate(
                    [(self.company, 10), (self.other, 20), (self.other, 30)]
                )
            ]
        )
        partners = self.company | self.other
        partners.invalidate_recordset()
        self.assertEqual(partners.mapped("transaction_total"), [10, 50])
        self.assertEqual(partners.mapped("transaction_count"), [1, 2])
        # stored: the values are in the table, not recomputed on read
        self.env.cr.execute(
            "SELECT transaction_total FROM res_partner WHERE id IN %s ORDER BY id", [tuple(partners.ids)]
        )
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], [10, 50])

    def test_negative_amount_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.Transaction.create({"name": "X", "partner_id": self.company.id, "amount": -5})

    def test_key_persons_are_child_contacts_with_role(self):
        legal = self.env["res.partner"].create(
            {
                "name": "周建华",
                "parent_id": self.company.id,
                "key_person_role": "legal_representative",
                "function": "董事长",
                "education": "master",
                "hobbies": "高尔夫",
            }
        )
        self.env["res.partner"].create({"name": "前台", "parent_id": self.company.id})
        self.assertEqual(self.company.key_person_ids, legal)
        self.assertFalse(legal.is_customer_archive)
        self.assertFalse(legal.archive_number)

    def test_employee_split_cannot_exceed_total(self):
        self.company.write(
            {"employee_count": 100, "employee_count_domestic": 80, "employee_count_foreign": 20}
        )
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.company.write({"employee_count_foreign": 30})
        self.assertIn("Foreign Employees", str(error.exception))
        # nothing already saved is lost
        self.assertEqual(self.company.employee_count_foreign, 20)

    def test_feedback_workflow(self):
        feedback = (
            self.env["customer.archive.feedback"]
            .with_user(self.rep)
            .create({"name": "交货延迟", "partner_id": self.company.id, "feedback_type": "complaint"})
        )
        self.assertEqual(feedback.state, "new")
        feedback.action_start()
        self.assertEqual(feedback.state, "in_progress")
        feedback.write({"follow_up": "已安排加急发货"})
        feedback.action_done()
        self.assertEqual(feedback.state, "done")
        self.assertEqual(self.company.feedback_count, 1)

    def test_rep_cannot_delete_transactions(self):
        transaction = self.Transaction.create({"name": "T", "partner_id": self.company.id, "amount": 1})
        with self.assertRaises(AccessError):
            transaction.with_user(self.rep).unlink()

    def test_age_from_birth_date(self):
        person = self.env["res.partner"].create({"name": "陈小明", "birth_date": "1990-01-01"})
        self.assertGreaterEqual(person.age, 36)
