import ast
from datetime import date

import psycopg2
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.cache import STAT


class ContactPlanCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="plan_rep",
            name="计划代表",
            groups="customer_archive.group_archive_user,base.group_partner_manager",
        )
        cls.boss = new_test_user(
            cls.env,
            login="plan_boss",
            name="销售经理",
            groups="customer_archive.group_archive_marketing_manager,base.group_partner_manager",
        )
        boss_employee = cls.env["hr.employee"].create({"name": "销售经理", "user_id": cls.boss.id})
        cls.env["hr.employee"].create(
            {"name": "计划代表", "user_id": cls.rep.id, "parent_id": boss_employee.id}
        )
        cls.Activity = cls.env["mail.activity"]
        cls.Plan = cls.env["customer.contact.plan"]
        cls.cadence_a = cls.env.ref("customer_archive.customer_contact_cadence_a")
        cls.cadence_c = cls.env.ref("customer_archive.customer_contact_cadence_c")

    def _customer(self, tier="a", **values):
        return self.env["res.partner"].create(
            {
                "name": f"计划客户 {tier.upper()}",
                "is_company": True,
                "user_id": self.rep.id,
                "archive_tier": tier,
                **values,
            }
        )

    def _planned_customer(self, tier="a", **values):
        """A customer of ``tier`` with its contact plan made."""
        partner = self._customer(tier, **values)
        self.Plan._plan(partner.ids)
        return partner

    def _open(self, partner, kind):
        return self.Activity.search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("archive_plan_kind", "=", kind)]
        )


@tagged("post_install", "-at_install")
class TestContactPlan(ContactPlanCase):
    @freeze_time("2026-03-02")
    def test_plan_creates_due_calls_visits_news_and_review(self):
        partner = self._planned_customer("a")
        call, visit, news, review = (
            self._open(partner, kind) for kind in ("call", "visit", "news", "review")
        )
        today = date(2026, 3, 2)
        self.assertEqual((len(call), len(visit), len(news), len(review)), (1, 1, 1, 1))
        self.assertEqual(call.date_deadline, today, "never called: due today")
        self.assertEqual(call.user_id, self.rep)
        self.assertEqual(
            call.activity_type_id, self.env.ref("customer_archive.mail_activity_type_archive_call")
        )
        self.assertEqual(visit.summary, "Visit senior leadership", "the summary names whom to meet")
        self.assertEqual(review.date_deadline, today + relativedelta(months=3), "A: quarterly review")
        self.assertEqual(partner.archive_next_contact_date, today)
        self.assertEqual(partner.archive_next_review_date, today + relativedelta(months=3))
        # Running the job again plans nothing more.
        self.assertFalse(self.Plan._plan(partner.ids))
        self.assertEqual(len(self._open(partner, "call")), 1)

    @freeze_time("2026-03-02")
    def test_b_and_c_and_partners_without_rep(self):
        b_partner, c_partner = self._customer("b"), self._customer("c")
        no_rep = self._customer("a", user_id=False)
        self.Plan._plan((b_partner | c_partner | no_rep).ids)
        self.assertEqual(self._open(b_partner, "visit").summary, "Visit the marketing director or above")
        self.assertFalse(self._open(b_partner, "news"), "news tasks are for A customers")
        self.assertEqual(
            self._open(c_partner, "review").date_deadline, date(2026, 9, 2), "half-yearly review"
        )
        self.assertFalse(
            self.Activity.search([("res_id", "=", no_rep.id), ("archive_plan_kind", "!=", False)])
        )
        self.assertEqual(b_partner._archive_review_interval_months(), 6)
        self.assertEqual(self._customer("a")._archive_review_interval_months(), 3)
        self.cadence_c.review_interval_months = 4
        self.assertEqual(c_partner._archive_review_interval_months(), 4, "read from the cadence data")

    def test_cadence_edit_keeps_the_registry_cache(self):
        """A cadence edit changes the review interval at once, and clears no
        cached method of the registry (the record rules' domains, the access
        rights… of every worker)."""
        partner = self._customer("c")
        IrModel = self.env["ir.model"]
        IrModel._get_id("res.partner")  # an ormcached method, cached now
        counter = STAT[(self.env.cr.dbname, "ir.model", type(IrModel)._get_id.__cache__.method)]
        misses = counter.miss
        self.cadence_c.review_interval_months = 5
        IrModel._get_id("res.partner")
        self.assertEqual(counter.miss, misses, "found in the registry cache: it was not cleared")
        self.assertEqual(partner._archive_review_interval_months(), 5)

    def test_completion_sets_last_contact_and_plans_next(self):
        with freeze_time("2026-03-02"):
            partner = self._planned_customer("a")
        with freeze_time("2026-03-04"):
            self._open(partner, "call").with_user(self.rep).action_feedback(feedback="谈了新项目")
            self.assertEqual(partner.archive_last_call_date, date(2026, 3, 4))
            self.assertEqual(partner.archive_last_contact_date, date(2026, 3, 4))
            new_call = self._open(partner, "call")
            self.assertEqual(len(new_call), 1)
            self.assertEqual(new_call.date_deadline, date(2026, 3, 11), "A: a call every week")
            done = self.Activity.with_context(active_test=False).search(
                [("res_id", "=", partner.id), ("archive_plan_kind", "=", "call"), ("active", "=", False)]
            )
            self.assertEqual(done.date_done, date(2026, 3, 4), "done items are kept for compliance")
        with freeze_time("2026-03-05"):
            self._open(partner, "visit").action_feedback(feedback="见了董事长")
            self.assertEqual(
                self._open(partner, "visit").date_deadline, date(2026, 5, 5), "A: visit every 2 months"
            )
            self.assertEqual(partner.archive_last_contact_date, date(2026, 3, 5))
            self.assertEqual(partner.archive_next_contact_date, date(2026, 3, 11))

    def test_tier_change_reschedules(self):
        with freeze_time("2026-03-02"):
            partner = self._planned_customer("a")
            self._open(partner, "call").action_feedback()
            self._open(partner, "visit").action_feedback()
            self.assertEqual(self._open(partner, "call").date_deadline, date(2026, 3, 9))
        with freeze_time("2026-03-03"):
            partner.with_user(self.boss).write({"archive_tier": "c"})
            call, visit = self._open(partner, "call"), self._open(partner, "visit")
            self.assertEqual(call.date_deadline, date(2026, 3, 16), "C: a call every 2 weeks")
            self.assertEqual(visit.date_deadline, date(2026, 7, 2), "C: a visit every 4 months")
            self.assertIn("marketing manager", visit.summary)
            self.assertFalse(self._open(partner, "news"), "no news task once the customer is C")
            self.assertEqual(self._open(partner, "review").date_deadline, date(2026, 9, 2))
            self.assertEqual(partner.archive_next_contact_date, date(2026, 3, 16))

    def test_cadence_change_reschedules(self):
        with freeze_time("2026-03-02"):
            partner = self._planned_customer("a")
            self._open(partner, "call").action_feedback()
            self.cadence_a.call_interval_days = 3
            self.assertEqual(self._open(partner, "call").date_deadline, date(2026, 3, 5))

    def test_update_discipline(self):
        with freeze_time("2026-03-02 09:00"):
            partner = self._customer("b")
            partner.with_user(self.boss).message_post(
                body="客户更换了采购总监", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            update = self._open(partner, "update")
            self.assertEqual(len(update), 1)
            self.assertEqual(update.user_id, self.rep, "the responsible rep updates the archive")
            self.assertEqual(update.date_deadline, date(2026, 3, 3), "due in 1 day")
            self.assertEqual(update.archive_deadline, date(2026, 3, 4), "at most 2 days")
            partner.with_user(self.rep).message_post(body="又一条消息", message_type="comment")
            self.assertEqual(len(self._open(partner, "update")), 1)
        with freeze_time("2026-03-04"):
            self.assertFalse(self.Plan._escalate_overdue() & update, "deadline not passed yet")
        with freeze_time("2026-03-05"):
            self.assertIn(update, self.Plan._escalate_overdue())

    def test_overdue_items_escalate_to_the_manager_once(self):
        with freeze_time("2026-03-02"):
            partner = self._planned_customer("a")
        with freeze_time("2026-03-04"):
            escalated = self.Plan._escalate_overdue()
            call = self._open(partner, "call")
            self.assertIn(call, escalated)
            self.assertTrue(call.archive_escalated)
            todo = self.Activity.search(
                [
                    ("res_id", "=", partner.id),
                    ("user_id", "=", self.boss.id),
                    ("archive_plan_kind", "=", False),
                ]
            )
            self.assertTrue(todo)
            self.assertTrue(
                any("Overdue" in summary and "计划代表" in summary for summary in todo.mapped("summary"))
            )
            count = len(todo)
            self.assertFalse(self.Plan._escalate_overdue() & call, "escalated once")
            self.assertEqual(
                self.Activity.search_count(
                    [
                        ("res_id", "=", partner.id),
                        ("user_id", "=", self.boss.id),
                        ("archive_plan_kind", "=", False),
                    ]
                ),
                count,
            )

    def test_compliance_report(self):
        # Not frozen: the report's SQL view compares with the database's CURRENT_DATE.
        partner = self._planned_customer("a")
        self._open(partner, "call").action_feedback()
        self.env.flush_all()
        rows = self.env["customer.contact.plan.report"]._read_group(
            [("partner_id", "=", partner.id), ("kind", "in", ["call", "visit"])],
            ["user_id", "tier"],
            ["planned_count:sum", "done_count:sum", "overdue_count:sum"],
        )
        self.assertEqual(rows, [(self.rep, "a", 3, 1, 0)])

    def test_my_calls_and_visits_action(self):
        with freeze_time("2026-03-02"):
            self._planned_customer("a")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_my_archive_calls_visits"
        )
        activities = (
            self.Activity.with_user(self.rep)
            .with_context(active_test=False)
            .search(ast.literal_eval(action["domain"]))
        )
        self.assertEqual(set(activities.mapped("archive_plan_kind")), {"call", "visit"})

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_second_open_item(self):
        partner = self._planned_customer("a")
        call = self._open(partner, "call")
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            call.copy({"archive_plan_kind": "call"})
            self.env.flush_all()
