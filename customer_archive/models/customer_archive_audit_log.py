from odoo import api, fields, models

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
        return self.sudo().create(vals_list)
