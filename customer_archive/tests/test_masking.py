"""Masking (脱敏) of the sensitive fields and of exported phones for users
without the group Sensitive Data, through the ORM, JSON-RPC, the contact
list XLSX, the standard export and the archive card; unmasked reads are
audited."""

import base64
import io
import json

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from ..tools import masking
from .common import ALLOW_EXPORT, ARCHIVE_USER, PARTNER_MANAGER, SENSITIVE, ArchiveUsers

VALID_ID = "11010519491231002X"
REPORT = "customer_archive.action_report_customer_archive_card"


class MaskingCase(ArchiveUsers):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.setup_archive_users()
        cls.department = cls.sales_department
        cls.add_groups(cls.rep, ALLOW_EXPORT)
        # A rep of the same department with the group Sensitive Data.
        cls.sensitive = cls.create_archive_user(
            "mask_sensitive",
            "敏感数据销售",
            f"{ARCHIVE_USER},{SENSITIVE},{PARTNER_MANAGER},{ALLOW_EXPORT}",
            cls.department,
        )
        cls.person = env["res.partner"].create(
            {
                "name": "脱敏客户",
                "archive_tier": "b",
                "archive_department_id": cls.department.id,
                "user_id": cls.rep.id,
                "phone": "010 6512 3456",
                "mobile": "138 0013 5678",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "call",
                "archive_resident_id_number": VALID_ID,
                "archive_bank_account_number": "6222 0000 1111 5678",
                "archive_family_situation": "已婚",
            }
        )


@tagged("post_install", "-at_install")
class TestMasking(MaskingCase, TransactionCase):
    def test_mask_functions(self):
        self.assertEqual(masking.mask_resident_id("110105194912311234"), "110105********1234")
        self.assertEqual(masking.mask_account("6225 8821 0034 5678"), "****5678")
        self.assertEqual(masking.mask_phone("138 0013 5678"), "138****5678")
        self.assertEqual(masking.mask_phone("+86 138 0013 5678"), "138****5678")
        # As phone validation stores a landline: masked in its national form.
        self.assertEqual(masking.mask_phone("+86 21 5888 1234"), "021****1234")
        self.assertEqual(masking.mask_phone("010-6512-3456"), "010****3456")
        self.assertEqual(masking.mask_text("已婚"), "******")
        self.assertFalse(masking.mask_resident_id(False))

    def test_rep_reads_masked_values_never_the_plain_ones(self):
        person = self.person.with_user(self.rep)
        values = person.read(
            [
                "archive_resident_id_number_masked",
                "archive_bank_account_number_masked",
                "archive_family_situation_masked",
            ]
        )[0]
        self.assertEqual(values["archive_resident_id_number_masked"], "110105********002X")
        self.assertEqual(values["archive_bank_account_number_masked"], "****5678")
        self.assertEqual(values["archive_family_situation_masked"], "******")
        for name in ("archive_resident_id_number", "archive_bank_account_number", "archive_family_situation"):
            with self.assertRaises(AccessError):
                person.read([name])
        # The form shows the masked fields to the rep, the plain ones to the group.
        rep_form = person.get_view(view_type="form")["arch"]
        self.assertIn('name="archive_resident_id_number_masked"', rep_form)
        self.assertNotIn('name="archive_resident_id_number"', rep_form)
        sensitive_form = self.person.with_user(self.sensitive).get_view(view_type="form")["arch"]
        self.assertIn('name="archive_resident_id_number"', sensitive_form)
        self.assertNotIn('name="archive_resident_id_number_masked"', sensitive_form)

    def test_unmasked_reads_are_audited(self):
        Log = self.env["customer.archive.audit.log"]
        domain = [
            ("partner_id", "=", self.person.id),
            ("operation", "=", "read"),
            ("user_id", "=", self.sensitive.id),
        ]
        self.assertFalse(Log.search(domain))
        self.env.invalidate_all()
        values = self.person.with_user(self.sensitive).read(["archive_resident_id_number"])[0]
        self.assertEqual(values["archive_resident_id_number"], VALID_ID)
        log = Log.search(domain)
        self.assertEqual(len(log), 1)
        self.assertIn("archive_resident_id_number", log.field_names)
        # A masked read or a read by the code (sudo) is not an unmasked read.
        self.env.invalidate_all()
        self.person.with_user(self.rep).read(["archive_resident_id_number_masked"])
        self.assertFalse(Log.search([("partner_id", "=", self.person.id), ("user_id", "=", self.rep.id)]))

    def test_contact_list_masks_phones_without_the_group(self):
        def export(user):
            wizard = (
                self.env["customer.archive.contact.list.export"]
                .with_user(user)
                .with_context(active_model="res.partner", active_ids=self.person.ids)
                .create({})
            )
            wizard.action_export()
            sheet = openpyxl.load_workbook(
                io.BytesIO(base64.b64decode(wizard.attachment_id.sudo().datas))
            ).active
            return {row[1]: row for row in sheet.iter_rows(min_row=5, values_only=True)}[self.person.name]

        self.assertEqual(export(self.rep)[3], "010****3456 / 138****5678")
        self.assertEqual(export(self.sensitive)[3], "+86 10 6512 3456 / +86 138 0013 5678")

    def test_standard_export_masks_phones_without_the_group(self):
        rows = self.person.with_user(self.rep).export_data(["name", "mobile"])["datas"]
        self.assertEqual(rows, [["脱敏客户", "138****5678"]])
        rows = self.person.with_user(self.sensitive).export_data(["name", "mobile"])["datas"]
        self.assertEqual(rows, [["脱敏客户", "+86 138 0013 5678"]])

    def test_archive_card_shows_masked_values_without_the_group(self):
        env = self.env(user=self.rep, context=dict(self.env.context, lang="en_US"))
        html = env["ir.actions.report"]._render_qweb_html(REPORT, self.person.ids)[0].decode()
        self.assertIn("110105********002X", html)
        self.assertIn("****5678", html)
        self.assertNotIn(VALID_ID, html)
        self.assertNotIn("1111 5678", html)
        env = self.env(user=self.sensitive, context=dict(self.env.context, lang="en_US"))
        html = env["ir.actions.report"]._render_qweb_html(REPORT, self.person.ids)[0].decode()
        self.assertIn(VALID_ID, html)


@tagged("post_install", "-at_install")
class TestMaskingJsonRpc(MaskingCase, HttpCase):
    def _call(self, method, args, kwargs):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"model": "res.partner", "method": method, "args": args, "kwargs": kwargs},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rep_over_json_rpc(self):
        self.authenticate(self.rep.login, self.rep.login)
        result = self._call(
            "web_read",
            [self.person.ids],
            {
                "specification": {
                    "archive_resident_id_number_masked": {},
                    "archive_bank_account_number_masked": {},
                }
            },
        )
        self.assertEqual(
            result["result"],
            [
                {
                    "id": self.person.id,
                    "archive_resident_id_number_masked": "110105********002X",
                    "archive_bank_account_number_masked": "****5678",
                }
            ],
        )
        result = self._call(
            "web_read", [self.person.ids], {"specification": {"archive_resident_id_number": {}}}
        )
        self.assertIn("error", result)
        self.assertNotIn(VALID_ID, json.dumps(result, ensure_ascii=False))
        # Neither a search on the plain value nor a context key opens it.
        result = self._call(
            "search_read",
            [[("id", "=", self.person.id)], ["archive_resident_id_number"]],
            {"context": {"customer_archive_access_request": True}},
        )
        self.assertNotIn(VALID_ID, json.dumps(result, ensure_ascii=False))
