from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestMergeDestination(ArchiveCase):
    """Merging duplicates keeps the oldest archive (lowest archive number),
    then the most complete one, by default."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # The older archive was imported after the newer one was typed in:
        # it is the newer record, with the lower number.
        company = {"name": "合并测试公司", "is_company": True, "user_id": cls.rep.id}
        cls.newer, cls.older = Partner.create(
            [
                {**company, "archive_number": "KH-2026-900002"},
                {**company, "archive_number": "KH-2025-900001", "phone": "+86 21 5080 1234"},
            ]
        )
        cls.env.cr.execute(
            SQL(
                "UPDATE res_partner SET create_date = create_date + interval '1 day' WHERE id = %s",
                cls.older.id,
            )
        )
        cls.env.invalidate_all()

    def _wizard(self, partners, user=None):
        Wizard = self.env["base.partner.merge.automatic.wizard"].with_context(
            active_model="res.partner", active_ids=partners.ids
        )
        return Form(Wizard.with_user(user) if user else Wizard)

    def test_lowest_archive_number_is_the_default_destination(self):
        for order in (self.newer | self.older, self.older | self.newer):
            self.assertEqual(self._wizard(order).dst_partner_id, self.older)

    def test_more_complete_archive_wins_between_archives_without_number(self):
        plain, rich = self.env["res.partner"].create(
            [
                {"name": "无编号公司", "is_company": True},
                {
                    "name": "无编号公司",
                    "is_company": True,
                    "phone": "+86 21 5080 1234",
                    "street": "张江路 1 号",
                },
            ]
        )
        (plain | rich).archive_number = False
        self.assertGreater(rich.archive_completeness, plain.archive_completeness)
        self.assertEqual(self._wizard(plain | rich).dst_partner_id, rich)

    def test_merge_button_of_the_newer_archive_keeps_the_older(self):
        action = self.newer.with_user(self.rep).action_merge_duplicates()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual(wizard.dst_partner_id, self.older)
        wizard.action_merge()
        self.assertFalse(self.newer.exists())
        self.assertEqual(self.older.archive_number, "KH-2025-900001")
