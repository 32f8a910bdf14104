"""Reads stay read-only (读写分离): a rep's form open of an A-class archive
over JSON-RPC runs in a read-only transaction (Odoo can serve it from a
replica) and is not retried read-write; its audit row is written in a short
transaction of its own on the primary, committed at once: it stays when the
request fails afterwards, and when the primary cannot take it the read is
refused rather than served unaudited."""

import json
from unittest.mock import patch

import psycopg2

from odoo import http
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .common import (
    ALLOW_EXPORT,
    ARCHIVE_USER,
    PARTNER_MANAGER,
    SENSITIVE,
    ArchiveHttpCase,
    call_kw_is_readonly,
)

FORM_SPECIFICATION = {"name": {}, "phone": {}, "archive_tier": {}, "display_name": {}}


@tagged("post_install", "-at_install")
class TestReadOnlyAuditOverJsonRpc(ArchiveHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        branch = cls.env["hr.department"].create({"name": "只读审计部"})
        cls.rep = cls.create_archive_user(
            "ro_audit_rep", "ro audit rep", f"{ARCHIVE_USER},{PARTNER_MANAGER},{ALLOW_EXPORT}", branch
        )
        cls.archive = cls.create_archive(
            "甲级只读客户", cls.rep, archive_tier="a", archive_department_id=branch.id
        )
        cls.Log = cls.env["customer.archive.audit.log"]

        cls.sensitive = cls.create_archive_user(
            "ro_audit_sensitive",
            "ro audit sensitive",
            f"{ARCHIVE_USER},{SENSITIVE},{PARTNER_MANAGER}",
            branch,
        )
        cls.person = cls.create_archive(
            "乙级敏感客户",
            cls.sensitive,
            archive_department_id=branch.id,
            archive_sensitive_consent_given=True,
            archive_sensitive_consent_method="call",
            archive_resident_id_number="11010519491231002X",
        )

    def _form_open(self):
        return self.call_kw("res.partner", "web_read", self.archive.ids, specification=FORM_SPECIFICATION)

    def _read_rows(self):
        return self.Log.search(
            [("partner_id", "=", self.archive.id), ("user_id", "=", self.rep.id), ("operation", "=", "read")]
        )

    def test_form_open_is_read_only_and_audited(self):
        self.assertIs(call_kw_is_readonly(self.env, "res.partner", "web_read"), True)
        self.authenticate("ro_audit_rep", "ro_audit_rep")
        seen, spy = self.spy_audit_log()
        with spy, self.assertNoLogs("odoo.http", "WARNING"), self.assertNoLogs("odoo.sql_db", "WARNING"):
            values = self._form_open()
        self.assertEqual(values[0]["name"], "甲级只读客户")
        # one audit row, written from the read-only request (not retried
        # read-write) in a read-write transaction of its own
        self.assertEqual(seen, [("ro", False)])
        self.assertEqual(len(self._read_rows()), 1)

    def test_audit_row_stays_when_the_request_fails_afterwards(self):
        self.authenticate("ro_audit_rep", "ro_audit_rep")
        IrHttp = type(self.env["ir.http"])

        def fail(*args, **kwargs):
            # a failure of the test itself, never shown to a user
            raise UserError("the request fails after the read")  # pylint: disable=translation-required

        seen, spy = self.spy_audit_log()
        # (not self.assertRaises: Odoo's rolls back a savepoint around its block)
        failed = None
        with spy, patch.object(IrHttp, "_post_dispatch", fail):
            try:
                self._form_open()
            except JsonRpcException as error:
                failed = error
        self.assertEqual(str(failed), "odoo.exceptions.UserError", "the request failed after the read")
        self.assertEqual(seen, [("ro", False)])
        # the request's transaction was rolled back, the audit row's was committed
        self.assertEqual(len(self._read_rows()), 1)

    def test_sensitive_value_read_is_read_only_and_audited(self):
        """The plain ID number is decrypted (and audited) while the field is
        computed, in the middle of the read-only web_read."""
        values, seen = self.audited_call_kw(
            "ro_audit_sensitive",
            "res.partner",
            "web_read",
            self.person.ids,
            specification={"name": {}, "archive_resident_id_number": {}},
        )
        self.assertEqual(values[0]["archive_resident_id_number"], "11010519491231002X")
        self.assertEqual(seen, [("ro", False)])
        row = self.Log.search([("partner_id", "=", self.person.id), ("user_id", "=", self.sensitive.id)])
        self.assertEqual(row.field_names, "archive_resident_id_number")

    def _export(self, names):
        return self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": "res.partner",
                        "fields": [{"name": name, "label": name} for name in names],
                        "ids": self.archive.ids,
                        "domain": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def test_export_is_read_only_and_audited(self):
        """An export reads (from the replica when there is one); only one
        with external ids (the "id" column) writes, and stays read-write."""
        self.authenticate("ro_audit_rep", "ro_audit_rep")
        seen, spy = self.spy_audit_log()
        with spy, self.assertNoLogs("odoo.http", "WARNING"):
            response = self._export(["name", "archive_number"])
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"), "an XLSX file")
        self.assertEqual(seen, [("ro", False)])
        exports = self.Log.search([("partner_id", "=", self.archive.id), ("operation", "=", "export")])
        self.assertEqual(exports.field_names, "archive_number, name")
        seen.clear()
        with spy:
            response = self._export(["id", "name"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(seen, [("rw", False)])

    def test_list_and_search_are_read_only(self):
        for method in ("web_search_read", "name_search", "search_count", "read", "web_read"):
            with self.subTest(method=method):
                self.assertIs(call_kw_is_readonly(self.env, "res.partner", method), True)
        found, seen = self.audited_call_kw(
            "ro_audit_rep",
            "res.partner",
            "web_search_read",
            domain=[("id", "=", self.archive.id)],
            specification={"display_name": {}, "archive_tier": {}},
            count_limit=10001,
        )
        self.assertEqual(found["length"], 1)
        # a list of one A-class archive is audited like its form, from the read-only request
        self.assertEqual(seen, [("ro", False)])


@tagged("post_install", "-at_install")
class TestReadRefusedWhenPrimaryDown(TransactionCase):
    """With the primary unreachable, an audited read from a read-only
    transaction fails with a message, and the server log names no person."""

    def test_read_refused_without_its_audit_row(self):
        # A real read-only transaction (its own connection) over committed demo data.
        archive = self.env["res.partner"].search(
            [("archive_tier", "=", "a"), ("is_customer_archive", "=", True)], limit=1
        )
        self.assertTrue(archive, "the demo has A-class archives")
        registry = Registry(self.env.cr.dbname)

        def primary_down(reg, readonly=False):
            raise psycopg2.OperationalError("connection refused")

        with registry.cursor() as ro_cr:
            # as Odoo opens a read-only cursor without replica (web/controllers/json.py)
            ro_cr.connection.set_session(readonly=True)
            self.addCleanup(ro_cr.connection.set_session, readonly=False)
            self.assertTrue(ro_cr.readonly)
            env = self.env(cr=ro_cr, user=self.env.ref("base.user_admin").id)
            with (
                patch.object(type(registry), "cursor", primary_down),
                self.assertLogs(
                    "odoo.addons.customer_archive.models.customer_archive_audit_log", "WARNING"
                ) as logs,
                self.assertRaises(UserError),
            ):
                env["customer.archive.audit.log"]._log_read(archive.with_env(env), "read")
        self.assertNotIn(archive.name, "\n".join(logs.output))
        self.assertIn("read refused", logs.output[0])
