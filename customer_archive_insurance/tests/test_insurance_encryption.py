"""Health data and claims' medical details are stored encrypted."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import InsuranceCase, load_migration


@tagged("post_install", "-at_install")
class TestInsuranceEncryption(InsuranceCase):
    def _stored(self, table, column, record_id):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("SELECT %s FROM %s WHERE id = %s", SQL.identifier(column), SQL.identifier(table), record_id)
        )
        return self.env.cr.fetchone()[0]

    def test_health_record_conditions_and_claim_details_are_encrypted(self):
        record = (
            self.env["insurance.health.record"]
            .with_user(self.underwriter)
            .create(
                {
                    "partner_id": self.client.id,
                    "notes": "家族有糖尿病史",
                    "condition_ids": [
                        (0, 0, {"name": "二型糖尿病", "notes": "服用二甲双胍", "severity": "2"})
                    ],
                }
            )
        )
        claim = self.env["insurance.claim"].create(
            {
                "policy_id": self.policy.id,
                "incident_date": date(2026, 3, 1),
                "description": "住院",
                "amount_claimed": 5000,
                "medical_details": "急性阑尾炎,手术切除",
            }
        )
        condition = record.condition_ids
        for table, column, record_id, plain in (
            ("insurance_health_record", "notes_encrypted", record.id, "糖尿病"),
            ("insurance_health_condition", "name_encrypted", condition.id, "糖尿病"),
            ("insurance_health_condition", "notes_encrypted", condition.id, "二甲双胍"),
            ("insurance_claim", "medical_details_encrypted", claim.id, "阑尾炎"),
        ):
            with self.subTest(column=column):
                stored = self._stored(table, column, record_id)
                self.assertTrue(stored)
                self.assertNotIn(plain, stored)
        self.env.invalidate_all()
        self.assertEqual(record.with_user(self.underwriter).notes, "家族有糖尿病史")
        self.assertEqual(condition.with_user(self.underwriter).name, "二型糖尿病")
        self.assertEqual(condition.display_name, "二型糖尿病")
        self.assertEqual(claim.with_user(self.claims_user).medical_details, "急性阑尾炎,手术切除")
        # The risk score still reads the (not encrypted) severity.
        self.assertTrue(record.risk_score >= 0)

    def test_upgrade_encrypts_the_plain_columns(self):
        claim = self.env["insurance.claim"].create(
            {
                "policy_id": self.policy.id,
                "incident_date": date(2026, 3, 1),
                "description": "门诊",
                "amount_claimed": 300,
            }
        )
        self.env.flush_all()
        self.env.cr.execute(SQL("ALTER TABLE insurance_claim ADD COLUMN medical_details text"))
        self.env.cr.execute(
            SQL("UPDATE insurance_claim SET medical_details = %s WHERE id = %s", "支气管炎", claim.id)
        )
        load_migration("18.0.1.2.0", "post-encrypt-sensitive-fields").migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertNotIn("medical_details", self.env["insurance.claim"]._encrypted_table_columns())
        self.assertEqual(claim.medical_details, "支气管炎")
        self.assertNotIn("支气管炎", self._stored("insurance_claim", "medical_details_encrypted", claim.id))


@tagged("post_install", "-at_install")
class TestInsuranceRetention(InsuranceCase):
    def test_clients_are_kept_the_regulator_period_after_their_last_policy(self):
        rule = self.env.ref("customer_archive_insurance.retention_rule_insurance_policy_ended")
        self.assertEqual((rule.period_number, rule.period_unit), (10, "years"))
        old_client = self.env["res.partner"].create(
            {"name": "老客户", "email": "old@example.com", "insurance_agent_id": self.agent.id}
        )
        self.create_policy(
            old_client, self.agent, name="P-OLD", start_date=date(2010, 1, 1), end_date=date(2014, 12, 31)
        )
        Rule = self.env["customer.archive.retention.rule"]
        Partner = self.env["res.partner"]
        expired = Partner.search(rule._expired_domain(date(2025, 6, 1)))
        self.assertIn(old_client, expired)
        # self.client's policy runs until the end of 2026: kept.
        self.assertNotIn(self.client, expired)
        self.assertNotIn(old_client, Partner.search(rule._expired_domain(date(2024, 6, 1))))
        with freeze_time("2025-06-01"):
            Rule._cron_apply_retention()
        self.assertTrue(old_client.archive_anonymized_date)
        self.assertFalse(self.client.archive_anonymized_date)
