import re

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestReaderLanguage(ArchiveCase):
    """What a zh_CN user reads is Chinese, what an en_US user reads English:
    texts stored for somebody (activity summaries, notes) are written in the
    language of the person who reads them, or in every language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The database itself must have both languages (the demo loads them):
        # no _activate_lang here, so a database without zh_CN fails the test.
        cls.zh = cls.rep
        cls.zh.lang = "zh_CN"
        cls.en = cls.other_rep
        cls.en.lang = "en_US"

    def test_both_languages_are_installed(self):
        installed = dict(self.env["res.lang"].get_installed())
        self.assertIn("zh_CN", installed)
        self.assertIn("en_US", installed)

    def test_creation_message_in_the_creator_language(self):
        Partner = self.env["res.partner"].with_context(tracking_disable=False)
        zh_partner = Partner.with_user(self.zh).with_context(lang="zh_CN").create({"name": "语言测试甲"})
        en_partner = Partner.with_user(self.en).with_context(lang="en_US").create({"name": "Language test B"})
        self.env.cr.precommit.run()
        zh_body = str(zh_partner.message_ids[-1:].body)
        self.assertIn("联系人", zh_body)
        self.assertNotIn("Contact", zh_body)
        self.assertIn("Contact created", str(en_partner.message_ids[-1:].body))

    def test_creation_message_without_lang_in_context(self):
        """Demo data, crons and server actions create records with no lang in
        the context: the creation message then took its text from the user's
        language but the model's name in English ("Contact 创建")."""
        partner = (
            self.env["res.partner"]
            .with_user(self.zh)
            .with_context(lang=None, tracking_disable=False)
            .create({"name": "无语言上下文"})
        )
        self.env.cr.precommit.run()
        body = str(partner.message_ids[-1:].body)
        self.assertIn("联系人", body)
        self.assertNotIn("Contact", body)

    def test_demo_creation_messages_in_one_language(self):
        """The demo's creation messages (written while the addons install,
        before Odoo loads their terms) read in one language: "客户档案交易记录
        创建" or "Customer Archive Transaction created", never "Contact 创建"."""
        models = ["res.partner", "customer.archive.transaction", "customer.archive.feedback"]
        archives = self.env["res.partner"].search([("is_customer_archive", "=", True)])
        xmlids = self.env["ir.model.data"].search(
            [("module", "like", "customer_archive%"), ("model", "in", models)]
        )
        demo = {(data.model, data.res_id) for data in xmlids}
        messages = (
            self.env["mail.message"]
            .search(
                [("model", "in", models), ("message_type", "=", "notification"), ("body", "ilike", "创建")]
            )
            .filtered(lambda message: (message.model, message.res_id) in demo)
        )
        mixed = [
            str(message.body) for message in messages if re.search("[A-Za-z]{3,}", str(message.body)[3:-4])
        ]
        self.assertTrue(archives)
        self.assertEqual(mixed[:5], [])

    def test_sensitive_field_refused_in_the_reader_language(self):
        archive = self.env["res.partner"].create({"name": "敏感数据测试", "is_company": True})
        for user, lang, label, group in (
            (self.zh, "zh_CN", "身份证号", "敏感数据"),
            (self.en, "en_US", "Resident ID Number", "Sensitive Data"),
        ):
            with self.assertRaises(AccessError) as error:
                archive.with_user(user).with_context(lang=lang).read(["archive_resident_id_number"])
            message = str(error.exception)
            self.assertIn(label, message)
            self.assertIn(group, message)
            self.assertNotIn("archive_resident_id_number", message)

    def test_tier_recompute_note_in_the_reader_language(self):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"语言分类 {index}",
                    "is_company": True,
                    "archive_registered_capital": index * 100000,
                }
                for index in range(5)
            ]
        )
        self.env.ref("customer_archive.customer_tier_policy_default")._recompute_tiers()
        history = self.env["customer.tier.history"].search([("partner_id", "in", partners.ids)], limit=1)
        self.assertTrue(history)
        self.assertIn("由分类规则", history.with_context(lang="zh_CN").note)
        self.assertIn("Recomputed by the tier policy", history.with_context(lang="en_US").note)

    def test_update_activity_in_the_rep_language(self):
        Activity = self.env["mail.activity"]
        zh_archive, en_archive = self.env["res.partner"].create(
            [
                {"name": "更新提醒甲", "is_company": True, "user_id": self.zh.id},
                {"name": "Update reminder B", "is_company": True, "user_id": self.en.id},
            ]
        )
        self.env["customer.contact.plan"].with_context(lang="en_US")._plan_update(
            (zh_archive | en_archive).ids
        )
        summaries = {
            activity.res_id: activity.summary
            for activity in Activity.search(
                [("res_id", "in", (zh_archive | en_archive).ids), ("archive_plan_kind", "=", "update")]
            )
        }
        self.assertEqual(summaries[zh_archive.id], "用新信息更新客户档案")
        self.assertEqual(summaries[en_archive.id], "Update the archive with the new information")
