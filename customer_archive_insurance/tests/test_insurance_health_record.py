from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceHealthRecord(InsuranceCase):
    def _record(self, **vals):
        values = {
            "partner_id": self.client.id,
            "declaration_date": date(2026, 1, 10),
            "height_cm": 170.0,
            "weight_kg": 65.0,
            "occupation_id": self.office.id,
        }
        values.update(vals)
        return self.env["insurance.health.record"].with_user(self.underwriter).create(values)

    def test_bmi_and_age(self):
        record = self._record(height_cm=180.0, weight_kg=81.0)
        self.assertAlmostEqual(record.bmi, 25.0, places=1)
        # Born 15 June 1980, declared 10 January 2026: 45 full years.
        self.assertEqual(record.age, 45)
        self.assertEqual(self._record(height_cm=0.0).bmi, 0.0)

    def test_measures_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "Height") as height:
            self._record(height_cm=412.0)
        with self.assertRaisesRegex(ValidationError, "Weight") as weight:
            self._record(weight_kg=-7.0)
        # Odoo's HTTP layer logs the message of every refused call: neither
        # the person nor their health data may be in it.
        for error, value in ((height, "412"), (weight, "-7")):
            self.assertNotIn(value, str(error.exception))
            self.assertNotIn(self.client.name, str(error.exception))

    def test_risk_score_from_the_rules(self):
        # Age 45 (+20), BMI 22.5 (0), office class 1 (0), no smoking, no condition.
        healthy = self._record()
        self.assertEqual(healthy.risk_score, 20)
        self.assertEqual(healthy.pricing_factor, 1.15)
        # Smoker (+20), miner class 6 (+30), obese BMI 31.1 (+25), severe ongoing
        # condition (+30) and two ongoing conditions (+10): 135 with the age.
        risky = self._record(
            smoker=True,
            weight_kg=90.0,
            occupation_id=self.miner.id,
            condition_ids=[
                Command.create({"name": "尘肺病", "ongoing": True, "severity": "3"}),
                Command.create({"name": "高血压", "ongoing": True, "severity": "1"}),
                Command.create({"name": "骨折", "ongoing": False, "severity": "2"}),
            ],
        )
        self.assertEqual(risky.risk_score, 20 + 20 + 30 + 25 + 30 + 10)
        self.assertEqual(risky.pricing_factor, 2.0)
        self.assertIn("Smoker", risky.risk_explanation)
        # The applied rules read in the reader's language (not as stored at scoring time).
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_archive_insurance"], ["zh_CN"], overwrite=True
        )
        self.assertIn("吸烟: +20", risky.with_context(lang="zh_CN").risk_explanation)
        self.assertIn("Smoker: +20", risky.with_context(lang="en_US").risk_explanation)
        # The condition heals: severity and count points go.
        risky.condition_ids.filtered(lambda c: c.severity == "3").ongoing = False
        self.assertEqual(risky.risk_score, 20 + 20 + 30 + 25 + 5)

    def test_rules_are_data(self):
        record = self._record()
        self.assertEqual(record.risk_score, 20)
        rule = self.env.ref("customer_archive_insurance.risk_rule_age_45")
        rule.with_user(self.manager).points = 50
        self.env.flush_all()
        self.assertEqual(record.risk_score, 50)
        self.assertEqual(record.pricing_factor, 1.35)
        self.env.ref("customer_archive_insurance.pricing_band_elevated").with_user(
            self.manager
        ).pricing_factor = 1.4
        self.env.flush_all()
        self.assertEqual(record.pricing_factor, 1.4)
        with self.assertRaisesRegex(ValidationError, "Upper Bound"):
            rule.upper_bound = 10

    def test_deleting_a_pricing_band_reprices_its_records(self):
        record = self._record(smoker=True)  # 20 + 20 = 40: the elevated band
        other = self._record()  # 20: the moderate band
        self.assertEqual((record.pricing_factor, other.pricing_factor), (1.35, 1.15))
        self.env.ref("customer_archive_insurance.pricing_band_elevated").with_user(self.manager).unlink()
        self.env.flush_all()
        self.assertEqual(record.pricing_factor, 1.0, "no band holds 40 any more: the standard factor")
        self.assertEqual(other.pricing_factor, 1.15)

    def test_new_policies_copy_the_pricing_factor(self):
        self._record(declaration_date=date(2025, 1, 1))
        self._record(smoker=True)  # latest: 20 + 20 = 40 -> 1.35
        policy = self.create_policy(self.client, self.agent, name="P-PRICED")
        self.assertEqual(policy.pricing_factor, 1.35)
        self.assertEqual(policy.risk_score, 40)
        self.assertAlmostEqual(policy.premium, 1350.0)
        # A later declaration does not reprice the existing policy.
        self._record(declaration_date=date(2026, 2, 1), occupation_id=self.miner.id, smoker=True)
        self.assertEqual(policy.pricing_factor, 1.35)
        # A client without health record is priced at the standard factor.
        self.assertEqual(
            self.create_policy(self.other_client, self.other_agent, name="P-STD").pricing_factor, 1.0
        )

    @freeze_time("2026-03-01")
    def test_health_data_access_is_audited(self):
        record = self._record()
        record.with_user(self.underwriter).read(["bmi", "risk_score"])
        record.with_user(self.underwriter).write({"smoker": True})
        logs = self.env["customer.archive.audit.log"].search(
            [("res_model", "=", "insurance.health.record"), ("res_id", "=", record.id)]
        )
        self.assertEqual(set(logs.mapped("operation")), {"read", "write"})
        self.assertEqual(logs.user_id, self.underwriter)
        self.assertEqual(logs.partner_id, self.client)
