"""A new archive as the web client creates it: the archive date (建档日期)
and the responsible rep (负责业务员) are filled."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestArchiveDefaults(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="defaults_rep",
            groups="customer_archive.group_archive_user,base.group_partner_manager",
            tz="Asia/Shanghai",
        )

    @freeze_time("2026-03-01 17:30:00")
    def test_form_save_with_an_empty_archive_date_gets_today_in_the_user_timezone(self):
        # 17:30 UTC is already 2 March in Shanghai. The web client sends
        # every field of the form, the empty date as False.
        Partner = self.env["res.partner"].with_user(self.rep)
        saved = Partner.web_save(
            {"name": "上海远东贸易有限公司", "is_company": True, "archive_date": False},
            {"archive_date": {}, "archive_number": {}},
        )
        self.assertEqual(saved[0]["archive_date"], date(2026, 3, 2))
        created = Partner.create({"name": "无日期客户", "archive_date": False})
        self.assertEqual(created.archive_date, date(2026, 3, 2))
        given = Partner.create({"name": "老客户", "archive_date": "2019-05-06"})
        self.assertEqual(given.archive_date, date(2019, 5, 6))
        # the new form shows the date already
        self.assertEqual(Partner.default_get(["archive_date"])["archive_date"], date(2026, 3, 2))
