"""Customer analysis (信息分析): RFM segments, loyalty, value, satisfaction,
churn risk and the dashboard, on five customers whose figures are computed
by hand; the dashboard as a rep and as a marketing manager."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import ARCHIVE_USER, PARTNER_MANAGER, ArchiveCase

TODAY = "2026-06-30"

# name: (tier, rep, [(date, amount)])
CUSTOMERS = {
    # 3 purchases, last 10 days ago, ¥9 000: recent, frequent, valuable
    "c1": ("a", "rep_b", [("2025-03-01", 3000), ("2025-12-01", 3000), ("2026-06-20", 3000)]),
    # 1 purchase 20 days ago, ¥8 000: recent, infrequent, valuable
    "c2": ("b", "rep_a", [("2026-06-10", 8000)]),
    # 3 purchases, last 300 days ago, ¥7 000: old, frequent, valuable
    "c3": ("b", "rep_a", [("2024-05-01", 2000), ("2024-07-01", 2000), ("2025-09-03", 3000)]),
    # 1 purchase 400 days ago, ¥100: old, infrequent, small
    "c4": ("c", "rep_b", [("2025-05-26", 100)]),
    # 3 purchases, last 5 days ago, ¥300: recent, frequent, small
    "c5": ("c", "rep_a", [("2025-11-10", 100), ("2026-04-01", 100), ("2026-06-25", 100)]),
}
# Means over the five: recency (10+20+300+400+5)/5 = 147 days, frequency
# 11/5 = 2.2, value 24 400/5 = 4 880: "high" is better than the mean.
SEGMENTS = {
    "c1": "important_value",  # R high, F high, M high
    "c2": "important_develop",  # R high, F low, M high
    "c3": "important_keep",  # R low, F high, M high
    "c4": "general_retain",  # R low, F low, M low
    "c5": "general_value",  # R high, F high, M low
}
# Quintiles among five: recency ranked oldest first (c4 c3 c2 c1 c5),
# frequency lowest first (c2 c4 | c1 c3 c5, ties by id), value lowest first
# (c4 c5 c3 c2 c1).
RFM_SCORES = {
    "c1": (4, 3, 5),
    "c2": (3, 1, 4),
    "c3": (2, 4, 3),
    "c4": (1, 2, 1),
    "c5": (5, 5, 2),
}


@tagged("post_install", "-at_install")
class TestCustomerAnalysis(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Only the generated customers are analysed: the demo archives step aside.
        env.flush_all()
        env.cr.execute(SQL("UPDATE res_partner SET active = FALSE WHERE is_customer_archive"))
        env.invalidate_all()
        cls.department = cls.sales_department
        # Two reps of the department and a marketing manager.
        cls.users = {
            "rep_a": cls.rep,
            "rep_b": cls.create_archive_user(
                "analysis_rep_b", "分析代表乙", f"{ARCHIVE_USER},{PARTNER_MANAGER}", cls.department
            ),
            "manager": cls.marketing_manager,
        }
        cls.customers = {}
        with freeze_time(TODAY):
            for name, (tier, rep, transactions) in CUSTOMERS.items():
                partner = env["res.partner"].create(
                    {
                        "name": f"分析客户 {name}",
                        "is_company": True,
                        "is_customer_archive": True,
                        "archive_tier": tier,
                        "user_id": cls.users[rep].id,
                        "archive_department_id": cls.department.id,
                    }
                )
                env["customer.archive.transaction"].create(
                    [
                        {"name": f"{name}-{index}", "partner_id": partner.id, "date": day, "amount": amount}
                        for index, (day, amount) in enumerate(transactions)
                    ]
                )
                cls.customers[name] = partner
            # Satisfaction: c1 scored 4 and 2 in return calls, c2 5 in a survey.
            interactions = env["customer.archive.interaction"]
            for partner, kind, score, day in (
                (cls.customers["c1"], "call", 4, "2026-06-01 03:00:00"),
                (cls.customers["c1"], "call", 2, "2026-05-10 03:00:00"),
                (cls.customers["c2"], "survey", 5, "2026-06-15 03:00:00"),
            ):
                interactions.create(
                    {
                        "partner_id": partner.id,
                        "interaction_type": kind,
                        "satisfaction_score": score,
                        "date": day,
                        "summary": "电话回访" if kind == "call" else "满意度调查",
                    }
                )
            feedback = env["customer.archive.feedback"]
            cls.complaint = feedback.create(
                {
                    "name": "交货延误",
                    "partner_id": cls.customers["c3"].id,
                    "feedback_type": "complaint",
                    "date": "2026-06-20",
                }
            )
            feedback.create(
                {
                    "name": "服务周到",
                    "partner_id": cls.customers["c1"].id,
                    "feedback_type": "praise",
                    "date": "2026-06-02",
                }
            )

    def _analyse(self):
        with freeze_time(TODAY):
            return self.env["res.partner"]._archive_compute_analysis()

    def _dashboard(self, user):
        return (
            self.env["customer.archive.analysis"]
            .with_user(user)
            .create({"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)})
        )

    # ------------------------------------------------------------------
    # Stored figures of the nightly job
    # ------------------------------------------------------------------
    def test_rfm_scores_and_segments_of_five_customers(self):
        self._analyse()
        for name, partner in self.customers.items():
            with self.subTest(customer=name):
                r, f, m = RFM_SCORES[name]
                self.assertEqual(partner.archive_rfm_segment, SEGMENTS[name])
                self.assertEqual(
                    (partner.archive_rfm_r_score, partner.archive_rfm_f_score, partner.archive_rfm_m_score),
                    (r, f, m),
                )
                self.assertEqual(partner.archive_rfm_score, r + f + m)
        self.assertEqual(self.customers["c4"].archive_rfm_recency_days, 400)
        self.assertEqual(self.customers["c3"].archive_rfm_recency_days, 300)
        # Filterable in Contacts: the segment is a stored column.
        found = self.env["res.partner"].search([("archive_rfm_segment", "=", "important_develop")])
        self.assertEqual(found, self.customers["c2"])

    def test_cohort_retention_repeat_and_value(self):
        self._analyse()
        partners = self.env["res.partner"].browse([p.id for p in self.customers.values()])
        cohorts = {
            first.year: (count, retention)
            for first, count, retention in partners._read_group(
                [("id", "in", partners.ids)],
                ["archive_first_transaction_date:year"],
                ["__count", "archive_retention_rate:avg"],
            )
        }
        # 2025: c1 and c5 bought again in 2026, c4 did not.
        self.assertEqual(cohorts[2025][0], 3)
        self.assertAlmostEqual(cohorts[2025][1], 200 / 3)
        self.assertEqual(cohorts[2024], (1, 100.0))  # c3 came back in 2025
        self.assertEqual(cohorts[2026], (1, 0.0))  # c2, first and only purchase this year
        repeat = partners._read_group([("id", "in", partners.ids)], [], ["archive_repeat_rate:avg"])[0][0]
        self.assertAlmostEqual(repeat, 60.0)  # c1, c3, c5 of five
        # Top 20 % of five customers: c1 alone, 9 000 of 24 400.
        self.assertEqual(partners.filtered("archive_value_top"), self.customers["c1"])
        self.assertEqual(self.customers["c1"].archive_value_rank, 1)
        c1 = self.customers["c1"]
        self.assertAlmostEqual(
            c1.archive_lifetime_value,
            c1.archive_transaction_average * c1.archive_transaction_frequency * 3,
            places=1,
        )
        # Only c4 has gone 12 months without a transaction.
        self.assertEqual(partners.filtered("archive_no_recent_transaction"), self.customers["c4"])
        self.assertEqual(self.customers["c4"].archive_churn_rate, 100.0)
        # Satisfaction of the archive: mean of its scores.
        self.assertAlmostEqual(c1.archive_satisfaction_score, 3.0)
        self.assertEqual(c1.archive_satisfaction_count, 2)

    def test_churn_risk_reasons_and_one_activity_for_ab(self):
        _changed, activities = self._analyse()
        at_risk = self.env["res.partner"].search([("archive_churn_risk", "=", True), ("active", "=", True)])
        self.assertEqual(at_risk, self.customers["c3"] | self.customers["c4"])
        c3, c4 = self.customers["c3"], self.customers["c4"]
        self.assertEqual(c3.archive_churn_reason_codes, "complaint")
        self.assertEqual(c4.archive_churn_reason_codes, "inactive")
        self.assertIn("90", c3.with_context(lang="en_US").archive_churn_reasons)
        self.assertIn("12", c4.with_context(lang="en_US").archive_churn_reasons)
        self.assertEqual(c3.archive_churn_risk_date, date(2026, 6, 30))
        # The B customer c3 gets one activity for its rep; the C customer c4 none.
        at_risk_type = self.env.ref("customer_archive.mail_activity_type_archive_at_risk")
        ids = [partner.id for partner in self.customers.values()]
        risk_domain = [
            ("activity_type_id", "=", at_risk_type.id),
            ("res_model", "=", "res.partner"),
            ("res_id", "in", ids),
        ]
        risk_activities = self.env["mail.activity"].search(risk_domain)
        self.assertEqual(activities, 1)
        self.assertEqual(risk_activities.mapped("res_id"), [c3.id])
        self.assertEqual(risk_activities.user_id, self.users["rep_a"])
        # Still at risk the next night: no second activity, and the date stays.
        with freeze_time("2026-07-01"):
            _changed, activities = self.env["res.partner"]._archive_compute_analysis()
        self.assertEqual(activities, 0)
        self.assertEqual(self.env["mail.activity"].search_count(risk_domain), 1)
        self.assertEqual(c3.archive_churn_risk_date, date(2026, 6, 30))

    def test_overdue_purchase_against_own_interval(self):
        """The overdue-purchase factor is a setting: at 0.04× their usual
        interval, c1 (10 days against 238), c3 (300 against 245) and c5 (5
        against 113.5) are late; c2 and c4 bought once and have no interval."""
        self.env["ir.config_parameter"].set_param("customer_archive.analysis_interval_factor", "0.04")
        self._analyse()
        late = self.env["res.partner"].search([("archive_churn_reason_codes", "ilike", "overdue_purchase")])
        self.assertEqual(late, self.customers["c1"] | self.customers["c3"] | self.customers["c5"])
        self.assertEqual(self.customers["c5"].archive_purchase_interval_days, 113.5)
        reasons = self.customers["c5"].with_context(lang="en_US").archive_churn_reasons
        self.assertIn("5 days", reasons)
        self.assertIn("114", reasons)

    def test_the_job_tells_the_orm(self):
        """Written in SQL, read back through the ORM without stale cache."""
        c2 = self.customers["c2"]
        self.assertFalse(c2.archive_rfm_segment)
        changed, _activities = self._analyse()
        self.assertIn(c2.id, changed)
        self.assertEqual(c2.archive_rfm_segment, "important_develop")
        # Nothing changed: the next run writes nothing.
        changed, _activities = self._analyse()
        self.assertEqual(changed, [])

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------
    def test_dashboard_figures_as_manager(self):
        self._analyse()
        with freeze_time(TODAY):
            dashboard = self._dashboard(self.users["manager"])
            # Floats compare at the digits of their fields (assertRecordValues).
            self.assertRecordValues(
                dashboard,
                [
                    {
                        "buyer_count": 5,
                        "satisfaction_avg": 11 / 3,
                        "satisfaction_count": 3,
                        "low_satisfaction_count": 1,
                        "complaint_count": 1,
                        "open_complaint_count": 1,
                        "praise_count": 1,
                        "total_value": 24400,
                        # Transactions of the second quarter: c1 3 000, c2 8 000, c5 100 + 100.
                        "period_value": 11200,
                        "period_transaction_count": 4,
                        "average_value": 2800,
                        "top_value_share": 100 * 9000 / 24400,
                        "repeat_rate": 60.0,
                        "at_risk_count": 2,
                        "at_risk_ab_count": 1,
                        "segment_important_value_count": 1,
                        "segment_general_retain_count": 1,
                        "tier_a_count": 1,
                    }
                ],
            )
            # Every figure opens the archives behind it.
            action = dashboard.with_context(figure="complaint_count").action_open_figure()
            self.assertEqual(action["res_model"], "res.partner")
            self.assertEqual(self.env["res.partner"].search(action["domain"]), self.customers["c3"])
            action = dashboard.with_context(figure="segment_important_develop_count").action_open_figure()
            self.assertEqual(self.env["res.partner"].search(action["domain"]), self.customers["c2"])
            action = dashboard.with_context(figure="satisfaction_avg").action_open_figure()
            self.assertEqual(
                self.env["res.partner"].search(action["domain"]), self.customers["c1"] | self.customers["c2"]
            )
            # Open duplicate groups: two archives share an e-mail.
            self.customers["c4"].email = "buyer@example.cn"
            self.customers["c5"].email = "Buyer@example.cn "
            dashboard.invalidate_recordset()  # figures are read, not stored: read them again
            self.assertEqual(dashboard.duplicate_count, 1)
            action = dashboard.with_context(figure="duplicate_count").action_open_figure()
            self.assertEqual(
                self.env["res.partner"].search(action["domain"]), self.customers["c4"] | self.customers["c5"]
            )
            # Filters narrow the figures: tier C only.
            dashboard.tier = "c"
            self.assertEqual(dashboard.buyer_count, 2)
            self.assertEqual(dashboard.total_value, 400)

    def test_rep_figures_exclude_a_class_of_others(self):
        """rep_a reads the B/C archives of the department and their own; the
        A-class c1 of rep_b stays out of every figure."""
        self._analyse()
        rep = self.users["rep_a"]
        with freeze_time(TODAY):
            dashboard = self._dashboard(rep)
            self.assertRecordValues(
                dashboard,
                [
                    {
                        "buyer_count": 4,
                        "total_value": 24400 - 9000,
                        "satisfaction_avg": 5.0,  # c2's survey; c1's calls are hidden
                        "praise_count": 0,  # the praise is c1's
                        "segment_important_value_count": 0,
                        "tier_a_count": 0,
                        "period_value": 8200,
                        "top_value": 0,
                    }
                ],
            )
            action = dashboard.with_context(figure="top_value").action_open_figure()
            self.assertFalse(self.env["res.partner"].with_user(rep).search(action["domain"]))
        # The analysis rows (pivot and graph views) follow the same rules.
        rows = self.env["customer.archive.analysis.report"].with_user(rep).search([])
        self.assertNotIn(self.customers["c1"], rows.partner_id)
        self.assertIn(self.customers["c4"], rows.partner_id)
        rows = self.env["customer.archive.analysis.report"].with_user(self.users["manager"]).search([])
        self.assertIn(self.customers["c1"], rows.partner_id)
        # rep_b, the A-class customer's own rep, sees it.
        rows = self.env["customer.archive.analysis.report"].with_user(self.users["rep_b"]).search([])
        self.assertIn(self.customers["c1"], rows.partner_id)

    def test_satisfaction_score_is_validated(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["customer.archive.interaction"].create(
                {
                    "partner_id": self.customers["c2"].id,
                    "interaction_type": "call",
                    "satisfaction_score": 6,
                    "summary": "回访",
                }
            )
        with self.assertRaises(ValidationError):
            self.env["customer.archive.interaction"].create(
                {
                    "partner_id": self.customers["c2"].id,
                    "interaction_type": "email",
                    "satisfaction_score": 4,
                    "summary": "邮件",
                }
            )

    def test_resolution_time_of_feedback(self):
        with freeze_time("2026-06-25"):
            self.complaint.follow_up = "已重新安排物流"
            self.complaint.action_done()
            self.complaint.flush_recordset()
        self.assertEqual(self.complaint.resolution_days, 5)
        self.assertEqual(self.complaint.resolution_date, date(2026, 6, 25))

    # ------------------------------------------------------------------
    # From analysis to action
    # ------------------------------------------------------------------
    def test_plan_calls_for_a_segment_without_duplicates(self):
        self._analyse()
        partners = self.customers["c2"] | self.customers["c3"] | self.customers["c5"]
        Activity = self.env["mail.activity"]
        call_type = self.env.ref("customer_archive.mail_activity_type_archive_call")
        # c3 has a planned call due later, c5 one due earlier than the campaign.
        with freeze_time(TODAY):
            Activity.search([("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]).unlink()
            later, earlier = Activity.create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": self.customers[name].id,
                        "activity_type_id": call_type.id,
                        "date_deadline": deadline,
                        "user_id": self.users["rep_a"].id,
                        "archive_plan_kind": "call",
                    }
                    for name, deadline in (("c3", "2026-07-20"), ("c5", "2026-07-01"))
                ]
            )
            wizard = (
                self.env["customer.archive.plan.call"]
                .with_user(self.users["rep_a"])
                .with_context(active_model="res.partner", active_ids=partners.ids)
                .create({"date_deadline": "2026-07-05", "summary": "挽留回访"})
            )
            self.assertEqual(wizard.archive_count, 3)
            wizard.action_plan_calls()
            wizard.action_plan_calls()  # twice: still one open call each
        calls = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("archive_plan_kind", "=", "call"),
            ]
        )
        self.assertEqual(len(calls), 3)
        self.assertEqual(later.date_deadline, date(2026, 7, 5))
        self.assertEqual(earlier.date_deadline, date(2026, 7, 1))
        new = calls - later - earlier
        self.assertEqual(new.res_id, self.customers["c2"].id)
        self.assertEqual(new.user_id, self.users["rep_a"])
        self.assertEqual(new.summary, "挽留回访")
        self.assertEqual(self.customers["c2"].archive_next_contact_date, date(2026, 7, 5))

    def test_plan_calls_skip_archives_the_user_may_not_change(self):
        rep = self.users["rep_a"]
        wizard = (
            self.env["customer.archive.plan.call"]
            .with_user(rep)
            .create({"partner_ids": [(6, 0, (self.customers["c1"] | self.customers["c2"]).ids)]})
        )
        self.assertEqual(wizard.archive_count, 1)

    def test_plan_calls_skip_closed_archives_and_persons_without_marketing_consent(self):
        Partner = self.env["res.partner"]
        rep = self.users["rep_a"]
        values = {"user_id": rep.id, "archive_department_id": self.department.id, "archive_tier": "c"}
        consenting = Partner.create({"name": "同意营销的个人", **values})
        refusing = Partner.create({"name": "未同意营销的个人", **values})
        closed = Partner.create({"name": "已关闭的公司", "is_company": True, **values})
        closed.archive_state = "closed"
        marketing = self.env["customer.archive.consent.purpose"].search([("code", "=", "marketing")], limit=1)
        self.assertTrue(marketing, "the purpose Marketing comes with the addon")
        self.env["customer.archive.consent"].create(
            {"partner_id": consenting.id, "purpose_ids": [(6, 0, marketing.ids)], "method": "call"}
        )
        selection = consenting | refusing | closed | self.customers["c2"]
        wizard = (
            self.env["customer.archive.plan.call"]
            .with_user(rep)
            .with_context(active_model="res.partner", active_ids=selection.ids)
            .create({"date_deadline": "2026-07-05"})
        )
        self.assertEqual(wizard.archive_count, 2, "the consenting person and the open company")
        self.assertEqual(wizard.no_consent_count, 1)
        wizard.action_plan_calls()
        called = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", selection.ids),
                ("archive_plan_kind", "=", "call"),
                ("date_deadline", "=", "2026-07-05"),
            ]
        )
        self.assertNotIn(refusing.id, called.mapped("res_id"))
        self.assertNotIn(closed.id, called.mapped("res_id"))
        self.assertIn(consenting.id, called.mapped("res_id"))

    def test_assign_segment_to_rep(self):
        self._analyse()
        segment = self.env["res.partner"].search(
            [("archive_rfm_segment", "in", ["general_retain", "general_value"])]
        )
        self.assertEqual(segment, self.customers["c4"] | self.customers["c5"])
        wizard = (
            self.env["customer.archive.assign.rep"]
            .with_user(self.users["manager"])
            .with_context(active_model="res.partner", active_ids=segment.ids)
            .create({"user_id": self.users["rep_b"].id})
        )
        wizard.action_assign()
        self.assertEqual(segment.user_id, self.users["rep_b"])
        self.assertEqual(self.customers["c5"].archive_access_user_id, self.users["rep_b"])

    def test_contact_plan_tier_moves_and_updates_per_role(self):
        """Plan items due in the quarter: c2 open and overdue, c3 done in
        time, c5 done late, c1 (A-class of rep_b) open and overdue; tier
        moves: c2 C→B and c1 B→A up, c4 B→C down; an overdue archive update on c3."""
        Activity = self.env["mail.activity"].with_context(mail_activity_quick_update=True)
        model_id = self.env["ir.model"]._get_id("res.partner")
        call_type = self.env.ref("customer_archive.mail_activity_type_archive_call")
        update_type = self.env.ref("customer_archive.mail_activity_type_archive_update")
        with freeze_time(TODAY):
            Activity.search(
                [("res_model", "=", "res.partner"), ("res_id", "in", [p.id for p in self.customers.values()])]
            ).unlink()
            for name, kind, deadline, done, activity_type in (
                ("c2", "call", "2026-06-20", False, call_type),
                ("c3", "call", "2026-06-10", "2026-06-09", call_type),
                ("c5", "call", "2026-06-05", "2026-06-12", call_type),
                ("c1", "call", "2026-06-01", False, call_type),
                ("c3", "update", "2026-06-25", False, update_type),
            ):
                activity = Activity.create(
                    {
                        "res_model_id": model_id,
                        "res_id": self.customers[name].id,
                        "activity_type_id": activity_type.id,
                        "date_deadline": deadline,
                        "archive_deadline": deadline,
                        "user_id": self.users["rep_a"].id,
                        "archive_plan_kind": kind,
                    }
                )
                if done:
                    activity.write({"active": False, "date_done": done})
            History = self.env["customer.tier.history"].sudo()
            for name, tier_from, tier_to, day in (
                ("c2", "c", "b", "2026-05-01 02:00:00"),
                ("c1", "b", "a", "2026-06-15 02:00:00"),
                ("c4", "b", "c", "2026-06-01 02:00:00"),
            ):
                History.create(
                    {
                        "partner_id": self.customers[name].id,
                        "tier_from": tier_from,
                        "tier_to": tier_to,
                        "date": day,
                    }
                )
            manager = self._dashboard(self.users["manager"])
            rep = self._dashboard(self.users["rep_a"])
            # Planned 5 (the update included), done 2, overdue: c2, c5 (late), c1, c3's update.
            self.assertEqual(
                (manager.plan_planned_count, manager.plan_done_count, manager.plan_overdue_count), (5, 2, 4)
            )
            self.assertAlmostEqual(manager.plan_completion_rate, 40.0)
            self.assertEqual((rep.plan_planned_count, rep.plan_done_count, rep.plan_overdue_count), (4, 2, 3))
            self.assertEqual((manager.upgrade_count, manager.downgrade_count), (2, 1))
            self.assertEqual((rep.upgrade_count, rep.downgrade_count), (1, 1))
            self.assertEqual(manager.overdue_update_count, 1)
            action = manager.with_context(figure="plan_overdue_count").action_open_figure()
            self.assertEqual(
                self.env["res.partner"].search(action["domain"]),
                self.customers["c1"] | self.customers["c2"] | self.customers["c3"] | self.customers["c5"],
            )
            action = rep.with_context(figure="upgrade_count").action_open_figure()
            self.assertEqual(
                self.env["res.partner"].with_user(self.users["rep_a"]).search(action["domain"]),
                self.customers["c2"],
            )
