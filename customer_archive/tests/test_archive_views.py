"""What the views offer a user: no Delete on archives for those who may not
delete them."""

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveViews(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archive = cls.env["res.partner"].create({"name": "删除测试客户", "is_company": True})

    def _delete_offered(self, user):
        views = (
            self.env["res.partner"]
            .with_user(user)
            .get_views([(False, "form"), (False, "list"), (False, "kanban")], {"toolbar": True})
        )
        return {
            view_type: etree.fromstring(view["arch"]).get("delete") not in ("0", "false", "False")
            for view_type, view in views["views"].items()
        }

    def test_rep_is_not_offered_delete(self):
        self.assertEqual(self._delete_offered(self.rep), {"form": False, "list": False, "kanban": False})
        # and the server refuses it anyway
        with self.assertRaises(AccessError):
            self.archive.with_user(self.rep).unlink()

    def test_archive_admin_is_offered_delete(self):
        self.assertEqual(
            self._delete_offered(self.archive_admin), {"form": True, "list": True, "kanban": True}
        )
        self.archive.with_user(self.archive_admin).unlink()
        self.assertFalse(self.archive.exists())

    def test_archive_list_columns_fit_their_content(self):
        """The list's columns are wide enough for a whole archive number
        (KH-2026-000001), a Chinese company name and ¥ 1,800,000.00; the tier
        (one letter) leaves them the room."""
        action = self.env.ref("customer_archive.action_customer_archive")
        arch = (
            self.env["res.partner"].with_user(self.rep).get_views([(False, "list")], {"action_id": action.id})
        )
        list_arch = etree.fromstring(arch["views"]["list"]["arch"])
        widths = {
            field.get("name"): int(field.get("width", "0px").rstrip("px"))
            for field in list_arch.iter("field")
        }
        self.assertGreaterEqual(widths["archive_number"], 130)
        self.assertGreaterEqual(widths["complete_name"], 200)
        self.assertGreaterEqual(widths["archive_transaction_total"], 140)
        self.assertTrue(0 < widths["archive_tier"] <= 60)
