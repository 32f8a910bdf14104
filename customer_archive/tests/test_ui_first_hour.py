from datetime import datetime
from unittest.mock import patch

from odoo import fields, http
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .common import ArchiveHttpCase

TIMEZONE = "Asia/Shanghai"


def _chrome_in_shanghai(init):
    """Odoo's test browser runs in the machine's time zone (UTC): the web
    client shows datetimes in the browser's zone, so the users' browser is
    put in Shanghai, as a Chinese user's is."""

    def wrapper(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._websocket_request("Emulation.setTimezoneOverride", params={"timezoneId": TIMEZONE})

    return wrapper


@tagged("post_install", "-at_install")
class TestFirstHourTour(ArchiveHttpCase):
    """The first hour of a rep in 简体中文: create an archive, log a visit by
    marking the planned visit done, ask for an archive one may not read
    from the "no access" message; the marketing manager approves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        cls.cny = env.ref("base.CNY")
        cls.cny.active = True
        if env.company.currency_id != cls.cny:
            # The demo company is Chinese (another change switches the demo
            # to CNY; the test does not depend on it).
            env.company.currency_id = cls.cny
        sales = cls.sales_department
        # The restricted archive: A-class, of the branch and its rep.
        project = cls.branch_department
        owner = cls.other_rep
        # The rep of the story (the tour names them) and the marketing manager
        # work in 简体中文, in Shanghai.
        cls.rep.name = "张伟"
        cls.manager = cls.marketing_manager
        (cls.rep | cls.manager).write({"lang": "zh_CN", "tz": TIMEZONE})
        cls.customer = env["res.partner"].create(
            {
                "name": "宁波海天贸易有限公司",
                "is_company": True,
                "user_id": cls.rep.id,
                "archive_department_id": sales.id,
            }
        )
        cls.key_person = env["res.partner"].create(
            {
                "name": "孙海涛",
                "parent_id": cls.customer.id,
                "function": "营销总监",
                "archive_key_person_role": "main_contact",
            }
        )
        # an earlier visit at 01:30 UTC, 09:30 in Shanghai
        env["customer.archive.interaction"].create(
            {
                "partner_id": cls.customer.id,
                "interaction_type": "visit",
                "summary": "上次拜访",
                "date": datetime(2026, 3, 2, 1, 30, 15),
                "user_id": cls.rep.id,
            }
        )
        cls.visit = cls.customer.activity_schedule(
            "customer_archive.mail_activity_type_archive_visit",
            user_id=cls.rep.id,
            summary="季度拜访营销总监",
        )
        cls.restricted = env["res.partner"].create(
            {
                "name": "华北重工集团",
                "is_company": True,
                "archive_tier": "a",
                "archive_department_id": project.id,
                "user_id": owner.id,
            }
        )

    def test_first_hour_of_a_rep(self):
        # static folders mapped before the browser's parallel asset requests
        self.assertIn("customer_archive", http.root.statics)
        with patch.object(ChromeBrowser, "__init__", _chrome_in_shanghai(ChromeBrowser.__init__)):
            self._run_tours()

    def _run_tours(self):
        env = self.env
        today_in_shanghai = fields.Date.context_today(self.customer.with_context(tz=TIMEZONE))

        # 1. a company archive: date, rep, ¥
        self.start_tour(
            "/odoo/action-customer_archive.action_customer_archive",
            "customer_archive_first_hour_create_tour",
            login=self.rep.login,
        )
        archive = env["res.partner"].search([("name", "=", "华南电子科技有限公司")])
        self.assertEqual(len(archive), 1)
        self.assertTrue(archive.is_customer_archive)
        self.assertEqual(archive.archive_date, today_in_shanghai)
        self.assertEqual(archive.user_id, self.rep)
        self.assertEqual(archive.archive_currency_id, self.cny)
        self.assertEqual(archive.archive_registered_capital, 1800000)

        # 2. the planned visit marked done with the person met
        self.start_tour(
            f"/odoo/res.partner/{self.customer.id}",
            "customer_archive_first_hour_visit_tour",
            login=self.rep.login,
        )
        visit = self.customer.archive_interaction_ids.filtered(lambda i: i.summary == "季度拜访营销总监")
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.interaction_type, "visit")
        self.assertEqual(visit.person_met_id, self.key_person)
        self.assertEqual((visit.person_met_name, visit.person_rank), ("孙海涛", "营销总监"))
        self.assertIn("同意试订一批", visit.outcome)
        self.assertEqual(visit.user_id, self.rep)
        self.assertFalse(self.visit.active)

        # 3. an archive the rep may not read: the message, then a request
        self.start_tour(
            f"/odoo/res.partner/{self.restricted.id}",
            "customer_archive_first_hour_no_access_tour",
            login=self.rep.login,
        )
        request = env["customer.archive.access.request"].search([("requester_id", "=", self.rep.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.partner_ids, self.restricted)
        self.assertEqual(request.approval_route, "marketing")
        self.assertEqual(request.line_ids.archive_number, self.restricted.archive_number)
        # the rep had no message or activity naming it: the number only
        self.assertFalse(request.line_ids.archive_name)

        # 4. the marketing manager approves
        self.start_tour(
            "/odoo/action-customer_archive.action_customer_archive_access_request_to_approve",
            "customer_archive_first_hour_approve_tour",
            login=self.manager.login,
        )
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approver_id, self.manager)
        self.assertEqual(request.grant_ids.partner_id, self.restricted)
        self.assertEqual(request.grant_ids.user_id, self.rep)
        env.invalidate_all()
        self.assertEqual(self.restricted.with_user(self.rep).read(["name"])[0]["name"], "华北重工集团")
