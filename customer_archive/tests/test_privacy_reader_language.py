"""What a zh_CN archive administrator reads on the privacy pages is Chinese:
the notes of the retention rules and the fields named by an audit row."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ARCHIVE_ADMIN, ArchiveCase


@tagged("post_install", "-at_install")
class TestPrivacyReaderLanguage(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zh_admin = cls.archive_admin
        cls.zh_admin.lang = "zh_CN"

    def test_retention_rule_note_in_chinese(self):
        rule = self.env.ref("customer_archive.retention_rule_consent_withdrawn")
        note = rule.with_user(self.zh_admin).with_context(lang="zh_CN").note
        self.assertIn("个人信息保护法", note)
        self.assertNotIn("erase", note)

    def test_audit_row_names_fields_by_their_labels(self):
        partner = self.env["res.partner"].create({"name": "审计字段客户"})
        row = self.env["customer.archive.audit.log"]._log(
            partner, "read", field_names=["archive_resident_id_number", "archive_family_situation"]
        )
        row = row.with_user(self.zh_admin).with_context(lang="zh_CN")
        self.assertEqual(row.field_labels, "家庭情况, 身份证号")
        self.assertEqual(row.field_names, "archive_family_situation, archive_resident_id_number")

    def test_audit_detail_code_in_reader_language(self):
        partner = self.env["res.partner"].create({"name": "审计详情客户"})
        row = self.env["customer.archive.audit.log"]._log(
            partner, "write", field_names=["name"], detail="create"
        )
        self.assertEqual(row.with_user(self.zh_admin).with_context(lang="zh_CN").detail_display, "新建")
        self.assertEqual(row.with_context(lang="en_US").detail_display, "Created")

    def test_overdue_request_escalation_in_each_admin_language(self):
        en_admin = self.create_archive_user("privacy_en_admin", "English Admin", ARCHIVE_ADMIN, lang="en_US")
        person = self.env["res.partner"].create({"name": "逾期请求客户"})
        with freeze_time("2025-03-03"):
            request = self.env["customer.archive.privacy.request"].create(
                {"partner_id": person.id, "request_type": "access", "requester_name": "本人"}
            )
        with freeze_time("2025-03-19"):
            # the job runs as a user working in English
            self.env["customer.archive.privacy.request"].with_user(en_admin).with_context(
                lang="en_US"
            ).sudo()._cron_escalate_overdue()
        zh_activity = request.activity_ids.filtered(lambda act: act.user_id == self.zh_admin)
        en_activity = request.activity_ids.filtered(lambda act: act.user_id == en_admin)
        self.assertIn("逾期的个人信息权利请求", zh_activity.summary)
        self.assertIn("查阅/复制", str(zh_activity.note))
        self.assertIn("Overdue personal information request", en_activity.summary)
