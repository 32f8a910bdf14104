from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsurancePolicy(InsuranceCase):
    def test_number_unique_per_insurer(self):
        # The same number at another insurer is fine.
        other = self.create_policy(self.client, self.agent, name="P-0001", insurer_id=self.insurer2.id)
        self.assertEqual(other.name, "P-0001")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.create_policy(self.client, self.agent, name="P-0001")

    def test_number_from_sequence(self):
        policy = self.create_policy(self.client, self.agent)
        self.assertTrue(policy.name.startswith("POL/"))

    def test_beneficiary_shares_sum_to_100(self):
        spouse = self.env["res.partner"].create({"name": "周伟"})
        child = self.env["res.partner"].create({"name": "周小明"})
        self.policy.beneficiary_ids = [
            Command.create({"partner_id": spouse.id, "relation": "spouse", "share": 60}),
            Command.create({"partner_id": child.id, "relation": "child", "share": 40}),
        ]
        self.assertEqual(sum(self.policy.beneficiary_ids.mapped("share")), 100)
        # A line edited on its own is checked against the policy's total too.
        line = self.policy.beneficiary_ids[0]
        with self.assertRaisesRegex(ValidationError, "must add up to 100"), self.cr.savepoint():
            line.write({"share": 40})
        self.policy.invalidate_recordset()
        self.assertEqual(line.share, 60)
        with self.assertRaisesRegex(ValidationError, "add up to 90"):
            self.policy.write(
                {"beneficiary_ids": [Command.update(self.policy.beneficiary_ids[1].id, {"share": 30})]}
            )
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.policy.write(
                {"beneficiary_ids": [Command.update(self.policy.beneficiary_ids[0].id, {"share": -5})]}
            )
        # No beneficiary at all is allowed (legal heirs).
        self.policy.beneficiary_ids = [Command.clear()]
        self.assertFalse(self.policy.beneficiary_ids)

    def test_dates_and_amounts_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "End Date"):
            self.create_policy(
                self.client, self.agent, start_date=date(2026, 5, 1), end_date=date(2026, 4, 1)
            )
        with self.assertRaisesRegex(ValidationError, "Sum Insured"):
            self.create_policy(self.client, self.agent, sum_insured=-1)

    def test_status_actions(self):
        policy = self.policy
        self.assertEqual(policy.state, "draft")
        policy.action_activate()
        self.assertEqual(policy.state, "in_force")
        self.assertEqual(policy.next_premium_date, False, "an annual one-year policy has no second premium")
        with self.assertRaisesRegex(UserError, "In Force"):
            policy.action_activate()
        policy.action_lapse()
        self.assertEqual(policy.state, "lapsed")
        policy.action_reinstate()
        policy.action_cancel()
        self.assertEqual(policy.state, "cancelled")
        with self.assertRaises(UserError):
            policy.action_renew()
        policy.action_reset_to_draft()
        self.assertEqual(policy.state, "draft")
        policy.base_premium = 0
        with self.assertRaisesRegex(UserError, "Premium"):
            policy.action_activate()

    def test_premium_payments(self):
        policy = self.create_policy(self.client, self.agent, name="P-MONTHLY", payment_frequency="monthly")
        policy.action_activate()
        self.assertEqual(policy.next_premium_date, date(2026, 2, 1))
        self.assertEqual(policy.annual_premium, 12000.0)
        policy.action_register_premium()
        self.assertEqual(policy.next_premium_date, date(2026, 3, 1))
        policy.action_lapse()
        policy.action_register_premium()
        self.assertEqual(policy.state, "in_force", "paying the overdue premium reinstates the policy")
        self.assertEqual(policy.next_premium_date, date(2026, 4, 1))

    def test_cron_expires_and_lapses(self):
        quarterly = self.create_policy(self.client, self.agent, name="P-Q", payment_frequency="quarterly")
        (self.policy | quarterly).action_activate()
        self.assertEqual(quarterly.next_premium_date, date(2026, 4, 1))
        Policy = self.env["insurance.policy"]
        # 1 April due, 60 days of grace: in the grace period, not yet suspended, on 31 May.
        with freeze_time("2026-05-31"):
            Policy._cron_update_states()
        self.assertEqual(quarterly.state, "grace")
        with freeze_time("2026-06-01"):
            Policy._cron_update_states()
        self.assertEqual(quarterly.state, "lapsed")
        self.assertEqual(self.policy.state, "in_force")
        # The grace period is configuration.
        self.env["ir.config_parameter"].set_param("customer_archive_insurance.premium_grace_days", "200")
        quarterly.action_reinstate()
        with freeze_time("2026-06-01"):
            Policy._cron_update_states()
        self.assertEqual(quarterly.state, "in_force")
        with freeze_time("2026-12-31"):
            Policy._cron_update_states()
        self.assertEqual(self.policy.state, "in_force")
        with freeze_time("2027-01-01"):
            Policy._cron_update_states()
        self.assertEqual(self.policy.state, "expired")
        self.assertEqual(quarterly.state, "expired")

    def test_renewal(self):
        spouse = self.env["res.partner"].create({"name": "周伟"})
        self.policy.beneficiary_ids = [
            Command.create({"partner_id": spouse.id, "relation": "spouse", "share": 100})
        ]
        self.policy.action_activate()
        action = self.policy.action_renew()
        renewal = self.env["insurance.policy"].browse(action["res_id"])
        self.assertEqual(renewal.previous_policy_id, self.policy)
        self.assertEqual(self.policy.renewal_policy_id, renewal)
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.start_date, date(2027, 1, 1))
        self.assertEqual(renewal.end_date, date(2027, 12, 31))
        self.assertEqual(renewal.beneficiary_ids.partner_id, spouse)
        self.assertNotEqual(renewal.name, self.policy.name)
        with self.assertRaisesRegex(UserError, "already been renewed"):
            self.policy.action_renew()

    def test_client_classification(self):
        company = self.env["res.partner"].create(
            {"name": "东方电气", "is_company": True, "archive_company_size": "large"}
        )
        self.assertEqual(company.insurance_client_type, "enterprise")
        self.assertEqual(company.insurance_enterprise_size, "large")
        company.archive_company_size = "small"
        self.assertEqual(company.insurance_enterprise_size, "sme")
        self.assertEqual(self.client.insurance_client_type, "individual")
        self.assertFalse(self.client.insurance_enterprise_size)

    def test_high_net_worth_review_quarterly(self):
        ordinary = self.client._archive_review_interval_months()
        self.client.insurance_client_segment = "high_net_worth"
        self.assertEqual(self.client._archive_review_interval_months(), min(ordinary or 3, 3))
        self.env["ir.config_parameter"].set_param(
            "customer_archive_insurance.high_net_worth_review_months", "2"
        )
        self.assertEqual(self.client._archive_review_interval_months(), 2)

    def test_smart_buttons(self):
        self.assertEqual(self.client.insurance_policy_count, 1)
        action = self.client.action_open_insurance_policies()
        self.assertEqual(self.env["insurance.policy"].search(action["domain"]), self.policy)
