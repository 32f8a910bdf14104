from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveData(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        self.assertEqual(self.company.archive_transaction_total, 4000)
        self.assertEqual(self.company.archive_transaction_count, 2)
        self.assertEqual(self.company.archive_transaction_average, 2000)
        self.assertEqual(str(self.company.archive_last_transaction_date), "2026-01-10")
        # two transactions over two years: one a year
        self.assertAlmostEqual(self.company.archive_transaction_frequency, 1.0, places=1)
        second.write({"amount": 5000, "breach_of_contract": True})
        self.assertEqual(self.company.archive_transaction_total, 6000)
        self.assertEqual(self.company.archive_breach_count, 1)
        self.Transaction.browse(second.id).unlink()
        self.assertEqual(self.company.archive_transaction_total, 1000)
        self.assertEqual(self.company.archive_transaction_count, 1)
        self.assertEqual(str(self.company.archive_last_transaction_date), "2024-01-10")
        # at least one year in the span: a single transaction is one a year
        self.assertEqual(self.company.archive_transaction_frequency, 1.0)
        self.assertEqual(self.other.archive_transaction_count, 0)
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
        self.assertEqual(partners.mapped("archive_transaction_total"), [10, 50])
        self.assertEqual(partners.mapped("archive_transaction_count"), [1, 2])
        # stored: the values are in the table, not recomputed on read
        self.env.cr.execute(
            SQL(
                "SELECT archive_transaction_total FROM res_partner WHERE id IN %s ORDER BY id",
                tuple(partners.ids),
            )
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
                "archive_key_person_role": "legal_representative",
                "function": "董事长",
                "archive_education": "master",
                "archive_hobbies": "高尔夫",
            }
        )
        self.env["res.partner"].create({"name": "前台", "parent_id": self.company.id})
        self.assertEqual(self.company.archive_key_person_ids, legal)
        self.assertFalse(legal.is_customer_archive)
        self.assertFalse(legal.archive_number)

    def test_employee_split_cannot_exceed_total(self):
        self.company.write(
            {
                "archive_employee_count": 100,
                "archive_employee_count_domestic": 80,
                "archive_employee_count_foreign": 20,
            }
        )
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.company.write({"archive_employee_count_foreign": 30})
        self.assertIn("Foreign Employees", str(error.exception))
        # nothing already saved is lost
        self.assertEqual(self.company.archive_employee_count_foreign, 20)

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
        self.assertEqual(self.company.archive_feedback_count, 1)

    def test_rep_cannot_delete_transactions(self):
        transaction = self.Transaction.create({"name": "T", "partner_id": self.company.id, "amount": 1})
        with self.assertRaises(AccessError):
            transaction.with_user(self.rep).unlink()

    def test_age_from_birth_date(self):
        person = self.env["res.partner"].create({"name": "陈小明", "archive_birth_date": "1990-01-01"})
        self.assertGreaterEqual(person.archive_age, 36)


class TrackingCase(ArchiveCase):
    def _flush_tracking(self):
        """Tracking values are written when the transaction commits (precommit)."""
        self.env.flush_all()
        self.env.cr.precommit.run()


@tagged("post_install", "-at_install")
class TestArchiveTransactions(TrackingCase):
    """Derived transaction figures: stored, set-based, and right after every change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.archive_admin
        cls.Partner = cls.env["res.partner"]
        cls.Transaction = cls.env["customer.archive.transaction"]
        cls.partners = cls.Partner.create(
            [{"name": f"客户 {index}", "is_company": True} for index in range(3)]
        )

    def _figures(self, partner):
        return (
            partner.archive_transaction_total,
            partner.archive_transaction_count,
            partner.archive_transaction_average,
            partner.archive_last_transaction_date and str(partner.archive_last_transaction_date),
            partner.archive_breach_count,
        )

    def test_frequency_is_per_year_between_first_and_last(self):
        partner = self.partners[0]
        self.Transaction.create(
            [
                {
                    "name": f"F{month}",
                    "partner_id": partner.id,
                    "date": f"{2023 + month // 2}-01-01",
                    "amount": 10,
                }
                for month in range(7)
            ]
        )
        # 7 transactions from 2023-01-01 to 2026-01-01: 3 years, 7/3 a year
        self.assertAlmostEqual(partner.archive_transaction_frequency, 7 / 3, places=2)
        self.assertEqual(str(partner.archive_first_transaction_date), "2023-01-01")
        # within one year: counted as one year
        other = self.partners[1]
        self.Transaction.create(
            [
                {"name": f"G{day}", "partner_id": other.id, "date": f"2026-03-0{day}", "amount": 10}
                for day in (1, 2, 3)
            ]
        )
        self.assertEqual(other.archive_transaction_frequency, 3.0)
        self.assertEqual(self.partners[2].archive_transaction_frequency, 0.0)

    def test_moving_and_deleting_transactions_of_several_partners(self):
        first, second, third = self.partners
        transactions = self.Transaction.create(
            [
                {"name": "A1", "partner_id": first.id, "date": "2025-01-01", "amount": 100},
                {
                    "name": "A2",
                    "partner_id": first.id,
                    "date": "2025-05-01",
                    "amount": 300,
                    "breach_of_contract": True,
                },
                {"name": "B1", "partner_id": second.id, "date": "2024-02-01", "amount": 50},
            ]
        )
        self.assertEqual(self._figures(first), (400, 2, 200, "2025-05-01", 1))
        self.assertEqual(self._figures(second), (50, 1, 50, "2024-02-01", 0))
        # one write moving a transaction to another customer and changing its date
        transactions[1].write({"partner_id": second.id, "date": "2026-01-01"})
        self.assertEqual(self._figures(first), (100, 1, 100, "2025-01-01", 0))
        self.assertEqual(self._figures(second), (350, 2, 175, "2026-01-01", 1))
        # one write on transactions of two customers at once
        transactions.write({"amount": 10})
        self.assertEqual(self._figures(first)[0], 10)
        self.assertEqual(self._figures(second)[0], 20)
        # deleting transactions of several customers at once (admin may delete)
        transactions.with_user(self.admin).unlink()
        for partner in (first, second, third):
            self.assertEqual(self._figures(partner), (0, 0, 0, False, 0))
            self.assertEqual(partner.archive_transaction_frequency, 0.0)
        # stored: the values are in the table
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT SUM(archive_transaction_count), SUM(archive_transaction_total) FROM res_partner WHERE id IN %s",
                tuple(self.partners.ids),
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (0, 0))

    def test_figures_are_computed_set_based(self):
        """The number of queries does not grow with the number of partners."""
        many = self.Partner.create([{"name": f"批量客户 {index}", "is_company": True} for index in range(30)])
        self.Transaction.create(
            [
                {"name": f"M{index}", "partner_id": partner.id, "date": "2025-01-01", "amount": index + 1}
                for index, partner in enumerate(many)
            ]
        )
        self.env.flush_all()

        def count_queries(partners):
            partners.invalidate_recordset()
            before = self.env.cr.sql_log_count
            partners._compute_transaction_figures()
            return self.env.cr.sql_log_count - before

        self.assertEqual(count_queries(many[:2]), count_queries(many))
        self.assertEqual(many[29].archive_transaction_total, 30)

    def test_amounts_in_another_currency_are_converted(self):
        company_currency = self.env.company.currency_id
        other = self.env["res.currency"].create({"name": "ZZC", "symbol": "Z", "rounding": 0.01})
        # 1 unit of the company currency = 0.5 ZZC, i.e. 1 ZZC = 2 company units
        # (rates are relative to the currency of rate 1: USD in Odoo's demo rates,
        # while the demo company works in CNY)
        self.env["res.currency.rate"].create(
            {
                "currency_id": other.id,
                "rate": 0.5
                * company_currency._get_rates(self.env.company, "2000-01-01")[company_currency.id],
                "name": "2000-01-01",
            }
        )
        partner = self.partners[0]
        self.Transaction.create(
            [
                {
                    "name": "C1",
                    "partner_id": partner.id,
                    "date": "2025-01-01",
                    "amount": 100,
                    "currency_id": other.id,
                },
                {"name": "C2", "partner_id": partner.id, "date": "2025-02-01", "amount": 100},
            ]
        )
        self.assertEqual(partner.archive_currency_id, company_currency)
        self.assertAlmostEqual(partner.archive_transaction_total, 300)
        self.assertAlmostEqual(partner.archive_transaction_average, 150)

    def test_form_shows_figures_of_unsaved_lines(self):
        partner = self.partners[0]
        self.Transaction.create({"name": "S1", "partner_id": partner.id, "date": "2025-01-01", "amount": 100})
        with Form(partner) as form:
            with form.archive_transaction_ids.new() as line:
                line.name = "S2"
                line.date = date(2026, 1, 1)
                line.amount = 300
            self.assertEqual(form.archive_transaction_total, 400)
            self.assertEqual(form.archive_transaction_count, 2)
            self.assertEqual(form.archive_last_transaction_date, date(2026, 1, 1))
        self.assertEqual(partner.archive_transaction_total, 400)
        self.assertEqual(partner.archive_transaction_ids.mapped("name"), ["S2", "S1"])

    def test_rep_works_on_transactions_but_cannot_delete(self):
        partner = self.partners[0].with_user(self.rep)
        transaction = (
            self.env["customer.archive.transaction"]
            .with_user(self.rep)
            .create({"name": "R1", "partner_id": partner.id, "date": "2025-01-01", "amount": 80})
        )
        self._flush_tracking()  # the creation is logged; changes after it are tracked
        self.assertEqual(transaction.user_id, self.rep)
        self.assertEqual(transaction.currency_id, self.env.company.currency_id)
        transaction.write({"amount": 90, "breach_of_contract": True, "note": "逾期付款"})
        self.assertEqual(partner.archive_transaction_total, 90)
        self.assertEqual(partner.archive_breach_count, 1)
        self.assertEqual(
            self.env["customer.archive.transaction"]
            .with_user(self.rep)
            .search([("partner_id", "=", partner.id)]),
            transaction,
        )
        with self.assertRaises(AccessError):
            transaction.unlink()
        # the change of the amount is in the chatter
        self._flush_tracking()
        tracked = transaction.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "amount"
        )
        self.assertEqual(tracked.old_value_float, 80)
        self.assertEqual(tracked.new_value_float, 90)
        # the archive administrator may delete it
        transaction.with_user(self.admin).unlink()
        self.assertEqual(partner.archive_transaction_count, 0)

    def test_customer_with_transactions_cannot_be_deleted(self):
        partner = self.partners[0]
        self.Transaction.create({"name": "D1", "partner_id": partner.id, "date": "2025-01-01", "amount": 1})
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            partner.with_user(self.admin).unlink()
            self.env.flush_all()
        self.assertTrue(partner.exists())

    def test_smart_button_actions(self):
        partner = self.partners[0]
        action = partner.action_open_archive_transactions()
        self.assertEqual(action["res_model"], "customer.archive.transaction")
        self.assertEqual(action["domain"], [("partner_id", "=", partner.id)])
        self.assertEqual(action["context"]["default_partner_id"], partner.id)
        action = partner.action_open_archive_feedback()
        self.assertEqual(action["res_model"], "customer.archive.feedback")
        self.assertEqual(action["domain"], [("partner_id", "=", partner.id)])


@tagged("post_install", "-at_install")
class TestArchiveKeyPersonsAndFeedback(TrackingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.partner"].create({"name": "杭州西湖电子有限公司", "is_company": True})

    def test_key_persons_created_through_the_archive(self):
        self.company.write(
            {
                "archive_key_person_ids": [
                    Command.create(
                        {
                            "name": "陈立",
                            "archive_key_person_role": "legal_representative",
                            "function": "董事长",
                            "archive_education": "doctorate",
                            "archive_birth_date": "1968-04-01",
                            "archive_hobbies": "围棋",
                            "archive_sensitive_consent_given": True,
                            "archive_sensitive_consent_method": "call",
                            "archive_family_situation": "已婚",
                        }
                    ),
                    Command.create(
                        {"name": "王敏", "archive_key_person_role": "main_contact", "function": "采购经理"}
                    ),
                ]
            }
        )
        persons = self.company.archive_key_person_ids
        legal = persons.filtered(lambda person: person.archive_key_person_role == "legal_representative")
        contact = persons - legal
        self.assertEqual(
            set(self.company.archive_key_person_ids.mapped("archive_key_person_role")),
            {"legal_representative", "main_contact"},
        )
        self.assertEqual(self.company.archive_key_person_ids.parent_id, self.company)
        self.assertTrue(all(not person.is_customer_archive for person in self.company.archive_key_person_ids))
        self.assertTrue(self.company.archive_key_person_ids <= self.company.child_ids)
        self.assertTrue(legal.archive_age and contact.function)
        # a child contact without a role is no key person; removing the role removes it
        self.env["res.partner"].create({"name": "财务部", "parent_id": self.company.id, "type": "invoice"})
        self.assertEqual(len(self.company.archive_key_person_ids), 2)
        self.company.archive_key_person_ids.filtered(
            lambda p: p.archive_key_person_role == "main_contact"
        ).archive_key_person_role = False
        self.assertEqual(
            self.company.archive_key_person_ids.mapped("archive_key_person_role"), ["legal_representative"]
        )

    def test_role_labels(self):
        labels = dict(self.env["res.partner"]._fields["archive_key_person_role"].selection)
        self.assertEqual(
            labels,
            {
                "legal_representative": "Legal Representative",
                "main_responsible": "Main Responsible Person",
                "main_contact": "Main Contact",
            },
        )

    @freeze_time("2026-06-01")
    def test_age_is_computed_not_stored(self):
        person = self.env["res.partner"].create({"name": "陈小明", "archive_birth_date": "1990-07-01"})
        self.assertEqual(person.archive_age, 35)
        self.assertFalse(self.env["res.partner"]._fields["archive_age"].store)
        self.assertEqual(self.env["res.partner"].create({"name": "无生日"}).archive_age, 0)

    def test_negative_employee_counts_refused(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.company.write({"archive_employee_count": -1})
        self.company.write({"archive_employee_count": 10, "archive_employee_count_domestic": 10})
        self.assertEqual(self.company.archive_employee_count_domestic, 10)

    def test_feedback_workflow_is_tracked(self):
        Feedback = self.env["customer.archive.feedback"].with_user(self.rep)
        feedback = Feedback.create(
            {
                "name": "服务热情",
                "partner_id": self.company.id,
                "feedback_type": "praise",
                "description": "售后上门快",
            }
        )
        self.assertEqual((feedback.state, feedback.user_id), ("new", self.rep))
        self._flush_tracking()
        for action in (feedback.action_start, feedback.action_done, feedback.action_reopen):
            action()
            self._flush_tracking()
        self.assertEqual(feedback.state, "new")
        self._flush_tracking()
        states = feedback.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(len(states), 3)
        with self.assertRaises(AccessError):
            feedback.unlink()
        self.assertEqual(self.company.archive_feedback_count, 1)
        self.assertEqual(self.company.archive_feedback_ids, feedback)
        # a complaint is done only with a follow-up
        complaint = Feedback.create({"name": "发票错误", "partner_id": self.company.id})
        complaint.action_start()
        with self.assertRaises(UserError) as error:
            complaint.action_done()
        self.assertIn("Follow-up", str(error.exception))
        self.assertEqual(complaint.state, "in_progress")
        complaint.follow_up = "已重开发票"
        complaint.action_done()
        self.assertEqual(complaint.state, "done")
        self.assertEqual(self.company.archive_feedback_count, 2)

    def test_tracked_archive_fields(self):
        self._flush_tracking()
        self.company.write(
            {"archive_credit_rating": "aa", "archive_company_type": "listed", "archive_company_size": "large"}
        )
        self._flush_tracking()
        tracked = self.company.message_ids.tracking_value_ids.field_id.mapped("name")
        for name in ("archive_credit_rating", "archive_company_type", "archive_company_size"):
            self.assertIn(name, tracked)


@tagged("post_install", "-at_install")
class TestArchiveDemoData(TransactionCase):
    def test_demo_archives(self):
        huaxin = self.env.ref("customer_archive.partner_huaxin_tech", raise_if_not_found=False)
        if not huaxin:
            self.skipTest("database without demo data")
        archives = self.env["res.partner"].search(
            [("archive_number", "!=", False), ("id", "in", self._demo_ids())]
        )
        self.assertGreaterEqual(len(archives), 30)
        self.assertEqual(set(archives.mapped("archive_tier")), {"a", "b", "c"})
        companies = archives.filtered("is_company")
        self.assertTrue(all(1 <= len(company.archive_key_person_ids) <= 3 for company in companies))
        self.assertGreater(huaxin.archive_transaction_count, 0)
        self.assertTrue(archives.filtered("archive_breach_count"))
        self.assertTrue(archives.filtered("archive_feedback_count"))

    def _demo_ids(self):
        return (
            self.env["ir.model.data"]
            .search([("module", "=", "customer_archive"), ("model", "=", "res.partner")])
            .mapped("res_id")
        )
