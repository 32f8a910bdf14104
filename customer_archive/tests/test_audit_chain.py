"""The audit trail you can prove: nobody changes or deletes a row through
Odoo, the hash chain finds a row edited or removed in SQL, retention and
the export for a regulator."""

import base64
import csv
import io
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestAuditChain(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["customer.archive.audit.log"]
        cls.partner = cls.env["res.partner"].create({"name": "审计链客户", "archive_tier": "a"})

    def _rows(self, count):
        rows = self.Log.browse()
        for index in range(count):
            rows |= self.Log._log(self.partner, "read", field_names=["name"], detail=f"row {index}")
        return rows

    def test_nobody_changes_or_deletes_a_row_through_odoo(self):
        row = self._rows(1)
        # The archive administrator reads the trail but may not touch it…
        with self.assertRaises(AccessError):
            row.with_user(self.archive_admin).write({"detail": "changed"})
        with self.assertRaises(AccessError):
            row.with_user(self.archive_admin).unlink()
        # …and neither may the superuser.
        with self.assertRaises(UserError):
            row.sudo().write({"detail": "changed"})
        with self.assertRaises(UserError):
            row.sudo().unlink()

    def test_rows_are_chained_in_order(self):
        rows = self._rows(3)
        self.Log._seal_chain(limit=10**9)
        rows.invalidate_recordset()
        indexes = rows.sorted("id").mapped("chain_index")
        self.assertEqual(indexes, [indexes[0], indexes[0] + 1, indexes[0] + 2])
        first, second, _third = rows.sorted("id")
        self.assertEqual(second.previous_hash, first.row_hash)
        self.assertEqual(len(first.row_hash), 64)
        self.assertEqual(self.Log._verify_chain(), [])
        # Sealing again does nothing; new rows continue the chain.
        self.assertEqual(self.Log._seal_chain(), 0)
        later = self._rows(1)
        self.Log._seal_chain()
        self.assertEqual(later.chain_index, indexes[0] + 3)
        self.assertEqual(later.previous_hash, _third.row_hash)
        action = self.Log.with_user(self.archive_admin).action_verify_chain()
        self.assertEqual(action["params"]["type"], "success")

    def test_one_sealer_at_a_time(self):
        """Two transactions sealing at the same time never give two rows the
        same place: the second finds the advisory lock taken and leaves the
        rows to the first (the inserts themselves never wait)."""
        self._rows(2)
        self.assertGreaterEqual(self.Log._seal_chain(), 2)  # this transaction holds the lock now
        with self.env.registry.cursor() as other_cr:
            other = self.env(cr=other_cr)["customer.archive.audit.log"]
            # the other transaction inserts without waiting…
            other._log(
                other.env["res.partner"].browse(self.partner.id).exists() or other.env.user.partner_id, "read"
            )
            # …and its sealer gives way to ours
            self.assertEqual(other._seal_chain(), 0)
            other_cr.rollback()

    def test_a_row_edited_in_sql_is_found(self):
        rows = self._rows(3)
        self.Log._seal_chain(limit=10**9)
        middle = rows.sorted("id")[1]
        self.env.cr.execute(
            SQL("UPDATE customer_archive_audit_log SET detail = 'nothing happened' WHERE id = %s", middle.id)
        )
        problems = self.Log._verify_chain()
        self.assertEqual(len(problems), 1)
        self.assertIn(f"id {middle.id}", problems[0])
        action = self.Log.with_user(self.archive_admin).action_verify_chain()
        self.assertEqual(action["params"]["type"], "danger")

    def test_a_row_removed_in_sql_is_found(self):
        rows = self._rows(3)
        self.Log._seal_chain(limit=10**9)
        middle = rows.sorted("id")[1]
        self.env.cr.execute(SQL("DELETE FROM customer_archive_audit_log WHERE id = %s", middle.id))
        problems = self.Log._verify_chain()
        self.assertTrue(any("missing" in problem for problem in problems))
        self.assertTrue(any("does not follow" in problem for problem in problems))

    def test_a_rebuilt_hash_without_its_successor_is_found(self):
        rows = self._rows(3).sorted("id")
        self.Log._seal_chain(limit=10**9)
        # Edit a row and recompute its own hash: the next row no longer follows.
        self.env.cr.execute(
            SQL("UPDATE customer_archive_audit_log SET operation = 'write' WHERE id = %s", rows[1].id)
        )
        self.env.cr.execute(
            SQL(
                "SELECT id, previous_hash, chain_index, date, user_id, partner_id, archive_number, operation,"
                " field_names, res_model, res_id, detail FROM customer_archive_audit_log WHERE id = %s",
                rows[1].id,
            )
        )
        row = self.env.cr.dictfetchone()
        self.env.cr.execute(
            SQL(
                "UPDATE customer_archive_audit_log SET row_hash = %s WHERE id = %s",
                self.Log._row_digest(row, row["previous_hash"]),
                rows[1].id,
            )
        )
        problems = self.Log._verify_chain()
        self.assertEqual(len(problems), 1)
        self.assertIn("does not follow", problems[0])

    def test_retention_keeps_three_years_then_purges_the_oldest(self):
        # A trail that starts in 2021 (the rows of the demo data are of today).
        self.env.cr.execute(SQL("DELETE FROM customer_archive_audit_log"))
        with freeze_time("2021-03-01 10:00:00"):
            old = self._rows(2)
            self.Log._seal_chain(limit=10**9)
        with freeze_time("2023-06-01 10:00:00"):
            recent = self._rows(1)
            self.Log._seal_chain()
        self.env["ir.config_parameter"].sudo().set_param("customer_archive.audit_retention_years", "1")
        self.assertEqual(self.Log._retention_years(), 3, "never less than 3 years")
        with freeze_time("2024-12-01 10:00:00"):
            purged = self.Log._cron_purge_expired()
        self.assertGreaterEqual(purged, 2)
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.assertEqual(self.Log._verify_chain(), [])
        self.assertLess(self.Log.search([], order="date", limit=1).date, datetime(2024, 1, 1))

    def test_export_for_a_regulator(self):
        rows = self._rows(2)
        with self.assertRaises(UserError):
            rows.with_user(self.rep).action_export_for_regulator()
        action = rows.with_user(self.archive_admin).action_export_for_regulator()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        lines = list(csv.reader(io.StringIO(base64.b64decode(attachment.datas).decode("utf-8-sig"))))
        self.assertEqual(lines[0][:2], ["chain_index", "date"])
        self.assertEqual(len(lines), 3)
        self.assertEqual({line[9] for line in lines[1:]}, {"row 0", "row 1"})
        self.assertTrue(all(len(line[11]) == 64 for line in lines[1:]))
