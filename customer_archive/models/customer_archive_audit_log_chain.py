import base64
import csv
import hashlib
import io
import json
import logging

from dateutil.relativedelta import relativedelta

import odoo
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.notification import notify

_logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key of the sealing of the audit chain (one sealer at a time)
CHAIN_LOCK = 0x435541  # "CUA"
GENESIS_HASH = "0" * 64
SEAL_CHUNK = 5000
RETENTION_PARAMETER = "customer_archive.audit_retention_years"
DEFAULT_RETENTION_YEARS = 3
# The columns a row's hash covers, in this order.
HASHED_COLUMNS = (
    "chain_index",
    "date",
    "user_id",
    "partner_id",
    "archive_number",
    "operation",
    "field_names",
    "res_model",
    "res_id",
    "detail",
)


class CustomerArchiveAuditLog(models.Model):
    """An audit trail you can prove (PIPL Art. 51, 55-56): rows cannot be
    changed or deleted through Odoo (by anybody, the administrator and sudo
    included), and are chained: each sealed row stores a SHA-256 over its
    content and the hash of the row before it, so that
    :meth:`action_verify_chain` finds an edited or removed row.

    Rows are sealed in commit order by :meth:`_seal_chain` (scheduled every
    few minutes, and before a verification), under an advisory lock: two
    transactions inserting at the same time never take the same place in the
    chain, and an insert never waits for another one. Rows are kept
    ``customer_archive.audit_retention_years`` years (at least 3), then the
    oldest are purged as a prefix of the chain."""

    _inherit = "customer.archive.audit.log"

    chain_index = fields.Integer(readonly=True, copy=False, index="btree_not_null")
    previous_hash = fields.Char(readonly=True, copy=False)
    row_hash = fields.Char(string="Hash", readonly=True, copy=False)

    _sql_constraints = [
        (
            "chain_index_unique",
            "unique(chain_index)",
            "Two audit rows cannot have the same place in the chain.",
        ),
    ]

    # ------------------------------------------------------------------
    # Nobody changes or deletes an audit row through Odoo
    # ------------------------------------------------------------------
    def write(self, vals):
        self.check_access("write")
        if self:
            raise UserError(self.env._("Audit log rows cannot be changed, not even by an administrator."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_row(self):
        raise UserError(
            self.env._(
                "Audit log rows cannot be deleted: they are kept %(years)s years and then purged by the "
                "scheduled retention job.",
                years=self._retention_years(),
            )
        )

    # ------------------------------------------------------------------
    # Chain
    # ------------------------------------------------------------------
    @api.model
    def _row_digest(self, row, previous_hash):
        content = [row[name] for name in HASHED_COLUMNS]
        content[HASHED_COLUMNS.index("date")] = row["date"].isoformat() if row["date"] else None
        payload = json.dumps([previous_hash, *content], ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _chain_head(self):
        self.env.cr.execute(
            SQL(
                "SELECT chain_index, row_hash FROM customer_archive_audit_log"
                " WHERE chain_index IS NOT NULL ORDER BY chain_index DESC LIMIT 1"
            )
        )
        return self.env.cr.fetchone() or (0, GENESIS_HASH)

    @api.model
    def _seal_chain(self, limit=SEAL_CHUNK):
        """Chain the committed rows not sealed yet, in id order, at most
        ``limit``; returns how many. Another sealer running → 0 (it seals them)."""
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", CHAIN_LOCK))
        if not self.env.cr.fetchone()[0]:
            return 0
        index, previous = self._chain_head()
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM customer_archive_audit_log WHERE chain_index IS NULL ORDER BY id LIMIT %s",
                SQL(", ").join(SQL.identifier(name) for name in HASHED_COLUMNS[1:]),
                limit,
            )
        )
        rows = self.env.cr.dictfetchall()
        for row in rows:
            index += 1
            row["chain_index"] = index
            digest = self._row_digest(row, previous)
            self.env.cr.execute(
                SQL(
                    "UPDATE customer_archive_audit_log SET chain_index = %s, previous_hash = %s, row_hash = %s"
                    " WHERE id = %s",
                    index,
                    previous,
                    digest,
                    row["id"],
                )
            )
            previous = digest
        if rows:
            self.invalidate_model(["chain_index", "previous_hash", "row_hash"])
            _logger.info("audit chain sealed up to %s, head hash %s", index, previous)
        return len(rows)

    @api.model
    def _cron_seal_chain(self):
        """Scheduled: seal in committed chunks (fits the worker limits)."""
        while self._seal_chain():
            if not odoo.modules.module.current_test:  # tests run in one transaction
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _verify_chain(self):
        """Recompute every sealed row's hash in chain order.

        :return: list of problems (translated strings); empty when the chain holds
        """
        self.env.flush_all()
        problems = []
        self.env.cr.execute(
            SQL(
                "SELECT id, previous_hash, row_hash, %s FROM customer_archive_audit_log"
                " WHERE chain_index IS NOT NULL ORDER BY chain_index",
                SQL(", ").join(SQL.identifier(name) for name in HASHED_COLUMNS),
            )
        )
        expected_index = None
        previous = None
        for row in self.env.cr.dictfetchall():
            if expected_index is not None and row["chain_index"] != expected_index:
                problems.append(
                    self.env._(
                        "Audit rows %(first)s to %(last)s of the chain are missing (deleted).",
                        first=expected_index,
                        last=row["chain_index"] - 1,
                    )
                )
            if previous is not None and row["previous_hash"] != previous:
                problems.append(
                    self.env._(
                        "Audit row %(index)s does not follow the row before it: a row was removed or changed.",
                        index=row["chain_index"],
                    )
                )
            if self._row_digest(row, row["previous_hash"]) != row["row_hash"]:
                problems.append(
                    self.env._(
                        "Audit row %(index)s (id %(id)s) was changed after it was written.",
                        index=row["chain_index"],
                        id=row["id"],
                    )
                )
            expected_index = row["chain_index"] + 1
            previous = row["row_hash"]
        return problems

    # No @api.model: the list's header button (display="always") calls it
    # through call_button with the (empty) selection as its ids.
    def action_verify_chain(self):
        """Seal what is pending, verify the whole chain, say the result."""
        self._check_audit_reader()
        # sudo: sealing writes the chain columns, which nobody may write through the ORM
        self.sudo()._seal_chain(limit=10**9)
        problems = self.sudo()._verify_chain()
        index, head = self.sudo()._chain_head()
        if problems:
            message = "\n".join(problems)
            kind = "danger"
            title = self.env._("The audit trail was tampered with")
        else:
            message = self.env._(
                "%(count)s audit rows verified; the chain is intact. Head hash: %(hash)s",
                count=index,
                hash=head,
            )
            kind = "success"
            title = self.env._("Audit trail intact")
        return notify(message, kind=kind, sticky=bool(problems), title=title)

    def _check_audit_reader(self):
        if not self.env.su and not self.env.user.has_group("customer_archive.group_archive_admin"):
            raise UserError(
                self.env._("Only the Archive Administrator may verify or export the audit trail.")
            )

    # ------------------------------------------------------------------
    # Retention and export for a regulator
    # ------------------------------------------------------------------
    @api.model
    def _retention_years(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAMETER, DEFAULT_RETENTION_YEARS)
        try:
            years = int(value)
        except ValueError:
            years = DEFAULT_RETENTION_YEARS
        return max(years, DEFAULT_RETENTION_YEARS)

    @api.model
    def _cron_purge_expired(self):
        """Delete the sealed rows older than the retention period, as a
        prefix of the chain (the rows after them still verify)."""
        self._seal_chain()
        limit_date = fields.Datetime.now() - relativedelta(years=self._retention_years())
        self.env.cr.execute(
            SQL(
                """
                SELECT max(chain_index) FROM customer_archive_audit_log
                 WHERE chain_index < COALESCE(
                    (SELECT min(chain_index) FROM customer_archive_audit_log
                      WHERE chain_index IS NOT NULL AND date >= %s), 2147483647)
                """,
                limit_date,
            )
        )
        last = self.env.cr.fetchone()[0]
        if not last:
            return 0
        self.env.cr.execute(SQL("DELETE FROM customer_archive_audit_log WHERE chain_index <= %s", last))
        count = self.env.cr.rowcount
        self.invalidate_model()
        _logger.info("audit trail: %s rows older than %s purged (chain up to %s)", count, limit_date, last)
        return count

    def action_export_for_regulator(self):
        """A CSV of the selected rows (or all) with their hashes, for a regulator."""
        self._check_audit_reader()
        # sudo: the chain is sealed before the export (chain columns are system-written)
        self.sudo()._seal_chain(limit=10**9)
        records = self or self.search([("chain_index", "!=", False)])
        records = records.sudo().sorted(lambda row: (row.chain_index or 0, row.id))
        stream = io.StringIO()
        writer = csv.writer(stream)
        header = [*HASHED_COLUMNS, "previous_hash", "row_hash", "user", "customer"]
        writer.writerow(header)
        for row in records:
            writer.writerow(
                [
                    row.chain_index,
                    fields.Datetime.to_string(row.date),
                    row.user_id.id,
                    row.partner_id.id or "",
                    row.archive_number or "",
                    row.operation,
                    row.field_names or "",
                    row.res_model or "",
                    row.res_id or "",
                    row.detail or "",
                    row.previous_hash,
                    row.row_hash,
                    row.user_id.name,
                    row.partner_id.display_name or "",
                ]
            )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"audit_log_{fields.Date.context_today(self)}.csv",
                    "datas": base64.b64encode(stream.getvalue().encode("utf-8-sig")),
                    "mimetype": "text/csv",
                    "res_model": self._name,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
