"""Access requests: routing to the right approver, approval from the form or
from the activity, refusal, expiry by the cron, revocation."""

from datetime import date

from freezegun import freeze_time
from markupsafe import Markup

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ARCHIVE_USER, PARTNER_MANAGER, ArchiveCase


@tagged("post_install", "-at_install")
class TestAccessRequest(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.finance_department = env["hr.department"].create({"name": "测试财务部"})
        cls.sales = cls.sales_department
        # The requester: an archive user of finance, who reads no archive of sales.
        cls.requester = cls.create_archive_user(
            "req_finance", "财务人员", f"{ARCHIVE_USER},{PARTNER_MANAGER}", cls.finance_department
        )
        cls.sales.manager_id = cls.marketing_manager.employee_id
        cls.archive_b = env["res.partner"].create(
            {"name": "Request B", "archive_tier": "b", "archive_department_id": cls.sales.id}
        )
        cls.archive_a = env["res.partner"].create(
            {"name": "Request A", "archive_tier": "a", "archive_department_id": cls.sales.id}
        )
        cls.activity_type = env.ref("customer_archive.mail_activity_type_archive_access_approval")

    def _request(self, partners, days=10, user=None):
        """A request as the requester files it: each archive named by its number."""
        return (
            self.env["customer.archive.access.request"]
            .with_user(user or self.requester)
            .create(
                {
                    "line_ids": [
                        Command.create({"reference": number}) for number in partners.mapped("archive_number")
                    ],
                    "reason": "Invoice dispute",
                    "duration_days": days,
                }
            )
        )

    def _can_read(self, user, partner):
        self.env.invalidate_all()
        return bool(self.env["res.partner"].with_user(user).search([("id", "=", partner.id)]))

    def test_requester_names_an_archive_by_number_or_exact_name(self):
        """The requester cannot read the A archive: they name it by its
        number (the request shows the number only) or by its full name (the
        request shows the name they typed). The approver sees the archive."""
        self.assertFalse(self._can_read(self.requester, self.archive_a))
        by_number = self._request(self.archive_a)
        self.assertEqual(by_number.partner_ids, self.archive_a)
        self.assertEqual(by_number.approval_route, "marketing")
        line = by_number.with_user(self.requester).line_ids
        self.assertEqual(line.archive_number, self.archive_a.archive_number)
        self.assertFalse(line.archive_name)
        self.assertEqual(by_number.with_user(self.requester).archive_labels, self.archive_a.archive_number)
        # the archive itself is hidden from the requester, on the line and by its rules
        with self.assertRaises(AccessError):
            line.read(["partner_id"])
        with self.assertRaises(AccessError):
            self.archive_a.with_user(self.requester).web_read({"display_name": {}})
        by_name = (
            self.env["customer.archive.access.request"]
            .with_user(self.requester)
            .create({"line_ids": [Command.create({"reference": " Request A "})], "reason": "Visit"})
        )
        self.assertEqual(by_name.partner_ids, self.archive_a)
        self.assertEqual(
            by_name.with_user(self.requester).archive_labels, f"{self.archive_a.archive_number} Request A"
        )
        # the approver sees the archive the line points to
        approver_line = by_number.with_user(self.marketing_manager).line_ids
        self.assertEqual(approver_line.partner_id, self.archive_a)
        # every lookup is audited
        lookups = self.env["customer.archive.audit.log"].search(
            [("operation", "=", "lookup"), ("user_id", "=", self.requester.id)]
        )
        self.assertEqual(lookups.partner_id, self.archive_a)
        self.assertEqual(len(lookups), 2)

    def test_no_enumeration_and_no_probing(self):
        """No prefix, no id: nothing of an archive the requester may not read
        is returned, whatever the context the client sends."""
        Partner = self.env["res.partner"].with_user(self.requester)
        Line = self.env["customer.archive.access.request.line"].with_user(self.requester)
        for context in ({}, {"customer_archive_access_request": True}):
            found = {row[0] for row in Partner.with_context(**context).name_search("", limit=2000)}
            self.assertNotIn(self.archive_a.id, found)
            self.assertNotIn(self.archive_b.id, found)
            self.assertFalse(Partner.with_context(**context).name_search("Request", limit=2000))
            with self.assertRaises(AccessError):
                self.archive_a.with_user(self.requester).with_context(**context).web_read(
                    {"display_name": {}}
                )
        # a part of the name or of the number finds nothing
        for reference in ("Request", "Request ", "A", self.archive_a.archive_number[:-1], "%", "Request%"):
            with self.subTest(reference=reference):
                with self.assertRaises(ValidationError):
                    self._request_by_reference(reference)
                result = Line.onchange({"reference": reference}, ["reference"], self._line_spec())
                self.assertIn("warning", result)
                self.assertFalse(result["value"].get("archive_number"))
        # naming by id (the archives' many2many) is refused for archives one cannot read
        with self.assertRaises(AccessError):
            self.env["customer.archive.access.request"].with_user(self.requester).create(
                {"partner_ids": [Command.set(self.archive_a.ids)], "reason": "Probe"}
            )
        # the onchange returns the number of the one archive named, nothing else
        result = Line.onchange({"reference": self.archive_a.archive_number}, ["reference"], self._line_spec())
        self.assertEqual(result["value"]["archive_number"], self.archive_a.archive_number)
        self.assertFalse(result["value"].get("archive_name"))
        self.assertNotIn("partner_id", result["value"])

    def _request_by_reference(self, reference):
        return (
            self.env["customer.archive.access.request"]
            .with_user(self.requester)
            .create({"line_ids": [Command.create({"reference": reference})], "reason": "Probe"})
        )

    def _line_spec(self):
        return {"reference": {}, "archive_number": {}, "archive_name": {}}

    def test_request_from_the_no_access_message(self):
        """The "Request Access" button of the no-access message prepares a
        request for the archive opened: its number, its name only when an
        activity or a message of the requester named it."""
        Request = self.env["customer.archive.access.request"].with_user(self.requester)
        action = Request.action_request_archive_access(self.archive_a.id)
        [(_command, _id, values)] = action["context"]["default_line_ids"]
        self.assertEqual(values["reference"], self.archive_a.archive_number)
        self.assertFalse(values["archive_name"])
        # an activity of the requester on the archive shows its name
        self.archive_a.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.requester.id, summary="协助核对发票"
        )
        action = Request.action_request_archive_access(self.archive_a.id)
        [(_command, _id, values)] = action["context"]["default_line_ids"]
        self.assertEqual((values["reference"], values["archive_name"]), ("Request A", "Request A"))
        request = Request.with_context(**action["context"]).create({"reason": "发票核对"})
        self.assertEqual(request.partner_ids, self.archive_a)
        self.assertEqual(request.with_user(self.requester).line_ids.archive_name, "Request A")
        # a mention in a message the requester can read names it too
        self.assertFalse(
            self.env["customer.archive.access.request.line"]
            .with_user(self.requester)
            ._archive_name_known_from_link(self.archive_b)
        )
        note = self.rep.partner_id.message_post(
            body=Markup(
                f'<p>见 <a href="/odoo/res.partner/{self.archive_b.id}" data-oe-model="res.partner" '
                f'data-oe-id="{self.archive_b.id}">@Request B</a></p>'
            ),
            partner_ids=self.requester.partner_id.ids,
            message_type="comment",
        )
        self.assertTrue(note)
        self.assertTrue(
            self.env["customer.archive.access.request.line"]
            .with_user(self.requester)
            ._archive_name_known_from_link(self.archive_b)
        )
        # an archive one can read opens directly; a non-archive is refused
        own = self.env["res.partner"].with_user(self.requester).create({"name": "财务自建客户"})
        self.assertEqual(Request.action_request_archive_access(own.id)["res_model"], "res.partner")
        with self.assertRaises(UserError):
            Request.action_request_archive_access(self.requester.partner_id.id)

    def test_approval_activity_in_the_approver_language(self):
        """The requester works in English, the approver in Chinese: the to-do's
        summary (stored text) is in the approver's language, and back."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.requester.lang = "en_US"
        request = self._request(self.archive_b)
        approver = request._find_approver()
        approver.lang = "zh_CN"
        request.with_user(self.requester).with_context(lang="en_US").action_submit()
        self.assertEqual(request.approver_id, approver)
        self.assertEqual(request.activity_ids.summary, f"审批查阅申请 {request.name}")
        approver.lang = "en_US"
        self.requester.lang = "zh_CN"
        other = self._request(self.archive_b)
        other.with_user(self.requester).with_context(lang="zh_CN").action_submit()
        self.assertEqual(other.activity_ids.summary, f"Approve access request {other.name}")

    def test_b_request_routes_to_customer_service_and_approval_grants(self):
        request = self._request(self.archive_b)
        self.assertTrue(request.name.startswith("AR/"))
        self.assertEqual(request.approval_route, "service")
        request.with_user(self.requester).action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertTrue(request.approver_id.has_group("customer_archive.group_archive_service_manager"))
        activity = request.activity_ids
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.user_id, request.approver_id)
        # Neither the requester nor a rep nor a marketing manager approves it.
        for user in (self.requester, self.rep, self.marketing_manager):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        with freeze_time("2026-03-02"):
            request.with_user(self.service_manager).action_approve(comment="OK for the dispute")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.service_manager)
        self.assertEqual(request.date_to, date(2026, 3, 11))
        self.assertFalse(request.activity_ids)
        grant = request.grant_ids
        self.assertEqual(
            (grant.user_id, grant.partner_id, grant.state), (self.requester, self.archive_b, "active")
        )
        self.assertTrue(self._can_read(self.requester, self.archive_b))
        log = self.env["customer.archive.audit.log"].search(
            [("partner_id", "=", self.archive_b.id), ("operation", "=", "grant")]
        )
        self.assertEqual(log.user_id, self.service_manager)
        # The grant gives read access, not write access.
        with self.assertRaises(AccessError):
            self.archive_b.with_user(self.requester).write({"archive_remarks": "no"})
        # Expiry: the cron ends the grant after its last day.
        with freeze_time("2026-03-11"):
            self.env["customer.archive.access.grant"]._cron_expire_grants()
            self.assertEqual(grant.state, "active")
        with freeze_time("2026-03-12"):
            self.env["customer.archive.access.grant"]._cron_expire_grants()
        self.assertEqual(grant.state, "expired")
        self.assertFalse(self._can_read(self.requester, self.archive_b))

    def test_a_request_routes_to_marketing_manager(self):
        request = self._request(self.archive_a | self.archive_b)
        self.assertEqual(request.approval_route, "marketing")
        request.with_user(self.requester).action_submit()
        self.assertEqual(request.approver_id, self.marketing_manager)
        with self.assertRaises(AccessError):
            request.with_user(self.service_manager).action_approve()
        # Approve from the activity: marking it done approves the request.
        request.activity_ids.with_user(self.marketing_manager).action_feedback(feedback="Go ahead")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_comment, "Go ahead")
        self.assertEqual(request.grant_ids.partner_id, self.archive_a | self.archive_b)
        self.assertTrue(self._can_read(self.requester, self.archive_a))
        # Revocation takes effect at once.
        request.with_user(self.marketing_manager).action_revoke()
        self.assertEqual(set(request.grant_ids.mapped("state")), {"revoked"})
        self.assertFalse(self._can_read(self.requester, self.archive_a))
        self.assertTrue(
            self.env["customer.archive.audit.log"].search_count(
                [("operation", "=", "revoke"), ("partner_id", "=", self.archive_a.id)]
            )
        )

    def test_refusal(self):
        request = self._request(self.archive_b)
        request.with_user(self.requester).action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.service_manager).action_refuse()
        request.with_user(self.service_manager).action_refuse(comment="Not needed for invoicing")
        self.assertEqual(request.state, "refused")
        self.assertFalse(request.grant_ids)
        self.assertFalse(request.activity_ids)
        self.assertFalse(self._can_read(self.requester, self.archive_b))
        with self.assertRaises(UserError):
            request.with_user(self.service_manager).action_approve()

    def test_requester_sees_own_requests_and_cannot_force_state(self):
        request = self._request(self.archive_b)
        other = (
            self.env["customer.archive.access.request"]
            .with_user(self.rep)
            .create(
                {
                    "line_ids": [Command.create({"reference": self.archive_a.archive_number})],
                    "reason": "Visit",
                }
            )
        )
        Request = self.env["customer.archive.access.request"]
        self.assertEqual(Request.with_user(self.requester).search([]), request)
        self.assertEqual(
            Request.with_user(self.service_manager).search([("id", "in", (request | other).ids)]),
            request | other,
        )
        with self.assertRaises(UserError):
            request.with_user(self.requester).write({"state": "approved"})
        self.assertTrue(request.state == "draft")
