import base64
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import ArchiveCase

ENGLISH_HEADERS = [
    "Archive Number",
    "Customer Name",
    "Tier",
    "Customer Phone",
    "Customer E-mail",
    "Key Contacts",
    "Contact Phones",
    "Contact E-mails",
    "Responsible Rep",
    "Last Contact",
    "Next Planned Contact",
]
CHINESE_HEADERS = [
    "档案编号",
    "客户名称",
    "分类",
    "客户电话",
    "客户邮箱",
    "主要联系人",
    "联系人电话",
    "联系人邮箱",
    "负责业务员",
    "最近联系",
    "下次计划联系",
]
HEADER_ROW = 4  # 1-based row of the headers, under the title and the subtitle


@tagged("post_install", "-at_install")
class TestContactListExport(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.huaxin = cls.create_archive(
            "上海华信机电有限公司",
            cls.rep,
            is_company=True,
            phone="021-58881234",
            email="info@huaxin.example.cn",
            archive_tier="a",
        )
        # The contact plan keeps these dates up to date; set them directly here.
        cls.huaxin.write(
            {
                "archive_last_contact_date": date(2026, 11, 2),
                "archive_next_contact_date": date(2026, 11, 9),
            }
        )
        cls.legal_rep = Partner.create(
            {
                "name": "王建国",
                "parent_id": cls.huaxin.id,
                "function": "董事长",
                "archive_key_person_role": "legal_representative",
                "phone": "021-58881000",
                "email": "wang.jianguo@huaxin.example.cn",
            }
        )
        cls.main_contact = Partner.create(
            {
                "name": "李明",
                "parent_id": cls.huaxin.id,
                "function": "采购经理",
                "archive_key_person_role": "main_contact",
                "mobile": "13912345678",
                "email": "li.ming@huaxin.example.cn",
            }
        )
        # A child without a role is left out when others have one.
        cls.driver = Partner.create({"name": "赵师傅", "parent_id": cls.huaxin.id, "phone": "021-58889999"})
        cls.person = Partner.create(
            {
                "name": "陈晓红",
                "mobile": "13800138000",
                "email": "chen.xiaohong@example.cn",
                "user_id": cls.rep.id,
                "archive_tier": "c",
            }
        )
        cls.other = Partner.create({"name": "北京远大贸易有限公司", "is_company": True, "archive_tier": "b"})
        # Without any role, all child contacts are key contacts.
        cls.other_contact = Partner.create(
            {
                "name": "周丽",
                "parent_id": cls.other.id,
                "phone": "010-66668888",
                "email": "zhou.li@yuanda.example.cn",
            }
        )

    def _export(self, wizard):
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = wizard.attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertTrue(attachment.name.endswith(".xlsx"))
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.sudo().datas)))
        return workbook.active

    def _rows(self, sheet):
        rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        return {row[1]: row for row in rows}

    def _selected_wizard(self, partners, lang="en_US"):
        context = {"active_model": "res.partner", "active_ids": partners.ids, "lang": lang}
        return (
            self.env["customer.archive.contact.list.export"]
            .with_user(self.rep)
            .with_context(**context)
            .create({})
        )

    def test_rep_exports_selected_archives(self):
        wizard = self._selected_wizard(self.huaxin | self.person)
        self.assertEqual(wizard.scope, "selected")
        self.assertEqual(wizard.archive_count, 2)
        sheet = self._export(wizard)

        self.assertIn("Contact List", sheet["A1"].value)
        self.assertEqual([cell.value for cell in sheet[HEADER_ROW]], ENGLISH_HEADERS)
        self.assertEqual(sheet.freeze_panes, f"A{HEADER_ROW + 1}")
        self.assertEqual(sheet.auto_filter.ref, f"A{HEADER_ROW}:K{HEADER_ROW + 2}")
        self.assertGreater(sheet.column_dimensions["B"].width, 20)

        rows = self._rows(sheet)
        # Only the records the user selected.
        self.assertEqual(set(rows), {"上海华信机电有限公司", "陈晓红"})
        huaxin = rows["上海华信机电有限公司"]
        self.assertEqual(huaxin[0], self.huaxin.archive_number)
        self.assertEqual(huaxin[2], "A")
        # The rep is not in the group Sensitive Data: the phones are masked (脱敏).
        self.assertEqual(huaxin[3], "021****1234")
        self.assertEqual(huaxin[4], "info@huaxin.example.cn")
        # Key persons with a role only, legal representative first.
        self.assertEqual(
            huaxin[5].split("\n"),
            ["王建国 (Legal Representative, 董事长)", "李明 (Main Contact, 采购经理)"],
        )
        self.assertEqual(huaxin[6].split("\n"), ["021****1000", "139****5678"])
        self.assertEqual(
            huaxin[7].split("\n"),
            ["wang.jianguo@huaxin.example.cn", "li.ming@huaxin.example.cn"],
        )
        self.assertNotIn("赵师傅", huaxin[5])
        self.assertEqual(huaxin[8], "销售代表")
        self.assertEqual(huaxin[9].date(), date(2026, 11, 2))
        self.assertEqual(huaxin[10].date(), date(2026, 11, 9))

        person = rows["陈晓红"]
        self.assertEqual(person[2], "C")
        self.assertEqual(person[3], "138****8000")
        self.assertIsNone(person[5])
        self.assertIsNone(person[9])

    def test_children_without_role_are_all_key_contacts(self):
        sheet = self._export(self._selected_wizard(self.other))
        row = self._rows(sheet)["北京远大贸易有限公司"]
        self.assertEqual(row[5], "周丽")
        self.assertEqual(row[6], "010****8888")
        self.assertEqual(row[7], "zhou.li@yuanda.example.cn")

    def test_child_contacts_selected_are_not_exported(self):
        """Selecting a key person in Contacts exports nothing for it: it is no archive."""
        wizard = self._selected_wizard(self.huaxin | self.legal_rep)
        self.assertEqual(set(self._rows(self._export(wizard))), {"上海华信机电有限公司"})

    def test_my_archives_by_tier(self):
        Wizard = self.env["customer.archive.contact.list.export"].with_user(self.rep)
        mine = Wizard.create({"scope": "mine"})
        self.assertEqual(set(self._rows(self._export(mine))), {"上海华信机电有限公司", "陈晓红"})
        mine_c = Wizard.create({"scope": "mine", "archive_tier": "c"})
        self.assertEqual(set(self._rows(self._export(mine_c))), {"陈晓红"})
        all_b = Wizard.create({"scope": "all", "archive_tier": "b", "archive_state": "draft"})
        self.assertIn("北京远大贸易有限公司", self._rows(self._export(all_b)))
        self.assertNotIn("上海华信机电有限公司", self._rows(self._export(all_b)))

    def test_headers_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep.lang = "zh_CN"
        sheet = self._export(self._selected_wizard(self.huaxin, lang="zh_CN"))
        self.assertEqual(sheet["A1"].value, "客户联络一览表")
        self.assertEqual([cell.value for cell in sheet[HEADER_ROW]], CHINESE_HEADERS)
        row = self._rows(sheet)["上海华信机电有限公司"]
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        roles = dict(
            self.env["res.partner"]._fields["archive_key_person_role"]._description_selection(env_zh)
        )
        self.assertIn(f"王建国 ({roles['legal_representative']}, 董事长)", row[5])

    def test_batches_fetch_children_in_one_query(self):
        """Many archives with contacts: queries grow with the batches, not with the archives."""
        Partner = self.env["res.partner"]
        companies = Partner.create(
            [
                {"name": f"批量客户 {index:03d}", "is_company": True, "user_id": self.rep.id}
                for index in range(60)
            ]
        )
        Partner.create(
            [
                {"name": f"联系人 {index:03d}", "parent_id": company.id, "phone": f"010-6500{index:04d}"}
                for index, company in enumerate(companies)
            ]
        )
        Wizard = self.env["customer.archive.contact.list.export"].with_user(self.rep)
        wizard = Wizard.with_context(active_model="res.partner", active_ids=companies.ids).create({})
        wizard = wizard.with_context(lang="en_US")
        self.patch(type(wizard), "_batch_size", 25)
        self.env.invalidate_all()
        # 3 batches of 25 (each found after the last archive number) plus the
        # count and storing the file: reading the 60 archives and their 60
        # contacts record by record would take more than 120 queries. (46
        # since the customer pool: one query more per export, not per batch.)
        with self.assertQueryCount(46):
            sheet_rows = self._rows(self._export(wizard))
        self.assertEqual(len(sheet_rows), 60)
        self.assertEqual(sheet_rows["批量客户 007"][5], "联系人 007")
