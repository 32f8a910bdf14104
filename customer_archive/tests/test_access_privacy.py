"""Sensitive fields, the audit trail, documents that reference a restricted
customer, privacy export and anonymisation."""

import base64
import json

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ALLOW_EXPORT, ArchiveCase
from .common import SENSITIVE as SENSITIVE_GROUP

SENSITIVE = ("archive_resident_id_number", "archive_bank_account_number", "archive_family_situation")


@tagged("post_install", "-at_install")
class TestAccessPrivacy(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.sales = cls.sales_department
        # The customer-service manager reads B/C archives of every department;
        # this one also has the sensitive-data right.
        cls.sensitive_user = cls.service_manager
        cls.add_groups(cls.sensitive_user, SENSITIVE_GROUP)
        cls.add_groups(cls.marketing_manager, ALLOW_EXPORT)
        cls.admin = cls.archive_admin
        cls.person = env["res.partner"].create(
            {
                "name": "王小明",
                "archive_tier": "b",
                "archive_department_id": cls.sales.id,
                "email": "xiaoming@example.com",
                "phone": "138 0013 8000",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "call",
                "archive_resident_id_number": "11010519491231002X",
                "archive_bank_account_number": "6222 0000 1111 2222",
                "archive_family_situation": "Married, two children",
                "comment": "<p>Prefers calls in the evening</p>",
            }
        )
        cls.contact = env["res.partner"].create(
            {
                "name": "王太太",
                "parent_id": cls.person.id,
                "email": "wife@example.com",
                "archive_hobbies": "Tea",
            }
        )
        cls.a_class = env["res.partner"].create(
            {
                "name": "A-class customer",
                "is_company": True,
                "archive_tier": "a",
                "archive_department_id": cls.sales.id,
            }
        )
        cls.Log = env["customer.archive.audit.log"]

    # ------------------------------------------------------------------
    # Sensitive fields
    # ------------------------------------------------------------------
    def test_sensitive_fields_only_for_the_group(self):
        person = self.person.with_user(self.rep)
        self.assertEqual(person.read(["name"])[0]["name"], "王小明")
        for name in SENSITIVE:
            with self.subTest(field=name):
                with self.assertRaises(AccessError):
                    person.read([name])
                with self.assertRaises(AccessError):
                    person.write({name: "changed"})
        values = self.person.with_user(self.sensitive_user).read(list(SENSITIVE))[0]
        self.assertEqual(values["archive_resident_id_number"], "11010519491231002X")
        self.assertEqual(values["archive_family_situation"], "Married, two children")
        self.assertNotIn(
            "archive_resident_id_number", self.env["res.partner"].with_user(self.rep).fields_get()
        )

    def test_sensitive_fields_removed_from_views(self):
        for user, visible in ((self.rep, False), (self.sensitive_user, True)):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form"), (False, "list")])
            for view_type in ("form", "list"):
                arch = etree.fromstring(views["views"][view_type]["arch"])
                for name in SENSITIVE:
                    with self.subTest(user=user.login, view=view_type, field=name):
                        nodes = arch.xpath(f"//field[@name='{name}']")
                        if visible and view_type == "form":
                            self.assertTrue(nodes)
                        elif not visible:
                            self.assertFalse(nodes)

    def test_rep_keeps_working_without_sensitive_fields(self):
        # Saving a birth date runs the ID-number check, opening the form
        # computes the possible duplicates: both must work for a rep.
        Partner = self.env["res.partner"].with_user(self.rep)
        created = Partner.create({"name": "New individual", "archive_birth_date": "1990-05-01"})
        created.write({"archive_birth_date": "1991-05-01"})
        form = created.web_read({"name": {}, "archive_duplicate_count": {}, "archive_birth_date": {}})
        self.assertEqual(form[0]["name"], "New individual")

    # ------------------------------------------------------------------
    # Audit
    # ------------------------------------------------------------------
    def test_audit_of_a_class_reads_writes_and_exports(self):
        a_class = self.a_class.with_user(self.marketing_manager)
        a_class.web_read({"name": {}, "phone": {}})
        a_class.write({"phone": "021 5080 1234"})
        a_class.export_data(["name", "phone"])
        logs = self.Log.search([("partner_id", "=", self.a_class.id)], order="id")
        self.assertEqual(logs.mapped("operation"), ["read", "write", "export"])
        self.assertEqual(logs.user_id, self.marketing_manager)
        self.assertEqual(logs[1].field_names, "phone")
        # A B-class archive without sensitive fields read: nothing logged.
        plain = self.env["res.partner"].create({"name": "Plain B", "archive_tier": "b"})
        plain.with_user(self.marketing_manager).web_read({"name": {}})
        self.assertFalse(self.Log.search([("partner_id", "=", plain.id)]))
        # Only the archive administrator reads the trail; nobody edits it.
        with self.assertRaises(AccessError):
            self.Log.with_user(self.marketing_manager).search([])
        self.assertEqual(self.Log.with_user(self.admin).search([("id", "in", logs.ids)]), logs)
        with self.assertRaises(AccessError):
            logs.with_user(self.admin).write({"detail": "changed"})

    def test_audit_of_sensitive_reads(self):
        self.person.with_user(self.sensitive_user).web_read(
            {"name": {}, "archive_resident_id_number": {}, "archive_family_situation": {}}
        )
        log = self.Log.search([("partner_id", "=", self.person.id), ("operation", "=", "read")])
        # Logged where the values are decrypted: the fields decrypted together.
        self.assertEqual(
            log.field_names,
            "archive_bank_account_number, archive_family_situation, archive_resident_id_number",
        )

    def test_log_api_is_set_based(self):
        partners = self.person | self.contact | self.a_class
        with self.assertQueryCount(__system__=4):
            rows = self.Log._log(partners, "read", field_names=["name"], detail="insurance check")
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows.partner_id, partners)
        self.assertEqual(rows.mapped("archive_number")[1], self.person.archive_number)

    # ------------------------------------------------------------------
    # Documents that reference a restricted customer keep opening
    # ------------------------------------------------------------------
    def test_documents_of_restricted_customer_open(self):
        rep = self.rep
        with self.assertRaises(AccessError):
            self.a_class.with_user(rep).read(["name"])
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.a_class.id,
                "user_id": rep.id,
                "summary": "Call back",
            }
        )
        values = activity.with_user(rep).web_read({"summary": {}, "res_name": {}, "res_id": {}})
        self.assertEqual(values[0]["res_name"], "A-class customer")
        message = self.a_class.message_post(body="Contract signed", partner_ids=rep.partner_id.ids)
        read = message.with_user(rep).read(["body", "record_name", "author_id"])
        self.assertIn("Contract signed", read[0]["body"])
        # A message written by the customer on a document the rep may read.
        visible = self.env["res.partner"].create({"name": "Visible B", "archive_tier": "b"})
        authored = visible.message_post(body="Hello from A", author_id=self.a_class.id)
        values = authored.with_user(rep).web_read({"body": {}, "author_id": {"fields": {"display_name": {}}}})
        self.assertEqual(values[0]["author_id"]["display_name"], "A-class customer")
        # A many2one to the customer shows its name.
        feedback = self.env["customer.archive.feedback"].create(
            {"name": "Late delivery", "partner_id": self.a_class.id}
        )
        values = feedback.with_user(rep).web_read({"partner_id": {"fields": {"display_name": {}}}})
        self.assertEqual(values[0]["partner_id"]["display_name"], "A-class customer")

    # ------------------------------------------------------------------
    # Privacy export and anonymisation
    # ------------------------------------------------------------------
    def test_privacy_export(self):
        self.env["customer.archive.transaction"].create(
            {"name": "T-1", "partner_id": self.person.id, "date": "2025-05-01", "amount": 1200}
        )
        self.env["customer.archive.feedback"].create({"name": "Praise", "partner_id": self.person.id})
        self.person.message_post(body="Visited at home")
        with self.assertRaises(AccessError):
            self.person.with_user(self.sensitive_user).action_archive_privacy_export()
        wizard = (
            self.env["customer.archive.privacy.export"]
            .with_user(self.admin)
            .create({"partner_id": self.person.id, "file_format": "json"})
        )
        wizard.action_export()
        data = json.loads(base64.b64decode(wizard.file_data))
        names = {row["name"] for row in data["res.partner"]}
        self.assertEqual(names, {"王小明", "王太太"})
        self.assertEqual(data["res.partner"][0]["archive_resident_id_number"], "11010519491231002X")
        self.assertEqual(data["customer.archive.transaction"][0]["amount"], 1200)
        self.assertEqual(data["customer.archive.feedback"][0]["name"], "Praise")
        self.assertTrue(any("Visited at home" in (row["body"] or "") for row in data["mail.message"]))
        wizard.file_format = "xlsx"
        wizard.action_export()
        self.assertEqual(base64.b64decode(wizard.file_data)[:2], b"PK")
        logs = self.Log.search([("partner_id", "=", self.person.id), ("operation", "=", "privacy_export")])
        self.assertEqual(len(logs), 2)

    def test_anonymisation(self):
        transaction = self.env["customer.archive.transaction"].create(
            {
                "name": "T-2",
                "partner_id": self.person.id,
                "date": "2025-06-01",
                "amount": 800,
                "note": "paid cash",
            }
        )
        self.person.message_post(body="Lives at 5 Nanjing Road")
        feedback = self.env["customer.archive.feedback"].create(
            {
                "name": "王小明 complains",
                "partner_id": self.person.id,
                "description": "called from 13800138000",
            }
        )
        visit = self.env["customer.archive.interaction"].create(
            {
                "partner_id": self.person.id,
                "interaction_type": "visit",
                "summary": "Visit to 王小明",
                "person_met_id": self.contact.id,
                "outcome": "<p>Met his wife at home</p>",
                "date": "2025-06-02 10:00:00",
            }
        )
        self.assertEqual(visit.person_met_name, self.contact.name)
        document = self.env["customer.archive.document"].create(
            {
                "partner_id": self.person.id,
                "name": "ID card of 王小明",
                "type_id": self.env.ref("customer_archive.document_type_id_card").id,
                "file": base64.b64encode(b"scan"),
                "file_name": "id.png",
                "note": "copy",
            }
        )
        activity = self.person.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call 王小明 back", note="on 13800138000"
        )
        with self.assertRaises(AccessError):
            self.person.with_user(self.marketing_manager).action_archive_anonymize()
        self.person.with_user(self.admin).action_archive_anonymize()
        person = self.person.sudo()
        self.assertEqual(person.name, f"Anonymised {person.archive_number}")
        for name in ("email", "phone", "comment", *SENSITIVE):
            self.assertFalse(person[name], name)
        self.assertEqual(str(person.archive_birth_date), "1949-01-01")
        self.assertFalse(self.contact.email)
        self.assertFalse(self.contact.archive_hobbies)
        self.assertTrue(self.contact.name.startswith("Anonymised"))
        self.assertTrue(person.archive_anonymized_date)
        bodies = " ".join(person.message_ids.mapped("body"))
        self.assertNotIn("Nanjing", bodies)
        self.assertEqual((transaction.amount, str(transaction.date)), (800, "2025-06-01"))
        self.assertFalse(transaction.note)
        # the archive's other records keep their dates and states, not their words
        self.assertEqual((feedback.name, feedback.description), ("Anonymised", False))
        self.assertEqual(feedback.state, "new")
        self.assertEqual(visit.summary, "Anonymised")
        self.assertFalse(visit.person_met_id or visit.person_met_name or visit.outcome)
        self.assertEqual((visit.interaction_type, str(visit.date)), ("visit", "2025-06-02 10:00:00"))
        self.assertEqual(document.name, "Anonymised")
        self.assertFalse(document.file or document.file_name or document.note)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "=", "customer.archive.document"),
                    ("res_id", "=", document.id),
                    ("res_field", "=", "file"),
                ]
            )
        )
        self.assertEqual(activity.summary, "Anonymised")
        self.assertFalse(activity.note)
        self.assertTrue(
            self.Log.search([("partner_id", "=", self.person.id), ("operation", "=", "anonymize")])
        )
