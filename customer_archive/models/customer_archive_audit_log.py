import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.sql_db import TestCursor

_logger = logging.getLogger(__name__)

AUDIT_OPERATIONS = [
    ("read", "Read"),
    ("write", "Write"),
    ("export", "Export"),
    ("unlink", "Delete"),
    ("anonymize", "Anonymise"),
    ("privacy_export", "Privacy Export"),
    ("grant", "Access Granted"),
    ("revoke", "Access Revoked"),
    ("lookup", "Access Request Lookup"),
]


class CustomerArchiveAuditLog(models.Model):
    """Who read, changed, exported or erased an A-class or sensitive archive,
    and when (审计). Rows are written by :meth:`_log` only; nobody edits them."""

    _name = "customer.archive.audit.log"
    _description = "Customer Archive Audit Log"
    _order = "date desc, id desc"
    _rec_name = "operation"

    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)
    user_id = fields.Many2one("res.users", required=True, index=True, readonly=True, ondelete="restrict")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, readonly=True, ondelete="set null"
    )
    archive_number = fields.Char(readonly=True, help="Archive number at the time of the operation.")
    operation = fields.Selection(AUDIT_OPERATIONS, required=True, index=True, readonly=True)
    field_names = fields.Char(string="Fields", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Integer(string="Document ID", readonly=True)
    detail = fields.Text(
        string="Detail as Logged",
        readonly=True,
        help="As written when the row was sealed (codes stay as they are, for the regulator export).",
    )
    field_labels = fields.Char(
        string="Fields Read or Changed",
        compute="_compute_field_labels",
        help="The labels of the fields, in the reader's language.",
    )

    detail_display = fields.Text(string="Detail", compute="_compute_detail_display")

    @api.depends("detail")
    @api.depends_context("lang")
    def _compute_detail_display(self):
        # Details written as codes (the insurance addon logs "create") are
        # shown in the reader's language; free text as it was written.
        codes = {"create": self.env._("Created")}
        for row in self:
            row.detail_display = codes.get(row.detail, row.detail)

    @api.depends("field_names", "res_model")
    @api.depends_context("lang")
    def _compute_field_labels(self):
        for row in self:
            model = self.env.get(row.res_model) if row.res_model else None
            names = [name.strip() for name in (row.field_names or "").split(",") if name.strip()]
            if model is None:
                row.field_labels = row.field_names
                continue
            row.field_labels = (
                ", ".join(
                    model._fields[name]._description_string(self.env) if name in model._fields else name
                    for name in names
                )
                or False
            )

    @api.model
    def _log(self, records, operation, field_names=None, detail=None, partners=None):
        """Write one audit row per record of ``records`` (any model) in one
        create. Records of ``res.partner`` are logged against themselves;
        other records against their ``partner_id`` when they have one.

        :param records: recordset of any model
        :param operation: one of ``AUDIT_OPERATIONS``
        :param field_names: iterable of field names (or a string) read, written or exported
        :param detail: free text
        :param partners: the person each record is about, when the record
            names it otherwise than ``partner_id`` (one per record)
        :return: the created log rows (sudo)
        """
        if not records:
            return self.sudo().browse()
        return self.sudo().create(
            self._log_values(records, operation, field_names=field_names, detail=detail, partners=partners)
        )

    @api.model
    def _log_values(self, records, operation, field_names=None, detail=None, partners=None):
        """The values of the audit rows :meth:`_log` writes (same parameters)."""
        if field_names and not isinstance(field_names, str):
            field_names = ", ".join(sorted(set(field_names)))
        # sudo: every user's access is logged, but only the archive
        # administrator may read the trail and nobody may write it.
        records = records.sudo()
        if partners is not None:
            partners = [partner.sudo() for partner in partners]
        elif records._name == "res.partner":
            partners = list(records)
        elif "partner_id" in records._fields and records._fields["partner_id"].comodel_name == "res.partner":
            partners = [record.partner_id for record in records]
        else:
            partners = [records.env["res.partner"]] * len(records)
        vals_list = [
            {
                "user_id": self.env.uid,
                "partner_id": partner.id,
                "archive_number": partner.commercial_partner_id.archive_number or False,
                "operation": operation,
                "field_names": field_names or False,
                "res_model": record._name,
                "res_id": record.id,
                "detail": detail or False,
            }
            for record, partner in zip(records, partners, strict=True)
        ]
        return vals_list

    @api.model
    def _log_read(self, records, operation="read", field_names=None, detail=None, partners=None):
        """Log an audited read (form open, sensitive values read, export)
        without making the request read-write.

        In a read-only transaction (Odoo 18 serves ``@api.readonly`` calls
        such as ``web_read`` from one, from the replica when
        ``db_replica_host`` is set) the rows are written in a short
        transaction of their own on the primary and committed at once: they
        stay when the request fails afterwards. When the primary cannot take
        them the read fails: an access to an audited archive is never served
        without its audit row (PIPL Art. 55, domain §4).

        In a read-write transaction the rows are written in it, like any
        other change of the request: the data read leaves the server only
        when that transaction commits, and the records read may be the
        transaction's own (created and not committed yet), which another
        transaction could neither see nor reference.

        Same parameters as :meth:`_log`; returns nothing.
        """
        if not records:
            return
        if not self.env.cr.readonly:
            self._log(records, operation, field_names=field_names, detail=detail, partners=partners)
            return
        # The values are read here (from the replica when the request is
        # served by one); the primary only takes the insert.
        vals_list = self._log_values(
            records, operation, field_names=field_names, detail=detail, partners=partners
        )
        if isinstance(self.env.cr, TestCursor) and self.env.cr._savepoint:
            # Odoo's test cursors share one connection and refuse a read-write
            # cursor over a read-only one that has begun (a real read-only
            # transaction is another connection and needs nothing). Ending the
            # read-only savepoint loses nothing (it wrote nothing) and keeps
            # the cache, which cr.rollback() would empty in the middle of a
            # computation (the sensitive fields are audited where computed).
            self.env.cr._savepoint.close(rollback=True)
            self.env.cr._savepoint = None
        model, count = records._name, len(records)
        try:
            with self.env.registry.cursor(readonly=False) as cr:
                # sudo: as in _log, nobody may write the trail but its writer
                self.env(cr=cr, su=True)["customer.archive.audit.log"].create(vals_list)
        except psycopg2.Error as error:
            # No personal data in the log: the model, the operation and the error code.
            _logger.warning(
                "audit: the %s of %s %s could not be logged on the primary database (%s): read refused",
                operation,
                count,
                model,
                error.pgcode or type(error).__name__,
            )
            raise UserError(
                self.env._(
                    "This access cannot be recorded in the audit trail right now (the main database does "
                    "not answer), so the data is not shown. Try again in a moment; if it goes on, tell "
                    "the administrator."
                )
            ) from None
