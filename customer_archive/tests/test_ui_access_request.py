from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArchiveHttpCase


@tagged("post_install", "-at_install")
class TestAccessRequestTour(ArchiveHttpCase):
    def test_request_and_approval_in_the_web_client(self):
        """A rep asks for an A-class archive of another department through the
        web client; a marketing manager approves it from "To Approve"; the rep
        can then read the archive."""
        env = self.env
        # The rep of sales asks for an A-class archive of the branch's rep.
        rep, owner, manager = self.rep, self.other_rep, self.marketing_manager
        (rep | manager).lang = "en_US"
        project = self.branch_department
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
            login=rep.login,
        )
        request = env["customer.archive.access.request"].search([("requester_id", "=", rep.id)])
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.partner_ids, archive)
        self.assertIn("联合拜访", request.reason)

        self.start_tour(
            "/odoo/action-customer_archive.action_customer_archive_access_request_to_approve",
            "customer_archive_access_approve_tour",
            login=manager.login,
        )
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, manager)
        self.assertEqual(request.approver_comment, "同意，限一周")
        env.invalidate_all()
        self.assertEqual(archive.with_user(rep).read(["name"])[0]["name"], "华北重工集团")
