"""A new archive as the web client creates it: the archive date (建档日期)
and the responsible rep (负责业务员) are filled."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PARTNER_MANAGER, ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveDefaults(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.marketing_manager
        (cls.rep | cls.manager).tz = "Asia/Shanghai"
        # An internal user who may create contacts but is no archive user.
        cls.other = cls.create_archive_user(
            "defaults_other", "财务职员", f"base.group_user,{PARTNER_MANAGER}"
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

    def test_rep_owns_what_they_create(self):
        Partner = self.env["res.partner"].with_user(self.rep)
        # the new form shows the rep already
        self.assertEqual(Partner.default_get(["user_id", "name"])["user_id"], self.rep.id)
        archive = Partner.create({"name": "杭州新材料有限公司", "is_company": True})
        self.assertEqual(archive.user_id, self.rep)
        self.assertEqual(archive.archive_access_user_id, self.rep)
        # a key person of the archive does not get a rep of its own
        self.assertFalse(
            Partner.with_context(default_parent_id=archive.id).default_get(["user_id"]).get("user_id")
        )
        # (its key persons share the archive's rep, as Odoo's contacts do)
        key_person = Partner.create({"name": "王经理", "parent_id": archive.id})
        self.assertEqual(key_person.user_id, self.rep)

    def test_manager_can_choose_and_an_import_can_leave_it_empty(self):
        Partner = self.env["res.partner"].with_user(self.manager)
        self.assertEqual(Partner.create({"name": "经理建档"}).user_id, self.manager)
        self.assertEqual(Partner.create({"name": "分给业务员", "user_id": self.rep.id}).user_id, self.rep)
        # an explicit empty value (an import into the customer pool) stays empty
        self.assertFalse(Partner.create({"name": "公海客户", "user_id": False}).user_id)

    def test_no_rep_for_data_loads_and_non_archive_users(self):
        self.assertFalse(self.env["res.partner"].create({"name": "系统导入"}).user_id)
        other = self.env["res.partner"].with_user(self.other)
        self.assertFalse(other.create({"name": "财务建档"}).user_id)
        self.assertFalse(other.default_get(["user_id"]).get("user_id"))
