import csv
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.res_partner_import import IMPORT_TEMPLATE_FIELDS
from ..tools import identity
from .common import ArchiveCase

CSV_OPTIONS = {
    "has_headers": True,
    "separator": ",",
    "quoting": '"',
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
}


def uscc(number):
    """A valid Unified Social Credit Code built from ``number``."""
    body = f"9131{number:013d}"
    return body + identity.uscc_check_character(body)


def resident_id(body="11010519491231002"):
    return body + identity.resident_id_check_digit(body)


class ImportCase(ArchiveCase):
    """Imports as the web client runs them: a base_import.import record
    with the file, its preview (the automatic mapping), then execute_import."""

    def csv_file(self, rows):
        output = io.StringIO()
        csv.writer(output).writerows(rows)
        return output.getvalue().encode()

    def run_import(
        self, user, content, options=None, dryrun=False, file_name="客户名单.csv", mapping=None, lang="en_US"
    ):
        wizard = (
            self.env["base_import.import"]
            .with_user(user)
            .with_context(default_is_company=True, default_is_customer_archive=True, lang=lang)
            .create(
                {
                    "res_model": "res.partner",
                    "file": content,
                    "file_name": file_name,
                    "file_type": "text/csv" if file_name.endswith(".csv") else openpyxl_mimetype(),
                }
            )
        )
        options = dict(CSV_OPTIONS, **(options or {}))
        preview = wizard.parse_preview(dict(options))
        self.assertFalse(preview.get("error"), preview)
        headers = preview["headers"]
        if mapping is None:
            matches = preview["matches"] or {}
            mapping = [
                "/".join(matches[index]) if index in matches else False for index in range(len(headers))
            ]
        result = wizard.execute_import(mapping, headers, options, dryrun=dryrun)
        return wizard, mapping, result

    def batch_of(self, wizard):
        return self.env["customer.archive.import.batch"].search([("import_wizard_id", "=", wizard.id)])


def openpyxl_mimetype():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestImportTemplate(ImportCase):
    def template_rows(self, lang):
        Partner = self.env["res.partner"].with_user(self.rep).with_context(lang=lang)
        book = openpyxl.load_workbook(io.BytesIO(Partner._archive_import_template_xlsx()))
        return book, book.active

    def test_template_round_trip_in_chinese(self):
        """The rep downloads the template, fills in a company with two key
        persons and its last three years' sales, and imports it: every
        column maps by itself."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep.lang = "zh_CN"
        book, sheet = self.template_rows("zh_CN")
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("统一社会信用代码", headers)
        values = {
            "name": "上海测试导入有限公司",
            "is_company": "True",
            "archive_unified_social_credit_code": uscc(1),
            "phone": "021 6633 2211",
            "email": "info@import-test.example.com",
            "archive_sales_last_year": 3000000,
            "archive_sales_two_years_ago": 2500000,
            "archive_sales_three_years_ago": 2000000,
            "archive_key_person_ids/name": "王总",
            "archive_key_person_ids/archive_key_person_role": "公司法人",
            "archive_key_person_ids/mobile": "138 0013 8000",
        }
        sheet.append([values.get(path) for path in IMPORT_TEMPLATE_FIELDS])
        sheet.append(
            [
                {
                    "archive_key_person_ids/name": "李经理",
                    "archive_key_person_ids/archive_key_person_role": "主要联系人",
                }.get(path)
                for path in IMPORT_TEMPLATE_FIELDS
            ]
        )
        output = io.BytesIO()
        book.save(output)
        wizard, mapping, result = self.run_import(
            self.rep, output.getvalue(), file_name="客户档案表.xlsx", lang="zh_CN"
        )
        self.assertEqual(mapping, list(IMPORT_TEMPLATE_FIELDS), "every column maps without manual matching")
        self.assertFalse(result["messages"], result["messages"])
        archive = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(archive.name, "上海测试导入有限公司")
        self.assertTrue(archive.is_customer_archive)
        self.assertEqual(archive.archive_sales_last_year, 3000000)
        self.assertEqual(archive.archive_sales_three_years_ago, 2000000)
        self.assertEqual(archive.phone, "+86 21 6633 2211")
        self.assertEqual(
            sorted(archive.archive_key_person_ids.mapped("archive_key_person_role")),
            ["legal_representative", "main_contact"],
        )
        self.assertEqual(archive.archive_key_person_ids.filtered("mobile").mobile, "+86 138 0013 8000")
        batch = self.batch_of(wizard)
        self.assertEqual((batch.state, batch.created_count, batch.user_id), ("done", 1, self.rep))
        self.assertEqual(archive.archive_import_batch_id, batch)

    def test_template_in_english(self):
        _book, sheet = self.template_rows("en_US")
        headers = [cell.value for cell in sheet[1]]
        self.assertIn("Unified Social Credit Code", headers)
        self.assertIn("Key Persons/Name", headers)

    def test_only_archive_users_import(self):
        clerk = new_test_user(
            self.env, login="import_clerk", groups="base.group_user,base.group_partner_manager"
        )
        rows = [["Name"], ["无权导入有限公司"]]
        with self.assertRaises(AccessError):
            self.run_import(clerk, self.csv_file(rows))

    def test_import_template_link(self):
        templates = self.env["res.partner"].with_user(self.rep).get_import_templates()
        self.assertEqual(templates[0]["template"], "/customer_archive/import_template")


@tagged("post_install", "-at_install")
class TestImportValidation(ImportCase):
    HEADER = ["Name", "Unified Social Credit Code", "Resident ID Number", "Phone", "Email"]

    def rows(self):
        return [
            self.HEADER,
            ["好客户有限公司", uscc(11), "", "021 6188 7766", "ok@good-customer.example.com"],
            [
                "代码错误有限公司",
                uscc(12)[:-1] + "0" if uscc(12)[-1] != "0" else uscc(12)[:-1] + "1",
                "",
                "",
                "",
            ],
            ["身份证错误", "", "110105194912310020", "", ""],
            ["电话错误有限公司", "", "", "12", ""],
            ["邮箱错误有限公司", "", "", "", "no-mail"],
        ]

    def test_every_error_reported_with_row_and_column(self):
        self.archive_admin.groups_id += self.env.ref("customer_archive.group_archive_sensitive")
        _wizard, _mapping, result = self.run_import(
            self.archive_admin, self.csv_file(self.rows()), dryrun=True
        )
        errors = {message["field"]: message for message in result["messages"] if message["type"] == "error"}
        self.assertEqual(
            set(errors),
            {"archive_unified_social_credit_code", "archive_resident_id_number", "phone", "email"},
            result["messages"],
        )
        for field, row in (
            ("archive_unified_social_credit_code", 3),
            ("archive_resident_id_number", 4),
            ("phone", 5),
            ("email", 6),
        ):
            self.assertTrue(errors[field]["message"].startswith(f"Row {row}: "), errors[field]["message"])
            self.assertEqual(errors[field]["rows"]["from"], row - 2)
            label = self.env["res.partner"]._fields[field]._description_string(self.env)
            self.assertIn(label, errors[field]["message"])

    def test_test_mode_writes_nothing(self):
        count = self.env["res.partner"].search_count([])
        wizard, _mapping, result = self.run_import(self.rep, self.csv_file(self.rows()[:2]), dryrun=True)
        self.assertFalse(result["messages"])
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertFalse(self.batch_of(wizard))

    def test_valid_rows_written_invalid_refused(self):
        wizard, _mapping, result = self.run_import(self.rep, self.csv_file(self.rows()[:3] + self.rows()[4:]))
        self.assertEqual(len(result["ids"]), 1)
        self.assertEqual(self.env["res.partner"].browse(result["ids"]).name, "好客户有限公司")
        self.assertFalse(
            self.env["res.partner"].search([("name", "in", ("代码错误有限公司", "邮箱错误有限公司"))])
        )
        batch = self.batch_of(wizard)
        self.assertEqual((batch.created_count, batch.updated_count, batch.failed_count), (1, 0, 3))
        self.assertIn("Row 3: ", batch.error_log)
        self.assertIn("Row 5: ", batch.error_log)

    def test_all_or_nothing(self):
        wizard, _mapping, result = self.run_import(
            self.rep, self.csv_file(self.rows()[:3]), options={"archive_all_or_nothing": True}
        )
        self.assertIs(result["ids"], False)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "好客户有限公司")]))
        batch = self.batch_of(wizard)
        self.assertEqual((batch.state, batch.created_count, batch.failed_count), ("failed", 0, 1))


@tagged("post_install", "-at_install")
class TestImportDuplicates(ImportCase):
    HEADER = ["Name", "Unified Social Credit Code", "Mobile", "Email", "Remarks"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.existing = cls.create_archive(
            "上海已有客户有限公司",
            rep=cls.rep,
            archive_unified_social_credit_code=uscc(21),
            mobile="13587654321",
            email="buyer@existing.example.com",
            archive_department_id=cls.sales_department.id,
        )

    def test_matching_rows_update_instead_of_create(self):
        count = self.env["res.partner"].search_count([("is_customer_archive", "=", True)])
        rows = [
            self.HEADER,
            ["上海已有客户", uscc(21), "", "", "按信用代码"],
            ["另一个名字", "", "135-8765-4321", "", ""],
            ["第三个名字", "", "", "BUYER@existing.example.com", ""],
        ]
        for row in rows[1:]:
            wizard, _mapping, result = self.run_import(
                self.rep, self.csv_file([self.HEADER, row]), options={"archive_source_channel": "association"}
            )
            self.assertFalse(result["messages"], result["messages"])
            self.assertEqual(result["ids"], self.existing.ids)
            batch = self.batch_of(wizard)
            self.assertEqual((batch.created_count, batch.updated_count), (0, 1))
        self.assertEqual(self.env["res.partner"].search_count([("is_customer_archive", "=", True)]), count)
        self.assertEqual(self.existing.name, "第三个名字")
        self.assertEqual(self.existing.archive_remarks, "按信用代码")
        self.assertEqual(self.existing.archive_source_channel, "association")
        self.assertEqual(self.existing.archive_import_batch_id, batch)

    def test_report_mode_changes_nothing(self):
        rows = [self.HEADER, ["改名", uscc(21), "", "", ""]]
        _wizard, _mapping, result = self.run_import(
            self.rep, self.csv_file(rows), options={"archive_duplicate_mode": "report"}
        )
        self.assertFalse(result["ids"])
        self.assertIn(self.existing.archive_number, result["messages"][0]["message"])
        self.assertEqual(self.existing.name, "上海已有客户有限公司")

    def test_in_file_duplicates(self):
        rows = [
            self.HEADER,
            ["新客户甲", uscc(22), "", "", ""],
            ["新客户甲（重复）", uscc(22), "", "", ""],
            ["新客户乙", "", "139 0000 1111", "", ""],
            ["新客户乙（重复）", "", "13900001111", "", ""],
        ]
        _wizard, _mapping, result = self.run_import(self.rep, self.csv_file(rows))
        self.assertEqual(len(result["ids"]), 2)
        errors = [message["message"] for message in result["messages"]]
        self.assertEqual(len(errors), 2, errors)
        self.assertTrue(errors[0].startswith("Row 3: ") and "row 2" in errors[0], errors[0])
        self.assertTrue(errors[1].startswith("Row 5: ") and "row 4" in errors[1], errors[1])

    def test_same_name_only_warns(self):
        rows = [self.HEADER, ["上海已有客户有限公司", "", "", "", ""]]
        _wizard, _mapping, result = self.run_import(self.rep, self.csv_file(rows), dryrun=True)
        self.assertEqual([message["type"] for message in result["messages"]], ["warning"])
        _wizard, _mapping, result = self.run_import(self.rep, self.csv_file(rows))
        self.assertEqual(len(result["ids"]), 1)
        self.assertNotEqual(result["ids"], self.existing.ids)

    def test_rep_of_another_department_cannot_update(self):
        rows = [self.HEADER, ["分公司改名", uscc(21), "", "", "覆盖"]]
        _wizard, _mapping, result = self.run_import(self.other_rep, self.csv_file(rows))
        self.assertFalse(result["ids"])
        self.assertEqual(len(result["messages"]), 1)
        self.assertIn("may not change", result["messages"][0]["message"])
        self.assertEqual(self.existing.name, "上海已有客户有限公司")
        self.assertFalse(self.existing.archive_remarks)
        self.assertEqual(
            self.env["res.partner"].search_count([("archive_unified_social_credit_code", "=", uscc(21))]), 1
        )

    def test_tier_history_says_import(self):
        rows = [["Name", "Unified Social Credit Code", "Tier"], ["上海已有客户", uscc(21), "A"]]
        _wizard, _mapping, result = self.run_import(self.marketing_manager, self.csv_file(rows))
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(self.existing.archive_tier, "a")
        history = self.env["customer.tier.history"].search([("partner_id", "=", self.existing.id)], limit=1)
        self.assertEqual((history.tier_to, history.reason), ("a", "import"))


@tagged("post_install", "-at_install")
class TestImportBackground(ImportCase):
    def test_large_file_imported_in_background(self):
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.import_background_threshold", "5")
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.import_chunk_size", "4")
        rows = [["Name", "Unified Social Credit Code"]]
        rows += [[f"后台导入客户{number}", uscc(100 + number)] for number in range(11)]
        rows.append(["后台导入代码错误", "913100000000000000"])
        wizard, _mapping, result = self.run_import(
            self.rep, self.csv_file(rows), options={"archive_source_channel": "web"}
        )
        self.assertEqual(result["messages"][0]["type"], "info")
        batch = self.batch_of(wizard)
        self.assertEqual((batch.state, batch.background, batch.row_count), ("queued", True, 12))
        self.assertFalse(self.env["res.partner"].search([("name", "=like", "后台导入客户%")]))

        self.env["customer.archive.import.batch"]._cron_import_batches()
        self.assertEqual(batch.state, "done")
        self.assertEqual((batch.created_count, batch.updated_count, batch.failed_count), (11, 0, 1))
        self.assertEqual(batch.progress, 100.0)
        self.assertFalse(batch.attachment_id)
        archives = self.env["res.partner"].search([("name", "=like", "后台导入客户%")])
        self.assertEqual(len(archives), 11)
        self.assertEqual(set(archives.mapped("archive_source_channel")), {"web"})
        self.assertEqual(archives.archive_import_batch_id, batch)
        self.assertEqual(set(archives.mapped("create_uid")), {self.rep})
        notice = batch.message_ids.filtered(lambda message: self.rep.partner_id in message.partner_ids)
        self.assertTrue(notice)
        self.assertIn("11", notice[0].body)
        self.assertIn("Row 13: ", batch.error_log)

    def test_all_or_nothing_in_background_writes_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.import_background_threshold", "2")
        rows = [["Name", "Unified Social Credit Code"]]
        rows += [[f"全有全无客户{number}", uscc(200 + number)] for number in range(3)]
        rows.append(["全有全无代码错误", "913100000000000000"])
        wizard, _mapping, _result = self.run_import(
            self.rep, self.csv_file(rows), options={"archive_all_or_nothing": True}
        )
        batch = self.batch_of(wizard)
        self.env["customer.archive.import.batch"]._cron_import_batches()
        self.assertEqual((batch.state, batch.created_count, batch.failed_count), ("failed", 0, 1))
        self.assertFalse(self.env["res.partner"].search([("name", "=like", "全有全无客户%")]))


@tagged("post_install", "-at_install")
class TestImportTemplateDownload(HttpCase):
    def test_download_template(self):
        """The link of the Import screen serves the template of the reader's language."""
        new_test_user(self.env, login="template_rep", groups="customer_archive.group_archive_user")
        self.authenticate("template_rep", "template_rep")
        response = self.url_open("/customer_archive/import_template")
        self.assertEqual(response.status_code, 200)
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(
            [cell.value for cell in book.active[1]],
            self.env["res.partner"]._archive_import_template_headers(),
        )


@tagged("post_install", "-at_install")
class TestImportIntoThePool(ImportCase):
    """Rows that name no rep land in the pool of their department; a row with
    a rep goes to that rep. The form's default (the creating rep) does not
    apply to an import."""

    HEADER = ["Name", "Unified Social Credit Code", "Salesperson"]

    def test_rows_without_rep_go_to_the_pool_of_the_department(self):
        pool = (
            self.env["customer.archive.pool"]
            .sudo()
            .create(
                {"name": "导入测试公海", "member_department_ids": [Command.link(self.sales_department.id)]}
            )
        )
        rows = [
            self.HEADER,
            ["无业务员客户有限公司", uscc(31), ""],
            ["有业务员客户有限公司", uscc(32), self.rep.name],
        ]
        _wizard, _mapping, result = self.run_import(self.rep, self.csv_file(rows))
        self.assertFalse(result["messages"], result["messages"])
        unowned, owned = self.env["res.partner"].browse(result["ids"])
        self.assertFalse(unowned.user_id, "no default rep on import")
        self.assertEqual(unowned.archive_department_id, self.sales_department)
        self.assertEqual(unowned.archive_pool_open_id, pool)
        self.assertEqual(unowned.archive_pool_log_ids.action, "placed")
        self.assertEqual(owned.user_id, self.rep)
        self.assertFalse(owned.archive_pool_open_id)

    def test_an_updated_archive_gets_no_import_placement(self):
        (
            self.env["customer.archive.pool"]
            .sudo()
            .create(
                {
                    "name": "导入更新测试公海",
                    "member_department_ids": [Command.link(self.sales_department.id)],
                }
            )
        )
        existing = self.create_archive(
            "无业务员老客户有限公司",
            user_id=False,
            archive_unified_social_credit_code=uscc(33),
            archive_department_id=self.sales_department.id,
        )
        rows = [self.HEADER, ["无业务员老客户有限公司", uscc(33), ""]]
        _wizard, _mapping, result = self.run_import(self.rep, self.csv_file(rows))
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(result["ids"], existing.ids)
        self.assertFalse(existing.archive_pool_log_ids, "no 'placed by import' row for an update")

    def test_the_form_still_defaults_to_its_creator(self):
        partner = self.env["res.partner"].with_user(self.rep).create({"name": "表单新建客户有限公司"})
        self.assertEqual(partner.user_id, self.rep)
