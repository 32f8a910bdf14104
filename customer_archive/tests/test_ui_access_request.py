from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAccessRequestTour(HttpCase):
    def test_request_and_approval_in_the_web_client(self):
        """A rep asks for an A-class archive of another department through the
        web client; a marketing manager approves it from "To Approve"; the rep
        can then read the archive."""
        env = self.env
        sales = env["hr.department"].create({"name": "Tour sales"})
        project = env["hr.department"].create({"name": "Tour project"})
        rep = new_test_user(env, login="tour_rep", groups="customer_archive.group_archive_user", lang="en_US")
        env["hr.employee"].create({"name": "tour rep", "user_id": rep.id, "department_id": sales.id})
        owner = new_test_user(env, login="tour_owner", groups="customer_archive.group_archive_user")
        manager = new_test_user(
            env,
            login="tour_marketing",
            groups="customer_archive.group_archive_marketing_manager",
            lang="en_US",
        )
        archive = env["res.partner"].create(
            {
                "name": "华北重工集团",
                "is_company": True,
                "archive_tier": "a",
                "archive_department_id": project.id,
                "user_id": owner.id,
            }
        )
        with self.assertRaises(AccessError):
            archive.with_user(rep).read(["name"])
        # static folders mapped before the browser's parallel asset requests
        self.assertIn("customer_archive", http.root.statics)

        self.start_tour(
            "/odoo/action-customer_archive.action_customer_archive_access_request",
            "customer_archive_access_request_tour",
            login="tour_rep",
        )
        request = env["customer.archive.access.request"].search([("requester_id", "=", rep.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.partner_ids, archive)
        self.assertIn("联合拜访", request.reason)

        self.start_tour(
            "/odoo/action-customer_archive.action_customer_archive_access_request_to_approve",
            "customer_archive_access_approve_tour",
            login="tour_marketing",
        )
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, manager)
        self.assertEqual(request.approver_comment, "同意，限一周")
        env.invalidate_all()
        self.assertEqual(archive.with_user(rep).read(["name"])[0]["name"], "华北重工集团")
