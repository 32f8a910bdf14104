"""Health data and claims' medical details are stored encrypted."""

import importlib.util
from datetime import date

from odoo.tests import tagged
from odoo.tools import SQL, file_path

from .common import InsuranceCase


def load_migration(version, name):
    path = file_path(f"customer_archive_insurance/migrations/{version}/{name}.py")
    spec = importlib.util.spec_from_file_location(f"customer_archive_insurance_enc_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
        load_migration("18.0.1.2.0", "post-migrate").migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertNotIn("medical_details", self.env["insurance.claim"]._encrypted_table_columns())
        self.assertEqual(claim.medical_details, "支气管炎")
        self.assertNotIn("支气管炎", self._stored("insurance_claim", "medical_details_encrypted", claim.id))
