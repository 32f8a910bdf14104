from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase


class SettingsCase(ArchiveCase):
    """An administrator of Settings (no archive role of their own)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = cls.create_archive_user("archive_settings_admin", "系统设置管理员", "base.group_system")


@tagged("post_install", "-at_install")
class TestArchiveSettings(SettingsCase):
    """Settings → Customer Archive edits the active tier policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["customer.tier.policy"]._get_active_policy()

    def test_settings_edit_the_active_policy(self):
        self.assertTrue(self.policy, "the module installs a tier policy")
        settings = Form(self.env["res.config.settings"].with_user(self.system))
        self.assertEqual(settings.archive_tier_policy_id, self.policy)
        self.assertEqual(settings.archive_tier_share_a, self.policy.share_a)
        settings.archive_tier_share_a = 15
        settings.archive_tier_share_b = 45
        settings.archive_update_deadline_days = 3
        self.assertEqual(settings.archive_tier_share_c, 40)
        record = settings.save()
        record.execute()
        self.assertEqual((self.policy.share_a, self.policy.share_b), (15, 45))
        self.assertEqual(self.policy.update_deadline_days, 3)
        action = record.action_open_archive_tier_policy()
        self.assertEqual((action["res_model"], action["res_id"]), ("customer.tier.policy", self.policy.id))

    def test_invalid_shares_are_refused(self):
        Settings = self.env["res.config.settings"].with_user(self.system)
        with self.assertRaises(ValidationError):
            Settings.create(
                {
                    "archive_tier_policy_id": self.policy.id,
                    "archive_tier_share_a": 70,
                    "archive_tier_share_b": 40,
                }
            )
        self.assertEqual((self.policy.share_a, self.policy.share_b), (20, 40))

    def test_recompute_from_settings(self):
        customer = self.env["res.partner"].create({"name": "设置测试客户", "is_company": True})
        self.assertFalse(customer.archive_tier)
        settings = self.env["res.config.settings"].with_user(self.system).create({})
        result = settings.action_archive_recompute_tiers()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(customer.archive_tier, ("a", "b", "c"))
        self.assertTrue(self.policy.last_recompute_date)


@tagged("post_install", "-at_install")
class TestArchiveSettingsPolicyChoice(SettingsCase):
    """The policy chosen in Settings is the one the nightly job applies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.env["customer.tier.policy"]._get_active_policy()
        cls.second = cls.env["customer.tier.policy"].create(
            {"name": "区域优先", "sequence": cls.first.sequence + 10, "share_a": 10, "share_b": 30}
        )

    def test_chosen_policy_is_saved_and_applied_by_the_job(self):
        settings = Form(self.env["res.config.settings"].with_user(self.system))
        self.assertEqual(settings.archive_tier_policy_id, self.first)
        settings.archive_tier_policy_id = self.second
        self.assertEqual(settings.archive_tier_share_a, 10)
        settings.save().execute()
        # Settings open again on the chosen policy.
        self.assertEqual(
            Form(self.env["res.config.settings"].with_user(self.system)).archive_tier_policy_id, self.second
        )
        self.assertEqual(self.env["customer.tier.policy"]._get_active_policy(), self.second)
        self.env.ref("customer_archive.ir_cron_customer_tier_recompute").method_direct_trigger()
        self.assertTrue(self.second.last_recompute_date, "the job applied the chosen policy")
        self.assertFalse(self.first.last_recompute_date, "not the first one")
        # Recompute Now applies the chosen policy too.
        self.second.last_recompute_date = False
        self.env["res.config.settings"].with_user(self.system).create({}).action_archive_recompute_tiers()
        self.assertTrue(self.second.last_recompute_date)

    def test_archived_policy_falls_back_to_the_first(self):
        self.env["ir.config_parameter"].set_param("customer_archive.tier_policy_id", self.second.id)
        self.second.active = False
        self.assertEqual(self.env["customer.tier.policy"]._get_active_policy(), self.first)

    def test_job_runs_every_night_as_settings_say(self):
        cron = self.env.ref("customer_archive.ir_cron_customer_tier_recompute")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.nextcall.hour, 18, "18:00 UTC is 02:00 in Asia/Shanghai")
        view = self.env.ref("customer_archive.res_config_settings_view_form")
        self.assertIn("every night", view.arch_db)
