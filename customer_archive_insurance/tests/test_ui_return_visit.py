from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestReturnVisitTour(HttpCase):
    def test_customer_service_logs_a_call_in_the_web_client(self):
        env = self.env
        service = new_test_user(
            env, login="tour_service", groups="customer_archive.group_archive_service", lang="en_US"
        )
        agent = new_test_user(
            env, login="tour_agent", groups="customer_archive_insurance.group_insurance_agent"
        )
        env["ir.config_parameter"].set_param(
            "customer_archive_insurance.return_visit_user_id", str(service.id)
        )
        client = env["res.partner"].create({"name": "钱多多", "insurance_agent_id": agent.id})
        insurer = env["res.partner"].create({"name": "测试人寿", "is_company": True, "is_insurer": True})
        today = fields.Date.context_today(env["insurance.policy"])
        policy = env["insurance.policy"].create(
            {
                "name": "TOUR-L-1",
                "insurer_id": insurer.id,
                "policyholder_id": client.id,
                "insured_id": client.id,
                "agent_id": agent.id,
                "product_type": "life",
                "base_premium": 5000.0,
                "start_date": today,
                "end_date": today + relativedelta(years=20, days=-1),
                "receipt_date": today,
            }
        )
        policy.action_activate()
        env["insurance.policy"]._cron_regulatory_deadlines()
        visit = policy.return_visit_ids
        self.assertEqual(visit.user_id, service)

        self.start_tour(
            "/odoo/action-customer_archive_insurance.action_insurance_return_visit",
            "insurance_return_visit_tour",
            login="tour_service",
        )
        self.assertEqual(visit.state, "open")
        self.assertEqual(visit.attempt_ids.result, "unreachable")
        self.assertEqual(visit.attempt_ids.user_id, service)
        self.assertEqual(visit.attempt_ids.note, "无人接听，明天再打")
        retry = visit.activity_ids
        self.assertEqual(len(retry), 1)
        # The retry is due tomorrow in the calling user's time zone.
        service_today = fields.Date.context_today(env["insurance.policy"].with_user(service))
        self.assertEqual(retry.date_deadline, service_today + relativedelta(days=1))
