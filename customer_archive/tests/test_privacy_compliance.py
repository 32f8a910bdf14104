"""Consents and purposes, retention with automatic anonymisation, and
personal information requests with their deadlines (PIPL)."""

import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ArchiveCase
from .test_identity_validation import VALID_ID

REQUIRE = "customer_archive.require_sensitive_consent"


@tagged("post_install", "-at_install")
class TestPrivacyCompliance(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Partner = env["res.partner"]
        cls.Consent = env["customer.archive.consent"]
        cls.person = cls.Partner.create({"name": "同意测试", "email": "consent@example.com"})
        cls.other = cls.Partner.create({"name": "未同意", "email": "noconsent@example.com"})
        cls.marketing = env.ref("customer_archive.consent_purpose_marketing")
        cls.service = env.ref("customer_archive.consent_purpose_service")
        cls.form = env["customer.archive.document"].create(
            {
                "name": "个人信息处理同意书",
                "partner_id": cls.person.id,
                "type_id": env["customer.archive.document.type"].search([], limit=1).id,
                "file": base64.b64encode(b"%PDF-1.4 consent"),
                "file_name": "consent.pdf",
            }
        )

    def _consent(self, partner, purposes, sensitive=False, **vals):
        return self.Consent.create(
            {
                "partner_id": partner.id,
                "purpose_ids": [(6, 0, purposes.ids)],
                "sensitive_consent": sensitive,
                "method": "call",
                **vals,
            }
        )

    # ------------------------------------------------------------------ consent
    def test_signed_form_consent_needs_the_archived_form(self):
        with self.assertRaises(ValidationError):
            self.Consent.create({"partner_id": self.person.id, "method": "signed_form"})
        consent = self.Consent.create(
            {"partner_id": self.person.id, "method": "signed_form", "document_id": self.form.id}
        )
        self.assertEqual(consent.state, "valid")
        with self.assertRaises(ValidationError):
            consent.write({"withdrawal_date": date(2000, 1, 1)})

    def test_marketing_skips_people_without_marketing_consent(self):
        self._consent(self.person, self.service | self.marketing)
        self._consent(self.other, self.service)
        people = self.person | self.other
        self.assertEqual(self.person.archive_consent_count, 1)
        action = self.person.action_open_archive_consents()
        self.assertEqual(self.Consent.search(action["domain"]), self.person.archive_consent_ids)
        self.assertEqual(people._archive_filter_marketing(), self.person)
        found = self.Partner.search([("id", "in", people.ids), *self.Partner._archive_marketing_domain()])
        self.assertEqual(found, self.person)
        self.assertEqual(
            self.Partner.search([("id", "in", people.ids), ("archive_marketing_allowed", "=", False)]),
            self.other,
        )
        # Withdrawn: no more marketing.
        self.person.archive_consent_ids.action_withdraw()
        self.person.invalidate_recordset()
        self.assertFalse(people._archive_filter_marketing())

    def test_sensitive_fields_need_the_separate_consent(self):
        self.env["ir.config_parameter"].sudo().set_param(REQUIRE, "1")
        with self.assertRaises(UserError) as raised:
            self.person.write({"archive_resident_id_number": VALID_ID})
        self.assertIn("单独同意", str(raised.exception))
        self.assertIn("Resident ID Number", str(raised.exception))
        self._consent(self.person, self.service, sensitive=False)
        self.person.invalidate_recordset()
        with self.assertRaises(UserError):
            self.person.write({"archive_bank_account_number": "6222 1111"})
        self._consent(self.person, self.service, sensitive=True)
        self.person.invalidate_recordset()
        self.person.write(
            {"archive_resident_id_number": VALID_ID, "archive_bank_account_number": "6222 1111"}
        )
        self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
        # Withdrawn consent: refused again; clearing the value is always allowed.
        self.person.archive_consent_ids.action_withdraw()
        self.person.invalidate_recordset()
        with self.assertRaises(UserError):
            self.person.write({"archive_bank_account_number": "6222 2222"})
        self.person.write({"archive_bank_account_number": False})
        self.assertFalse(self.person.archive_bank_account_number)

    def test_consent_given_today_ahead_in_time_zone_can_be_withdrawn_today(self):
        """A consent given "today" by a user whose date is already tomorrow
        (Asia/Shanghai after 16:00 UTC) is withdrawn on that date by a user
        whose date is still today, not refused as withdrawn before given."""
        utc_user = self.archive_admin
        utc_user.tz = "UTC"
        today = fields.Date.context_today(self.Consent.with_user(utc_user))
        consent = self._consent(self.other, self.service, date_given=today + timedelta(days=1))
        consent.with_user(utc_user).action_withdraw()
        self.assertEqual(consent.withdrawal_date, consent.date_given)
        self.assertEqual(consent.state, "withdrawn")

    # ------------------------------------------------------------------ retention
    def test_retention_job_anonymises_what_has_expired(self):
        with freeze_time("2020-06-10"):
            closed = self.Partner.create({"name": "已关闭档案", "email": "closed@example.com"})
            closed.archive_state = "closed"
            recent = self.Partner.create({"name": "刚关闭档案", "email": "recent@example.com"})
            self.env.flush_all()
        with freeze_time("2025-03-01"):
            recent.archive_state = "closed"
            self.env.flush_all()
        self.assertEqual(closed.archive_closed_date, date(2020, 6, 10))
        withdrawn = self._consent(self.other, self.service, date_given=date(2025, 1, 1))
        withdrawn.withdrawal_date = date(2025, 6, 1)
        Rule = self.env["customer.archive.retention.rule"]
        with freeze_time("2025-05-20"):
            # Next month (June 2025): the archive closed in June 2020 expires.
            action = Rule.with_user(self.archive_admin).action_open_expiring_next_month()
            lines = self.env[action["res_model"]].search(action["domain"])
            self.assertIn(closed, lines.partner_id)
            self.assertNotIn(recent, lines.partner_id)
        with freeze_time("2025-06-15"):
            count = Rule._cron_apply_retention()
        self.assertGreaterEqual(count, 1)
        self.assertTrue(closed.archive_anonymized_date)
        self.assertFalse(closed.email)
        self.assertFalse(recent.archive_anonymized_date)
        self.assertFalse(self.other.archive_anonymized_date, "30 days after the withdrawal: not yet")
        with freeze_time("2025-07-05"):
            Rule._cron_apply_retention()
        self.assertTrue(self.other.archive_anonymized_date)
        self.assertFalse(self.other.email)
        logs = self.env["customer.archive.audit.log"].search(
            [("partner_id", "in", (closed | self.other).ids), ("operation", "=", "anonymize")]
        )
        self.assertTrue(any("Retention period expired" in (log.detail or "") for log in logs))
        # Nothing left to do: the job is idempotent.
        with freeze_time("2025-07-05"):
            self.assertEqual(Rule._cron_apply_retention(), 0)

    # ------------------------------------------------------------------ requests
    def test_request_deadline_and_escalation(self):
        Request = self.env["customer.archive.privacy.request"].with_user(self.archive_admin)
        with freeze_time("2025-03-03"):
            request = Request.create(
                {"partner_id": self.person.id, "request_type": "access", "requester_name": "同意测试"}
            )
        self.assertTrue(request.name.startswith("GR-"))
        self.assertEqual(request.due_date, date(2025, 3, 18))
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.privacy_request_due_days", "30")
        with freeze_time("2025-03-03"):
            longer = Request.create(
                {"partner_id": self.person.id, "request_type": "correction", "requester_name": "代理人"}
            )
        self.assertEqual(longer.due_date, date(2025, 4, 2))
        with freeze_time("2025-03-18"):
            self.assertFalse(request.is_overdue)
            self.assertEqual(self.env["customer.archive.privacy.request"]._cron_escalate_overdue(), 0)
        with freeze_time("2025-03-19"):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertIn(request, Request.search([("is_overdue", "=", True)]))
            self.assertEqual(self.env["customer.archive.privacy.request"]._cron_escalate_overdue(), 1)
            self.assertEqual(self.env["customer.archive.privacy.request"]._cron_escalate_overdue(), 0)
        admins = self.env.ref("customer_archive.group_archive_admin").users
        self.assertIn(self.archive_admin, request.activity_ids.user_id)
        self.assertEqual(
            set(request.activity_ids.user_id.ids), set(admins.filtered(lambda u: not u.share).ids)
        )

    def test_request_actions_export_anonymise_withdraw_refuse(self):
        Request = self.env["customer.archive.privacy.request"].with_user(self.archive_admin)
        access = Request.create(
            {"partner_id": self.person.id, "request_type": "access", "requester_name": "本人"}
        )
        with self.assertRaises(UserError):
            access.action_export_data()  # identity not checked yet
        access.write({"identity_check": "id_card", "identity_checked": True})
        access.action_export_data()
        self.assertTrue(access.export_attachment_id.datas)
        self.assertEqual(access.export_attachment_id.res_id, access.id)
        with self.assertRaises(UserError):
            access.action_done()  # no outcome
        access.write({"outcome": "Export handed over"})
        access.action_done()
        self.assertEqual(access.state, "done")

        self._consent(self.other, self.marketing)
        withdrawal = Request.create(
            {
                "partner_id": self.other.id,
                "request_type": "withdrawal",
                "requester_name": "本人",
                "identity_checked": True,
            }
        )
        withdrawal.action_withdraw_consent()
        self.assertEqual(set(self.other.archive_consent_ids.mapped("state")), {"withdrawn"})

        deletion = Request.create(
            {
                "partner_id": self.other.id,
                "request_type": "deletion",
                "requester_name": "本人",
                "identity_checked": True,
            }
        )
        deletion.action_anonymize()
        self.assertTrue(deletion.anonymized)
        self.assertTrue(self.other.archive_anonymized_date)

        refused = Request.create(
            {"partner_id": self.person.id, "request_type": "deletion", "requester_name": "他人"}
        )
        with self.assertRaises(ValidationError):
            refused.action_refuse()
        refused.write({"refusal_reason": "Open contract: the data is needed until it ends (PIPL Art. 13)."})
        refused.action_refuse()
        self.assertEqual(refused.state, "refused")
        # Only the archive administrator handles requests.
        with self.assertRaises(UserError):
            refused.with_user(self.rep).sudo(False).action_start()
