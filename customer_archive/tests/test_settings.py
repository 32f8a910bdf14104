from odoo.exceptions import ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestArchiveSettings(TransactionCase):
    """Settings → Customer Archive edits the active tier policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.system = new_test_user(cls.env, login="archive_settings_admin", groups="base.group_system")
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
