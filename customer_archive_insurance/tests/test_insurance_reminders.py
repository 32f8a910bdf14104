from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceReminders(InsuranceCase):
    def _activities(self, xml_id, records):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.env.ref(f"customer_archive_insurance.{xml_id}").id),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )

    def _run_reminders(self, *days):
        """The daily reminder job, run on each of ``days`` in turn."""
        for day in days:
            with freeze_time(day):
                self.env["insurance.policy"]._cron_create_reminders()

    def test_renewal_reminder_once(self):
        self.policy.action_activate()
        # 30 days before 31 December is 1 December.
        self._run_reminders("2026-11-30")
        self.assertFalse(self._activities("mail_activity_type_policy_renewal", self.policy))
        self._run_reminders("2026-12-01", "2026-12-01")
        activity = self._activities("mail_activity_type_policy_renewal", self.policy)
        self.assertEqual(len(activity), 1, "the second run creates nothing")
        self.assertEqual(activity.user_id, self.agent)
        self.assertIn("P-0001", activity.summary)
        # Done activity: still no second reminder for the same policy.
        activity.action_feedback(feedback="已联系客户")
        self._run_reminders("2026-12-02")
        self.assertFalse(self._activities("mail_activity_type_policy_renewal", self.policy))

    def test_renewal_days_are_configurable(self):
        self.env["ir.config_parameter"].set_param("customer_archive_insurance.renewal_reminder_days", "60")
        self.policy.action_activate()
        self._run_reminders("2026-11-01")
        self.assertEqual(len(self._activities("mail_activity_type_policy_renewal", self.policy)), 1)

    def test_renewed_policy_gets_no_reminder(self):
        self.policy.action_activate()
        self.policy.action_renew()
        self._run_reminders("2026-12-15")
        self.assertFalse(self._activities("mail_activity_type_policy_renewal", self.policy))

    def test_lapsed_premium_follow_up_once(self):
        policy = self.create_policy(self.client, self.agent, name="P-LAPSE", payment_frequency="monthly")
        policy.action_activate()
        Policy = self.env["insurance.policy"]
        with freeze_time("2026-04-05"):
            Policy._cron_update_states()
            self.assertEqual(policy.state, "lapsed")
            Policy._cron_create_reminders()
            Policy._cron_create_reminders()
        activity = self._activities("mail_activity_type_lapsed_premium", policy)
        self.assertEqual(len(activity), 1)
        self.assertIn("2026-02-01", activity.note)
        # Reinstated and lapsed again: a new follow-up.
        policy.action_register_premium()
        activity.unlink()
        policy.action_lapse()
        self._run_reminders("2026-05-05")
        self.assertEqual(len(self._activities("mail_activity_type_lapsed_premium", policy)), 1)

    def test_birthday_greeting_once_a_year(self):
        self.policy.action_activate()
        # Born 15 June; greeted 3 days ahead.
        self._run_reminders("2026-06-11")
        self.assertFalse(self._activities("mail_activity_type_birthday_greeting", self.client))
        self._run_reminders("2026-06-12", "2026-06-14")
        activity = self._activities("mail_activity_type_birthday_greeting", self.client)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent)
        self.assertEqual(activity.date_deadline, date(2026, 6, 15))
        self.assertIn("birthday greeting", activity.note)
        self.assertIn("suggestions for updating their insurance", activity.note)
        self.assertIn("P-0001", activity.note)
        self.assertEqual(self.client.insurance_birthday_greeting_year, 2026)
        # Next year, a new greeting.
        self._run_reminders("2027-06-13")
        self.assertEqual(len(self._activities("mail_activity_type_birthday_greeting", self.client)), 2)

    def test_leap_day_birthday(self):
        self.client.archive_birth_date = date(1988, 2, 29)
        with freeze_time("2027-02-26"):
            self.env["res.partner"]._cron_create_birthday_reminders()
        activity = self._activities("mail_activity_type_birthday_greeting", self.client)
        self.assertEqual(activity.date_deadline, date(2027, 2, 28))

    def test_clients_without_agent_get_no_greeting(self):
        self.client.insurance_agent_id = False
        with freeze_time("2026-06-15"):
            self.env["res.partner"]._cron_create_birthday_reminders()
        self.assertFalse(self._activities("mail_activity_type_birthday_greeting", self.client))
