from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import InsuranceCase

SERVICE = "customer_archive.group_archive_service"
SERVICE_MANAGER = "customer_archive.group_archive_service_manager"
PARAM = "customer_archive_insurance."


class RegulationCase(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = new_test_user(
            cls.env, lang="en_US", login="ins_service", name="客服小王", groups=SERVICE
        )
        cls.service_manager = new_test_user(
            cls.env, lang="en_US", login="ins_service_manager", name="客服主管", groups=SERVICE_MANAGER
        )
        params = cls.env["ir.config_parameter"]
        params.set_param(PARAM + "return_visit_user_id", str(cls.service.id))
        params.set_param(PARAM + "service_manager_user_id", str(cls.service_manager.id))
        params.set_param(PARAM + "claims_manager_user_id", str(cls.manager.id))

    @classmethod
    def life_policy(cls, **vals):
        values = {
            "name": "L-0001",
            "product_type": "life",
            "start_date": date(2026, 1, 1),
            "end_date": date(2045, 12, 31),
            "receipt_date": date(2026, 1, 5),
            "cash_value": 300.0,
        }
        values.update(vals)
        return cls.create_policy(cls.client, cls.agent, **values)

    def activities(self, records, xml_id=None):
        domain = [("res_model", "=", records._name), ("res_id", "in", records.ids)]
        if xml_id:
            domain.append(("activity_type_id", "=", self.env.ref(f"customer_archive_insurance.{xml_id}").id))
        return self.env["mail.activity"].search(domain)

    def surrender(self, policy, day):
        with freeze_time(day):
            wizard = (
                self.env["insurance.policy.surrender"]
                .with_user(self.agent)
                .create({"policy_id": policy.id, "reason": "客户要求退保"})
            )
            amount = wizard.refund_amount
            wizard.action_confirm()
        return amount


@tagged("post_install", "-at_install")
class TestCoolingOff(RegulationCase):
    def test_period_of_long_personal_policies_only(self):
        policy = self.life_policy()
        self.assertTrue(policy.has_cooling_off)
        # Counted from the day after the receipt: 15 days from 5 January end on 20 January.
        self.assertEqual(policy.cooling_off_end_date, date(2026, 1, 20))
        self.assertFalse(self.policy.has_cooling_off, "a one-year medical policy has none")
        self.assertEqual(self.policy.cooling_off_state, "none")
        property_policy = self.create_policy(
            self.client, self.agent, name="PR-1", product_type="property", end_date=date(2028, 12, 31)
        )
        self.assertFalse(property_policy.has_cooling_off)
        awaiting = self.life_policy(name="L-0002", receipt_date=False)
        self.assertEqual(awaiting.cooling_off_state, "pending")

    def test_period_is_a_setting(self):
        self.env["ir.config_parameter"].set_param(PARAM + "cooling_off_days", "20")
        self.assertEqual(self.life_policy().cooling_off_end_date, date(2026, 1, 25))

    def test_day_15_refunds_premium_less_cost(self):
        policy = self.life_policy()
        policy.action_activate()
        self.assertEqual(self.surrender(policy, "2026-01-20"), 990.0)
        self.assertEqual(policy.state, "cancelled")
        self.assertEqual(policy.refund_amount, 990.0)
        self.assertEqual(policy.surrender_date, date(2026, 1, 20))
        self.assertEqual(policy.cooling_off_state, "cancelled")
        self.assertIn("Inside the cooling-off period", policy.message_ids[0].body)

    def test_day_16_refunds_cash_value(self):
        policy = self.life_policy()
        policy.action_activate()
        self.assertEqual(self.surrender(policy, "2026-01-21"), 300.0)
        self.assertEqual(policy.refund_rule, "cash_value")
        self.assertIn("cash value", policy.message_ids[0].body)

    def test_cost_is_a_setting(self):
        self.env["ir.config_parameter"].set_param(PARAM + "cooling_off_cost", "25")
        policy = self.life_policy()
        policy.action_activate()
        self.assertEqual(self.surrender(policy, "2026-01-10"), 975.0)

    def test_unearned_premium_after_the_period(self):
        policy = self.life_policy(
            product_type="medical", end_date=date(2028, 12, 31), payment_frequency="annual"
        )
        policy.action_activate()
        self.assertEqual(policy.refund_rule, "unearned")
        self.assertEqual(policy.next_premium_date, date(2027, 1, 1))
        # Cancelled on 1 July: the 183 days after it of the 365 of 2026 are refunded.
        self.assertAlmostEqual(self.surrender(policy, "2026-07-01"), round(1000.0 * 183 / 365, 2))

    def test_daily_job_ends_the_period_in_the_chatter(self):
        policy = self.life_policy()
        policy.action_activate()
        Policy = self.env["insurance.policy"]
        with freeze_time("2026-01-20"):
            Policy._cron_update_states()
            policy.invalidate_recordset(["cooling_off_state"])
            self.assertEqual(policy.cooling_off_state, "running")
        with freeze_time("2026-01-21"):
            Policy._cron_update_states()
        self.assertEqual(policy.cooling_off_state, "ended")
        self.assertIn("cooling-off period ended on 2026-01-20", policy.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestReturnVisit(RegulationCase):
    def setUp(self):
        super().setUp()
        self.life = self.life_policy()
        self.life.action_activate()

    def run_job(self, day):
        with freeze_time(day):
            return self.env["insurance.policy"]._cron_regulatory_deadlines()

    def test_created_once_for_customer_service_with_checklist(self):
        self.run_job("2026-01-06")
        self.run_job("2026-01-06")
        visit = self.life.return_visit_ids
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.user_id, self.service)
        self.assertEqual(len(visit.line_ids), 7)
        self.assertEqual(visit.due_date, date(2026, 1, 17), "three days before the cooling-off period ends")
        activity = self.activities(visit, "mail_activity_type_return_visit")
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service)
        self.assertFalse(self.policy.return_visit_ids, "a one-year policy gets no return visit")

    def test_checklist_completion_and_retry(self):
        self.run_job("2026-01-06")
        visit = self.life.return_visit_ids.with_user(self.service)
        with freeze_time("2026-01-07"):
            visit.call_note = "无人接听"
            visit.action_log_unreachable()
        self.assertEqual(visit.state, "open")
        self.assertEqual(visit.result, "unreachable")
        self.assertEqual(visit.attempt_ids.note, "无人接听")
        retry = self.activities(visit, "mail_activity_type_return_visit")
        self.assertEqual(len(retry), 1, "the first activity is done, a retry is planned")
        self.assertEqual(retry.date_deadline, date(2026, 1, 8))
        self.assertIn("call again", retry.summary)
        # Not every item answered yes: not successful.
        visit.line_ids[:6].write({"answer": "yes"})
        visit.line_ids[6].answer = "no"
        with self.assertRaisesRegex(UserError, "Payment period and frequency confirmed"):
            visit.action_log_successful()
        visit.line_ids[6].write({"answer": "yes", "note": "年交,20年"})
        with freeze_time("2026-01-08"):
            visit.action_log_successful()
        self.assertEqual(visit.state, "successful")
        self.assertEqual(visit.attempt_count, 2)
        self.assertEqual(visit.success_rate, 100.0)
        self.assertFalse(self.activities(visit, "mail_activity_type_return_visit"))
        with self.assertRaises(UserError):
            visit.action_log_failed()

    def test_escalated_before_the_end_then_closed(self):
        self.run_job("2026-01-06")
        visit = self.life.return_visit_ids
        visit.with_user(self.service).action_log_failed()
        self.run_job("2026-01-16")
        self.assertFalse(self.activities(visit).filtered(lambda a: a.user_id == self.service_manager))
        self.run_job("2026-01-17")
        self.run_job("2026-01-18")
        escalation = self.activities(visit).filtered(lambda a: a.user_id == self.service_manager)
        self.assertEqual(len(escalation), 1)
        self.assertIn("not done", escalation.summary)
        self.run_job("2026-01-21")
        self.assertEqual(visit.state, "unsuccessful")
        self.assertEqual(visit.success_rate, 0.0)

    def test_success_rate_per_agent_and_product(self):
        other = self.create_policy(
            self.client,
            self.agent,
            name="L-0003",
            product_type="critical_illness",
            end_date=date(2040, 12, 31),
            receipt_date=date(2026, 1, 5),
        )
        other.action_activate()
        self.run_job("2026-01-06")
        self.life.return_visit_ids.with_user(self.service).action_log_unreachable()
        visit = other.return_visit_ids.with_user(self.service)
        visit.line_ids.write({"answer": "yes"})
        visit.action_log_successful()
        rows = self.env["insurance.return.visit"]._read_group(
            [("result", "!=", False), ("agent_id", "=", self.agent.id)],
            ["product_type"],
            ["success_rate:avg"],
        )
        self.assertEqual(dict(rows), {"life": 0.0, "critical_illness": 100.0})

    def test_customer_service_sees_no_health_data(self):
        self.run_job("2026-01-06")
        visit = self.life.return_visit_ids.with_user(self.service)
        self.assertEqual(visit.policyholder_id, self.client)
        self.assertEqual(visit.premium, 1000.0)
        self.assertEqual(visit.policy_name, "L-0001")
        record = self.env["insurance.health.record"].create(
            {"partner_id": self.client.id, "occupation_id": self.office.id}
        )
        claim = self.env["insurance.claim"].create(
            {
                "policy_id": self.life.id,
                "incident_date": date(2026, 2, 1),
                "description": "住院",
                "amount_claimed": 100.0,
                "medical_details": "糖尿病",
            }
        )
        with self.assertRaises(AccessError):
            record.with_user(self.service).read(["pricing_factor"])
        with self.assertRaises(AccessError):
            claim.with_user(self.service).read(["medical_details"])
        with self.assertRaises(AccessError):
            self.life.with_user(self.service).read(["risk_score"])
        with self.assertRaises(AccessError):
            visit.line_ids[0].question_id.with_user(self.service).write({"name": "x"})


@tagged("post_install", "-at_install")
class TestDualRecording(RegulationCase):
    def test_recording_required_from_60_and_kept(self):
        senior = self.env["res.partner"].create(
            {"name": "赵老伯", "archive_birth_date": date(1966, 1, 1), "insurance_agent_id": self.agent.id}
        )
        policy = self.create_policy(
            senior, self.agent, name="S-1", product_type="life", end_date=date(2035, 12, 31)
        )
        self.assertTrue(policy.requires_dual_recording)
        self.assertFalse(self.policy.requires_dual_recording, "周敏 is 45")
        with self.assertRaisesRegex(UserError, "recorded"):
            policy.action_activate()
        document = self.env["customer.archive.document"].create(
            {
                "name": "双录视频",
                "partner_id": senior.id,
                "type_id": policy.recording_type_id.id,
                "insurance_policy_id": policy.id,
            }
        )
        policy.action_activate()
        self.assertEqual(policy.state, "in_force")
        self.assertEqual(document.retention_date, date(2045, 12, 31), "10 years after a long policy ends")
        short = self.create_policy(senior, self.agent, name="S-2")
        self.assertEqual(
            short.recording_retention_date, date(2031, 12, 31), "5 years after a one-year policy"
        )
        self.env["ir.config_parameter"].set_param(PARAM + "dual_recording_age", "65")
        self.assertFalse(self.create_policy(senior, self.agent, name="S-3").requires_dual_recording)


@tagged("post_install", "-at_install")
class TestGracePeriod(RegulationCase):
    def setUp(self):
        super().setUp()
        self.monthly = self.create_policy(
            self.client, self.agent, name="M-1", payment_frequency="monthly", end_date=date(2030, 12, 31)
        )
        self.monthly.action_activate()
        self.assertEqual(self.monthly.next_premium_date, date(2026, 2, 1))
        self.Policy = self.env["insurance.policy"]

    def daily(self, day):
        with freeze_time(day):
            self.Policy._cron_update_states()
            self.Policy._cron_create_reminders()

    def test_day_60_in_grace_day_61_suspended(self):
        self.daily("2026-02-02")
        self.assertEqual(self.monthly.state, "grace")
        self.assertEqual(self.monthly.grace_end_date, date(2026, 4, 2))
        self.daily("2026-04-02")
        self.assertEqual(self.monthly.state, "grace", "day 60")
        self.daily("2026-04-03")
        self.assertEqual(self.monthly.state, "lapsed", "day 61")
        self.assertEqual(self.monthly.suspension_date, date(2026, 4, 3))
        self.assertEqual(self.monthly.reinstatement_deadline, date(2028, 4, 3))

    def test_reminders_at_start_and_before_end_once(self):
        self.daily("2026-02-02")
        self.daily("2026-02-02")
        start = self.activities(self.monthly, "mail_activity_type_grace_period")
        self.assertEqual(len(start), 1)
        self.assertEqual(start.user_id, self.agent)
        self.assertIn("2026-04-02", start.note)
        start.action_feedback(feedback="已催告")
        self.daily("2026-03-22")
        self.assertFalse(self.activities(self.monthly, "mail_activity_type_grace_period"))
        self.daily("2026-03-23")
        self.daily("2026-03-24")
        end = self.activities(self.monthly, "mail_activity_type_grace_period")
        self.assertEqual(len(end), 1, "ten days before the end, once")
        self.assertEqual(end.date_deadline, date(2026, 4, 2))

    def test_thirty_days_after_a_reminder_where_the_contract_says_so(self):
        self.daily("2026-02-02")
        self.monthly.premium_reminder_date = date(2026, 2, 10)
        self.assertEqual(self.monthly.grace_end_date, date(2026, 4, 2), "the contract has no such clause")
        self.monthly.grace_after_reminder = True
        self.assertEqual(self.monthly.grace_end_date, date(2026, 3, 12))
        self.daily("2026-03-12")
        self.assertEqual(self.monthly.state, "grace")
        self.daily("2026-03-13")
        self.assertEqual(self.monthly.state, "lapsed")

    def test_grace_days_setting_moves_running_periods(self):
        self.daily("2026-02-02")
        self.env["res.config.settings"].create({"insurance_premium_grace_days": 90}).execute()
        self.assertEqual(self.monthly.grace_end_date, date(2026, 5, 2))

    def test_claim_in_grace_payable_less_unpaid_premium(self):
        self.daily("2026-02-02")
        claim = self.env["insurance.claim"].create(
            {
                "policy_id": self.monthly.id,
                "incident_date": date(2026, 2, 15),
                "description": "急诊",
                "amount_claimed": 5000.0,
            }
        )
        self.assertEqual(claim.premium_deduction, 1000.0)
        handler = claim.with_user(self.claims_user)
        handler.action_start_review()
        handler.amount_approved = 5000.0
        handler.action_approve()
        self.assertEqual(claim.amount_payable, 4000.0)
        handler.action_pay()
        self.assertEqual(claim.amount_paid, 4000.0)

    def test_reinstatement_within_two_years_then_terminated(self):
        self.daily("2026-04-03")
        self.assertEqual(self.monthly.state, "lapsed")
        with freeze_time("2028-04-04"):
            with self.assertRaisesRegex(UserError, "reinstatement period ended on 2028-04-03"):
                self.monthly.action_reinstate()
        with freeze_time("2028-04-03"):
            self.monthly.action_reinstate()
        self.assertEqual(self.monthly.state, "in_force")
        # Arrears: every monthly premium from February 2026 to April 2028.
        self.assertEqual(self.monthly.next_premium_date, date(2028, 5, 1))
        self.assertIn("27 premium(s)", self.monthly.message_ids[0].body)

    def test_terminated_after_two_years(self):
        self.daily("2026-04-03")
        self.daily("2028-04-03")
        self.assertEqual(self.monthly.state, "lapsed")
        self.daily("2028-04-04")
        self.assertEqual(self.monthly.state, "terminated")
        self.assertEqual(self.monthly.termination_date, date(2028, 4, 4))
        with self.assertRaises(UserError):
            self.monthly.action_reinstate()

    def test_reinstatement_period_is_a_setting(self):
        self.env["ir.config_parameter"].set_param(PARAM + "reinstatement_years", "1")
        self.daily("2026-04-03")
        self.assertEqual(self.monthly.reinstatement_deadline, date(2027, 4, 3))


@tagged("post_install", "-at_install")
class TestClaimDeadlines(RegulationCase):
    def setUp(self):
        super().setUp()
        self.policy.action_activate()
        with freeze_time("2026-03-01"):
            self.claim = self.env["insurance.claim"].create(
                {
                    "policy_id": self.policy.id,
                    "incident_date": date(2026, 2, 20),
                    "description": "住院治疗",
                    "amount_claimed": 8000.0,
                    "handler_id": self.claims_user.id,
                }
            )
        self.lines = self.claim.checklist_line_ids

    def receive(self, lines, day):
        with freeze_time(day):
            lines.write({"received": True})

    def test_checklist_per_product_and_claim_type(self):
        self.assertEqual(self.claim.claim_type, "medical")
        names = set(self.lines.mapped("display_name"))
        self.assertIn("Original medical invoices and expense list", names)
        self.assertIn("Claim application form signed by the claimant", names)
        self.assertNotIn("Death certificate or declaration of death", names)
        self.claim.claim_type = "death"
        self.assertIn(
            "Death certificate or declaration of death", self.claim.checklist_line_ids.mapped("display_name")
        )
        item = self.env["insurance.claim.checklist.item"].create(
            {"name": "Hospital admission record", "product_type": "medical", "claim_type": "medical"}
        )
        other = self.env["insurance.claim"].create(
            {
                "policy_id": self.policy.id,
                "incident_date": date(2026, 2, 21),
                "description": "x",
                "amount_claimed": 1,
            }
        )
        self.assertIn(item, other.checklist_line_ids.item_id)

    def test_missing_documents_told_at_once(self):
        self.receive(self.lines[:2], "2026-03-02")
        missing = self.lines[2:]
        self.assertTrue(missing)
        with freeze_time("2026-03-03"):
            self.claim.with_user(self.agent).action_notify_missing_documents()
        message = self.claim.message_ids[0]
        for line in missing:
            self.assertIn(line.display_name, message.body)
        for line in self.lines[:2]:
            self.assertNotIn(line.display_name, message.body)
        self.assertEqual(message.partner_ids, self.client)
        self.assertEqual(self.claim.missing_notice_date, date(2026, 3, 3))
        self.receive(missing, "2026-03-05")
        with self.assertRaisesRegex(UserError, "nothing to ask for"):
            self.claim.action_notify_missing_documents()

    def test_decision_day_30_and_deadline_moves_when_documents_complete_later(self):
        self.assertFalse(self.claim.decision_due_date, "documents missing: no deadline yet")
        self.receive(self.lines[:-1], "2026-03-02")
        self.assertFalse(self.claim.documents_complete_date)
        self.receive(self.lines[-1], "2026-03-10")
        self.assertEqual(self.claim.documents_complete_date, date(2026, 3, 10))
        self.assertEqual(self.claim.decision_due_date, date(2026, 4, 9))
        self.assertEqual(self.claim.advance_payment_due_date, date(2026, 5, 9))
        self.assertEqual(self.claim.next_deadline_kind, "decision")
        Claim = self.env["insurance.claim"]
        with freeze_time("2026-04-09"):
            Claim._cron_claim_deadlines(date(2026, 4, 9))
        self.assertEqual(self.claim.deadline_status, "due_soon", "day 30: still in time")
        with freeze_time("2026-04-10"):
            Claim._cron_claim_deadlines(date(2026, 4, 10))
        self.assertEqual(self.claim.deadline_status, "overdue")
        # A document turns out to be missing, and comes later: the deadline moves.
        self.lines[-1].received = False
        self.assertFalse(self.claim.decision_due_date)
        self.receive(self.lines[-1], "2026-04-12")
        self.assertEqual(self.claim.decision_due_date, date(2026, 5, 12))

    def test_simple_case_where_the_product_says_so(self):
        self.receive(self.lines, "2026-03-02")
        self.claim.is_simple_case = True
        self.assertEqual(self.claim.decision_due_date, date(2026, 4, 1), "the product promises nothing")
        self.policy.simple_claim_fast_track = True
        self.assertEqual(self.claim.decision_due_date, date(2026, 3, 7))

    def test_payment_rejection_notice_and_advance_payment(self):
        self.receive(self.lines, "2026-03-02")
        handler = self.claim.with_user(self.claims_user)
        handler.action_start_review()
        with freeze_time("2026-05-02"):
            handler.advance_payment_amount = 3000.0
            handler.action_advance_payment()
        self.assertEqual(self.claim.advance_payment_date, date(2026, 5, 2))
        handler.amount_approved = 7000.0
        with freeze_time("2026-05-05"):
            handler.action_approve()
        self.assertEqual(self.claim.payment_due_date, date(2026, 5, 15))
        self.assertEqual(self.claim.next_deadline_kind, "payment")
        with freeze_time("2026-05-12"):
            handler.action_pay()
        self.assertFalse(self.claim.next_deadline_date)
        report = self.env["insurance.claim.deadline.report"].search([("claim_id", "=", self.claim.id)])
        self.assertEqual(report.days_to_decision, 64.0)
        self.assertEqual(report.days_to_payment, 71.0)

        rejected = self.env["insurance.claim"].create(
            {
                "policy_id": self.policy.id,
                "incident_date": date(2026, 2, 22),
                "description": "门诊",
                "amount_claimed": 900.0,
            }
        )
        rejected.checklist_line_ids.write({"received": True})
        rejected = rejected.with_user(self.claims_user)
        rejected.rejection_reason = "既往症不在保障范围\n等待期内出险"
        with freeze_time("2026-05-20"):
            rejected.action_reject()
        self.assertEqual(rejected.rejection_notice_due_date, date(2026, 5, 23))
        self.assertEqual(rejected.next_deadline_kind, "rejection_notice")
        rejected.action_send_rejection_notice()
        body = rejected.message_ids[0].body
        self.assertIn("既往症不在保障范围", body)
        self.assertIn("等待期内出险", body)
        self.assertFalse(rejected.next_deadline_date)

    def test_handler_reminded_manager_escalated_once(self):
        self.receive(self.lines, "2026-03-01")
        self.assertEqual(self.claim.decision_due_date, date(2026, 3, 31))
        Claim = self.env["insurance.claim"]
        Claim._cron_claim_deadlines(date(2026, 3, 27))
        self.assertFalse(self.activities(self.claim))
        Claim._cron_claim_deadlines(date(2026, 3, 28))
        Claim._cron_claim_deadlines(date(2026, 3, 28))
        reminder = self.activities(self.claim, "mail_activity_type_claim_deadline")
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.claims_user)
        self.assertEqual(reminder.date_deadline, date(2026, 3, 31))
        Claim._cron_claim_deadlines(date(2026, 4, 1))
        Claim._cron_claim_deadlines(date(2026, 4, 2))
        escalation = self.activities(self.claim).filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(escalation), 1)
        self.assertIn("overdue", escalation.summary)

    def test_deadline_report_per_handler_and_product(self):
        self.receive(self.lines, "2026-03-01")
        late = self.env["insurance.claim"].create(
            {
                "policy_id": self.policy.id,
                "incident_date": date(2026, 2, 21),
                "description": "门诊",
                "amount_claimed": 500.0,
                "handler_id": self.claims_user.id,
            }
        )
        self.receive(late.checklist_line_ids, "2026-01-15")
        with freeze_time("2026-03-29"):
            self.env["insurance.claim"]._cron_claim_deadlines(date(2026, 3, 29))
        rows = self.env["insurance.claim.deadline.report"]._read_group(
            [("handler_id", "=", self.claims_user.id), ("is_open", "=", True)],
            ["product_type", "deadline_status"],
            ["__count"],
        )
        self.assertEqual(
            sorted((p, s, n) for p, s, n in rows), [("medical", "due_soon", 1), ("medical", "overdue", 1)]
        )
        self.assertEqual(
            self.env["insurance.claim.deadline.report"].with_user(self.other_agent).search_count([]),
            0,
            "another agent sees none of these claims",
        )


@tagged("post_install", "-at_install")
class TestDailyJobIdempotent(RegulationCase):
    def test_all_activities_created_once(self):
        life = self.life_policy(receipt_date=date(2026, 1, 25))
        life.action_activate()
        monthly = self.create_policy(
            self.client, self.agent, name="M-2", payment_frequency="monthly", end_date=date(2030, 12, 31)
        )
        monthly.action_activate()
        claim = self.env["insurance.claim"].create(
            {
                "policy_id": monthly.id,
                "incident_date": date(2026, 1, 10),
                "description": "住院",
                "amount_claimed": 100.0,
                "handler_id": self.claims_user.id,
            }
        )
        claim.checklist_line_ids.write({"received": True, "received_date": date(2025, 12, 1)})
        Policy = self.env["insurance.policy"]
        Activity = self.env["mail.activity"]
        counts = []
        for _run in range(2):
            with freeze_time("2026-02-02"):
                Policy._cron_update_states()
                Policy._cron_create_reminders()
            counts.append(Activity.search_count([]))
        self.assertEqual(counts[0], counts[1])
        self.assertTrue(self.activities(life.return_visit_ids, "mail_activity_type_return_visit"))
        self.assertTrue(self.activities(monthly, "mail_activity_type_grace_period"))
        # Decision and advance payment both overdue: the handler's reminder and
        # the manager's escalation of each.
        activities = self.activities(claim)
        self.assertEqual(len(activities), 4)
        self.assertEqual(activities.user_id, self.claims_user | self.manager)


@tagged("post_install", "-at_install")
class TestRegulatorySettings(RegulationCase):
    def test_legal_defaults_and_no_negative_period(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            (
                settings.insurance_cooling_off_days,
                settings.insurance_premium_grace_days,
                settings.insurance_premium_grace_after_reminder_days,
                settings.insurance_reinstatement_years,
                settings.insurance_claim_decision_days,
                settings.insurance_claim_payment_days,
                settings.insurance_claim_rejection_notice_days,
                settings.insurance_claim_advance_payment_days,
                settings.insurance_dual_recording_age,
                settings.insurance_recording_retention_years_short,
                settings.insurance_recording_retention_years_long,
            ),
            (15, 60, 30, 2, 30, 10, 3, 60, 60, 5, 10),
        )
        with self.assertRaisesRegex(ValidationError, "Claim Decision"):
            self.env["res.config.settings"].create({"insurance_claim_decision_days": -1})

    def test_cancel_wizard_refuses_a_day_before_the_start(self):
        policy = self.life_policy()
        policy.action_activate()
        wizard = self.env["insurance.policy.surrender"].create(
            {"policy_id": policy.id, "reason": "x", "surrender_date": date(2025, 12, 31)}
        )
        with self.assertRaisesRegex(UserError, "Start Date"):
            wizard.action_confirm()
        self.assertEqual(policy.state, "in_force")
