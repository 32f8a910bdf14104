from odoo.exceptions import ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceSettings(InsuranceCase):
    """Settings → Insurance: the reminder periods are set on the settings
    screen and the scheduled actions use them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = new_test_user(cls.env, login="ins_settings_admin", groups="base.group_system")

    def _renewal_activities(self):
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_policy_renewal")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "insurance.policy"),
                ("res_id", "=", self.policy.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_renewal_days_set_in_settings(self):
        self.policy.action_activate()  # ends 2026-12-31
        with freeze_time("2026-11-01"):
            self.env["insurance.policy"]._cron_create_reminders()
        self.assertFalse(
            self._renewal_activities(), "61 days before the end: not yet with the default 30 days"
        )
        settings = Form(self.env["res.config.settings"].with_user(self.system))
        self.assertEqual(settings.insurance_renewal_reminder_days, 30)
        settings.insurance_renewal_reminder_days = 61
        settings.insurance_high_net_worth_review_months = 2
        settings.save().execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("customer_archive_insurance.renewal_reminder_days"), "61")
        self.assertEqual(params.get_param("customer_archive_insurance.high_net_worth_review_months"), "2")
        with freeze_time("2026-11-01"):
            self.env["insurance.policy"]._cron_create_reminders()
        self.assertEqual(len(self._renewal_activities()), 1)

    def test_invalid_settings_are_refused(self):
        Settings = self.env["res.config.settings"].with_user(self.system)
        with self.assertRaisesRegex(ValidationError, "Renewal Reminder"):
            Settings.create({"insurance_renewal_reminder_days": -5})
        with self.assertRaisesRegex(ValidationError, "between 1 and 12"):
            Settings.create({"insurance_high_net_worth_review_months": 0})
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("customer_archive_insurance.renewal_reminder_days"), "30")
        self.assertEqual(params.get_param("customer_archive_insurance.high_net_worth_review_months"), "3")
