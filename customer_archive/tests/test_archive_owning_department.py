"""A new archive belongs to the department of the user who records it
(their employee's department), so the department rule covers it from the
first save."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveOwningDepartment(ArchiveCase):
    def _create_as(self, user, name, **values):
        return self.env["res.partner"].with_user(user).create({"name": name, "archive_tier": "b", **values})

    def test_rep_archive_belongs_to_their_department(self):
        archive = self._create_as(self.rep, "新建客户有限公司", is_company=True)
        self.assertTrue(archive.is_customer_archive)
        self.assertEqual(archive.archive_department_id, self.sales_department)
        # A rep of another department does not read it; the customer-service
        # manager reads B/C archives of every department.
        with self.assertRaises(AccessError):
            archive.with_user(self.other_rep).read(["name"])
        self.assertEqual(
            archive.with_user(self.service_manager).read(["name"])[0]["name"], "新建客户有限公司"
        )

    def test_archive_of_a_user_without_department_is_open_to_all(self):
        archive = self._create_as(self.no_department_rep, "无部门客户")
        self.assertFalse(archive.archive_department_id)
        self.assertEqual(archive.with_user(self.other_rep).read(["name"])[0]["name"], "无部门客户")

    def test_rep_cannot_file_an_archive_under_another_department(self):
        # Creating follows the department rule as changing does: an archive
        # the rep would not own (no responsible rep) in another department is
        # refused. (One they create for themselves they own, rep arm of the rule.)
        with self.assertRaises(AccessError):
            self._create_as(
                self.rep, "分公司客户", user_id=False, archive_department_id=self.branch_department.id
            )
        archive = self._create_as(
            self.marketing_manager,
            "分公司客户",
            user_id=self.other_rep.id,
            archive_department_id=self.branch_department.id,
        )
        self.assertEqual(archive.archive_department_id, self.branch_department)
        self.assertEqual(archive.with_user(self.other_rep).read(["name"])[0]["name"], "分公司客户")
        with self.assertRaises(AccessError):
            archive.with_user(self.rep).read(["name"])

    def test_archives_made_for_a_rep_keep_the_department_given(self):
        archive = self.create_archive(
            "销售部客户", rep=self.rep, archive_department_id=self.sales_department.id
        )
        self.assertEqual(archive.with_user(self.rep).read(["name"])[0]["name"], "销售部客户")
        with self.assertRaises(AccessError):
            archive.with_user(self.other_rep).read(["name"])
