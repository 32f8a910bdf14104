"""Access requests: routing to the right approver, approval from the form or
from the activity, refusal, expiry by the cron, revocation."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAccessRequest(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.sales = env["hr.department"].create({"name": "Request sales"})
        cls.finance_department = env["hr.department"].create({"name": "Request finance"})

        def user(login, group, department):
            record = new_test_user(env, login=login, groups=f"{group},base.group_partner_manager")
            env["hr.employee"].create({"name": login, "user_id": record.id, "department_id": department.id})
            return record

        cls.requester = user("req_finance", "customer_archive.group_archive_user", cls.finance_department)
        cls.rep = user("req_rep", "customer_archive.group_archive_user", cls.sales)
        cls.service_manager = user(
            "req_service_manager", "customer_archive.group_archive_service_manager", cls.finance_department
        )
        cls.marketing_manager = user(
            "req_marketing", "customer_archive.group_archive_marketing_manager", cls.sales
        )
        cls.sales.manager_id = cls.marketing_manager.employee_id
        cls.archive_b = env["res.partner"].create(
            {"name": "Request B", "archive_tier": "b", "archive_department_id": cls.sales.id}
        )
        cls.archive_a = env["res.partner"].create(
            {"name": "Request A", "archive_tier": "a", "archive_department_id": cls.sales.id}
        )
        cls.activity_type = env.ref("customer_archive.mail_activity_type_archive_access_approval")

    def _request(self, partners, days=10):
        return (
            self.env["customer.archive.access.request"]
            .with_user(self.requester)
            .create(
                {"partner_ids": [(6, 0, partners.ids)], "reason": "Invoice dispute", "duration_days": days}
            )
        )

    def _can_read(self, user, partner):
        self.env.invalidate_all()
        return bool(self.env["res.partner"].with_user(user).search([("id", "=", partner.id)]))

    def test_requester_finds_archives_they_cannot_read(self):
        Partner = self.env["res.partner"].with_user(self.requester)
        self.assertFalse(self._can_read(self.requester, self.archive_a))
        self.assertFalse(Partner.name_search("Request A"))
        found = Partner.with_context(customer_archive_access_request=True).name_search("Request A")
        self.assertEqual([row[0] for row in found], [self.archive_a.id])
        names = (
            self.archive_a.with_user(self.requester)
            .with_context(customer_archive_access_request=True)
            .web_read({"display_name": {}})
        )
        self.assertEqual(names[0]["display_name"], "Request A")
        # The content stays hidden, also with the request context.
        with self.assertRaises(AccessError):
            self.archive_a.with_user(self.requester).with_context(
                customer_archive_access_request=True
            ).web_read({"display_name": {}, "phone": {}})
        request = self._request(self.archive_a)
        form = request.with_user(self.requester).web_read(
            {
                "partner_ids": {
                    "fields": {"display_name": {}},
                    "context": {"customer_archive_access_request": True},
                }
            }
        )
        self.assertEqual(form[0]["partner_ids"][0]["display_name"], "Request A")

    def test_picking_an_unreadable_archive_in_the_form(self):
        """The form's onchange, when the requester picks an archive they
        cannot read, names it and routes the request without an error; the
        archive's content stays closed."""
        Request = self.env["customer.archive.access.request"].with_user(self.requester)
        result = Request.onchange(
            {"partner_ids": [(6, 0, self.archive_a.ids)], "duration_days": 30, "state": "draft"},
            ["partner_ids"],
            {
                "partner_ids": {"fields": {"display_name": {}}},
                "approval_route": {},
                "state": {},
                "duration_days": {},
            },
        )
        self.assertEqual(result["value"]["approval_route"], "marketing")
        # anything beyond the names is read with the requester's rights
        with self.assertRaises(AccessError):
            Request.onchange(
                {"partner_ids": [(6, 0, self.archive_a.ids)], "duration_days": 30, "state": "draft"},
                ["partner_ids"],
                {"partner_ids": {"fields": {"display_name": {}, "phone": {}}}, "approval_route": {}},
            )
        # nor the names of other relational fields (someone else's grants)...
        grant = self.env["customer.archive.access.grant"].create(
            {"user_id": self.rep.id, "partner_id": self.archive_a.id, "date_to": "2099-12-31"}
        )
        with self.assertRaises(AccessError):
            Request.onchange(
                {"grant_ids": [(6, 0, grant.ids)], "state": "draft"},
                ["grant_ids"],
                {"grant_ids": {"fields": {"display_name": {}}}},
            )
        # ...nor another requester's request
        others = (
            self.env["customer.archive.access.request"]
            .with_user(self.rep)
            .create(
                {"partner_ids": [(6, 0, self.archive_a.ids)], "reason": "Private reason", "duration_days": 5}
            )
        )
        with self.assertRaises(AccessError):
            Request.browse(others.id).onchange({"duration_days": 6}, ["duration_days"], {"reason": {}})

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
            .create({"partner_ids": [(6, 0, self.archive_a.ids)], "reason": "Visit"})
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
