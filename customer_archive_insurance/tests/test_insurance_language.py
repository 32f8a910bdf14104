from datetime import date

from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceReaderLanguage(InsuranceCase):
    def test_policy_creation_message_in_the_creator_language(self):
        """Not "Insurance Policy 创建": the model's name is Chinese for a zh_CN user
        (the database has zh_CN installed with its terms)."""
        for lang, expected, foreign in (
            ("zh_CN", "保单", "Insurance Policy"),
            ("en_US", "Insurance Policy", "保单"),
        ):
            self.agent.lang = lang
            policy = (
                self.env["insurance.policy"]
                .with_user(self.agent)
                .with_context(lang=lang, tracking_disable=False)
                .create(
                    {
                        "name": f"P-LANG-{lang}",
                        "insurer_id": self.insurer.id,
                        "policyholder_id": self.client.id,
                        "insured_id": self.client.id,
                        "agent_id": self.agent.id,
                        "base_premium": 1000.0,
                        "start_date": date(2026, 1, 1),
                        "end_date": date(2026, 12, 31),
                    }
                )
            )
            self.env.cr.precommit.run()
            body = str(policy.message_ids[-1:].body)
            self.assertIn(expected, body)
            self.assertNotIn(foreign, body)
