import datetime

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

SENSITIVE_GROUP = "customer_archive.group_archive_sensitive"
ADMIN_GROUP = "customer_archive.group_archive_admin"
# Readable and writable only by the group "Sensitive Data": hidden (removed,
# not greyed) from the views of everybody else.
SENSITIVE_FIELDS = ("archive_resident_id_number", "archive_bank_account_number", "archive_family_situation")
# The access columns the record rules of security/rules.xml compare, and the
# fields they are computed from (``_archive_access_query``).
ACCESS_COLUMNS = (
    "archive_access_restricted",
    "archive_access_tier",
    "archive_access_user_id",
    "archive_access_scope",
)
ACCESS_DEPENDENCIES_COLUMNS = ("is_customer_archive", "archive_tier", "archive_department_id", "user_id")
ACCESS_DEPENDENCIES = (
    *ACCESS_DEPENDENCIES_COLUMNS,
    *(f"commercial_partner_id.{name}" for name in ACCESS_DEPENDENCIES_COLUMNS),
)

# Cleared when a person is anonymised (besides every free-text field).
ANONYMISED_FIELDS = (
    "email",
    "phone",
    "mobile",
    "website",
    "street",
    "street2",
    "zip",
    "city",
    "vat",
    "ref",
    "function",
    "company_registry",
    "image_1920",
    "title",
    "archive_resident_id_number",
    "archive_unified_social_credit_code",
    "archive_bank_name",
    "archive_bank_account_number",
    "archive_family_situation",
    "archive_occupation",
    "archive_hobbies",
    "archive_education",
)
# Models whose rows are about the access to a person, not about the person.
PRIVACY_EXCLUDED_MODELS = (
    "res.partner",
    "res.users",
    "res.company",
    "customer.archive.audit.log",
    "customer.archive.access.grant",
    "customer.archive.access.request",
)
PRIVACY_EXCLUDED_PREFIXES = ("ir.", "bus.", "base.", "base_import.", "mail.guest", "discuss.", "web_")


class ResPartner(models.Model):
    """Who may see what (权限): the fields the record rules of
    ``security/rules.xml`` filter on, sensitive-field groups, the audit trail
    of A-class and sensitive archives, privacy export and anonymisation."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_resident_id_number = fields.Char(groups=SENSITIVE_GROUP)
    archive_bank_account_number = fields.Char(string="Bank Account Number", groups=SENSITIVE_GROUP)
    archive_family_situation = fields.Text(string="Family Situation", groups=SENSITIVE_GROUP)

    # The archive a partner belongs to for access: itself, or for a child
    # contact (key person) its commercial partner. Stored and indexed so
    # that the record rules compare plain columns of res_partner.
    archive_access_restricted = fields.Boolean(
        string="Access Restricted",
        compute="_compute_archive_access",
        store=True,
        index=True,
        help="Set on customer archives and their child contacts: the access rules apply to them.",
    )
    archive_access_tier = fields.Selection(
        selection=lambda self: self.env["res.partner"]._fields["archive_tier"].selection,
        string="Access Tier",
        compute="_compute_archive_access",
        store=True,
        index=True,
    )
    archive_access_user_id = fields.Many2one(
        "res.users",
        string="Access Responsible",
        compute="_compute_archive_access",
        store=True,
        index="btree_not_null",
    )
    # What the department arm of the rules compares, in one column: 0 for
    # partners every internal user sees (not an archive, or a B/C archive
    # without department), the department for a B/C archive, -1 for an
    # A-class archive (its rep, managers and grants only). One indexed
    # column turns that arm into a single index condition: the rules'
    # alternatives become a BitmapOr of three exact index scans instead of
    # a filter on every row (a rep's capped Contacts count reads the rows
    # they see, not five times as many).
    archive_access_scope = fields.Integer(
        string="Access Scope",
        compute="_compute_archive_access",
        store=True,
        index=True,
    )
    archive_grant_ids = fields.One2many(
        "customer.archive.access.grant", "partner_id", string="Access Grants", readonly=True
    )
    archive_grant_count = fields.Integer(compute="_compute_archive_grant_count")
    archive_anonymized_date = fields.Datetime(string="Anonymised On", readonly=True, copy=False)

    @api.depends(*ACCESS_DEPENDENCIES)
    def _compute_archive_access(self):
        """The access columns from ``_archive_access_query``, their one
        definition, read for the saved partners. A partner not saved yet (a
        form's onchange) takes the values of the partner it edits: the record
        rules only compare rows of the database."""
        origin_ids = {partner: partner._origin.id for partner in self}
        values = {}
        if any(origin_ids.values()):
            cr = self.env.cr
            cr.execute(
                self._archive_access_query(SQL("p.id = ANY(%s)", [i for i in origin_ids.values() if i]))
            )
            values = {row[0]: row[1:] for row in cr.fetchall()}
        for partner in self:
            restricted, tier, user_id, scope = values.get(origin_ids[partner], (False, False, False, 0))
            partner.archive_access_restricted = restricted
            partner.archive_access_tier = tier or False
            partner.archive_access_user_id = user_id or False
            partner.archive_access_scope = scope

    @api.model
    def _archive_access_columns(self, archive_tier=None):
        """The one definition of the access columns: ``{column: SQL
        expression}`` over the partner row ``p`` and the row ``a`` of its
        commercial partner (joined on ``COALESCE(p.commercial_partner_id,
        p.id)``). Used by their compute (``_archive_access_query``), by the
        update of the contacts of re-tiered archives
        (``_archive_access_update``) and by the statement that applies tier
        changes (``_archive_apply_tier_changes``, which passes the new tier
        of ``p`` as ``archive_tier``). Flushes the columns it reads.

        The archive of a partner is the partner itself, or for a child
        contact (key person) its commercial partner. Restricted: the
        partners of an archive. Scope: 0 for partners every internal user
        sees (not an archive, or a B/C archive without department), the
        department for a B/C archive, -1 for an A-class archive (its rep,
        managers and grants only)."""
        self.flush_model([*ACCESS_DEPENDENCIES_COLUMNS, "commercial_partner_id"])
        own = {"archive_tier": archive_tier} if archive_tier is not None else {}

        def archive(column):
            return SQL(
                "CASE WHEN p.is_customer_archive THEN %(own)s ELSE a.%(column)s END",
                own=own.get(column, SQL("p.%s", SQL.identifier(column))),
                column=SQL.identifier(column),
            )

        restricted = SQL("(COALESCE(p.is_customer_archive, FALSE) OR COALESCE(a.is_customer_archive, FALSE))")
        tier = archive("archive_tier")
        return {
            "archive_access_restricted": restricted,
            "archive_access_tier": SQL("CASE WHEN %s THEN %s END", restricted, tier),
            "archive_access_user_id": SQL("CASE WHEN %s THEN %s END", restricted, archive("user_id")),
            "archive_access_scope": SQL(
                "CASE WHEN NOT %s THEN 0 WHEN %s = 'a' THEN -1 ELSE COALESCE(%s, 0) END",
                restricted,
                tier,
                archive("archive_department_id"),
            ),
        }

    @api.model
    def _archive_access_query(self, condition):
        """``SELECT id, <the access columns>`` of the partners ``p`` matching
        the SQL ``condition`` (``_archive_access_columns``)."""
        columns = self._archive_access_columns()
        return SQL(
            """
            SELECT p.id, %(columns)s
              FROM res_partner p
              JOIN res_partner a ON a.id = COALESCE(p.commercial_partner_id, p.id)
             WHERE %(condition)s
            """,
            columns=SQL(", ").join(
                SQL("%s AS %s", columns[name], SQL.identifier(name)) for name in ACCESS_COLUMNS
            ),
            condition=condition,
        )

    def _archive_access_update(self):
        """Write the access columns of these partners (by their one
        definition) in one statement; returns the partners written, whose
        access columns are then up to date in the database."""
        if not self:
            return self.browse()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE res_partner t
                   SET %(assignments)s
                  FROM (%(values)s) v
                 WHERE t.id = v.id
             RETURNING t.id
                """,
                assignments=SQL(", ").join(
                    SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name)) for name in ACCESS_COLUMNS
                ),
                values=self._archive_access_query(SQL("p.id = ANY(%s)", self.ids)),
            )
        )
        written = self.browse([row[0] for row in cr.fetchall()])
        written.invalidate_recordset(list(ACCESS_COLUMNS))
        return written

    def _compute_archive_grant_count(self):
        # sudo: the count of grants is shown to the managers on the archive form.
        counts = dict(
            self.env["customer.archive.access.grant"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "active")], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.archive_grant_count = counts.get(partner.sudo(), 0)

    @api.model
    def check_field_access_rights(self, operation, field_names):
        """A sensitive field refused in the reader's language, with its label
        and what to do, instead of Odoo's message naming the technical field
        and the model."""
        if not self.env.su and field_names:
            denied = [
                name
                for name in SENSITIVE_FIELDS
                if name in field_names and not self._fields[name].is_accessible(self.env)
            ]
            if denied:
                group = self.env.ref(SENSITIVE_GROUP).sudo()
                raise AccessError(
                    self.env._(
                        "%(fields)s: sensitive data of customer archives, read and changed only by the "
                        "members of the group %(group)s. Ask the archive administrator for that right, or "
                        "leave these fields out.",
                        fields=", ".join(self._fields[name]._description_string(self.env) for name in denied),
                        group=group.name,
                    )
                )
        return super().check_field_access_rights(operation, field_names)

    # ------------------------------------------------------------------
    # Audit: form opens, writes, exports and deletions
    # ------------------------------------------------------------------
    def _archive_audited(self, field_names=()):
        """The records of self whose access is audited: A-class archives and
        their contacts, and all of self when sensitive fields are involved."""
        if set(field_names) & set(SENSITIVE_FIELDS):
            return self
        # sudo: the tier decides the audit, also for records the user cannot read.
        return self.sudo().filtered(lambda partner: partner.archive_access_tier == "a").with_env(self.env)

    def web_read(self, specification):
        try:
            result = super().web_read(specification)
        except AccessError:
            self._archive_raise_no_access()
            raise
        if (
            len(self) == 1
            and not self.env.su
            and not self.env.context.get("customer_archive_no_read_log")
            and set(specification) - {"id", "display_name"}
        ):
            # The plain sensitive values are audited where they are decrypted
            # (res_partner_masking._encrypted_audit_read), for every read.
            # web_read stays read-only (servable by a replica): the audit row
            # goes into a short transaction of its own on the primary.
            audited = self._archive_audited()
            if audited:
                self.env["customer.archive.audit.log"]._log_read(audited, "read")
        return result

    def _archive_raise_no_access(self):
        """A user opens an archive they may not read (a link, a direct URL):
        instead of Odoo's generic access error, a message in their language
        that names nothing of the archive, and the id the web client already
        has, for its "Request Access" button (static/src/js/archive_no_access)."""
        if len(self) != 1 or self.env.su:
            return
        # sudo: whether the record is an archive (or a contact of one) decides the message.
        partner = self.sudo().exists()
        if not partner or not partner.archive_access_restricted or self._filtered_access("read"):
            return
        error = AccessError(
            self.env._(
                "You may not open this customer archive. Request access to it: an approver decides, "
                "and you can open it for the time they grant."
            )
        )
        error.context = {"exception_class": "customer_archive.no_access", "archive_id": self.id}
        # from None: the generic error (with the record's name in debug
        # mode) does not travel along in the traceback.
        raise error from None

    def web_save(self, vals, specification, next_id=None):
        # The write is logged; the read that follows the save is not a form open.
        return super(ResPartner, self.with_context(customer_archive_no_read_log=True)).web_save(
            vals, specification, next_id=next_id
        )

    # Hooks of res.partner's write (res_partner.py)
    def _archive_before_write_audit(self, vals):
        """The records whose write is audited (for ``_archive_after_write_audit``)."""
        audited = self.browse()
        if not self.env.su and self:
            audited = self._archive_audited(vals)
            if vals.get("archive_tier") == "a":
                audited |= self.filtered("is_customer_archive")
        return audited

    def _archive_after_write_audit(self, vals, audited):
        if audited:
            self.env["customer.archive.audit.log"]._log(audited, "write", field_names=list(vals))

    def unlink(self):
        if not self.env.su:
            # sudo: deleted records are logged whatever the user may read.
            with_sensitive = (
                self.sudo()
                .filtered(lambda partner: any(partner[name] for name in SENSITIVE_FIELDS))
                .with_env(self.env)
            )
            audited = self._archive_audited() | with_sensitive
            if audited:
                self.env["customer.archive.audit.log"]._log(audited, "unlink")
        return super().unlink()

    def export_data(self, fields_to_export):
        if not self.env.su:
            names = [path.split("/")[-1].removesuffix(".id") for path in fields_to_export]
            audited = self._archive_audited(names)
            if audited:
                self.env["customer.archive.audit.log"]._log_read(audited, "export", field_names=names)
        result = super().export_data(fields_to_export)
        if not self._archive_reads_unmasked():
            self._archive_mask_exported_phones(fields_to_export, result)
        return result

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """Nobody but the archive administrator deletes customer archives
        (``_unlink_except_customer_archive``): the others are not offered
        Delete in the form, list and kanban menus. The cached view is the
        same for everybody; this runs per user after it, as Odoo's own
        access-rights post-processing does."""
        result = super().get_view(view_id, view_type, **options)
        if (
            view_type in ("form", "list", "kanban")
            and not self.env.su
            and not self.env.user.has_group(ADMIN_GROUP)
        ):
            node = etree.fromstring(result["arch"])
            node.set("delete", "0")
            result["arch"] = etree.tostring(node, encoding="unicode")
        return result

    def action_open_archive_grants(self):
        return self._archive_open_action(
            "customer_archive.action_customer_archive_access_grant",
            context={"search_default_filter_active": 1},
        )

    def action_open_archive_audit_log(self):
        return self._archive_open_action(
            "customer_archive.action_customer_archive_audit_log", [("partner_id", "child_of", self.id)], {}
        )

    # ------------------------------------------------------------------
    # Privacy (个人信息保护): export and anonymisation, archive admin only
    # ------------------------------------------------------------------
    def _check_archive_admin(self):
        if not self.env.su and not self.env.user.has_group(ADMIN_GROUP):
            raise AccessError(
                self.env._(
                    "Only the Archive Administrator may export or anonymise the personal data of %(names)s.",
                    names=", ".join(self.sudo().mapped("display_name")),
                )
            )

    def action_archive_privacy_export(self):
        self.ensure_one()
        self._check_archive_admin()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Privacy Export"),
            "res_model": "customer.archive.privacy.export",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    @api.model
    def _privacy_value(self, value):
        if isinstance(value, tuple) and len(value) == 2:
            return value[1]
        if isinstance(value, datetime.date | datetime.datetime):
            return value.isoformat()
        if isinstance(value, bytes):
            return value.decode(errors="replace")
        return value

    @api.model
    def _privacy_rows(self, records):
        # Encrypted fields are exported as their plain values, not as the
        # ciphertext and blind-index columns that store them.
        encrypted = getattr(records, "_encrypted_fields", {})
        storage = {f"{name}_{suffix}" for name in encrypted for suffix in ("encrypted", "blind_index")}
        names = [
            name
            for name, field in records._fields.items()
            if (field.store or name in encrypted)
            and field.type not in ("binary", "one2many")
            and name not in ("write_uid", "create_uid")
            and name not in storage
        ]
        return [
            {name: self._privacy_value(value) for name, value in row.items()}
            for row in records.with_context(bin_size=True).read(names)
        ]

    def _archive_privacy_data(self):
        """Everything stored about the person (and their child contacts),
        found generically through the stored many2one and many2many fields
        that point to res.partner, plus their chatter and attachments.

        :return: dict section name → list of row dicts
        """
        self.ensure_one()
        self._check_archive_admin()
        # sudo: the administrator exports everything, including fields of
        # groups they are not in (e.g. health data of other addons).
        partners = self.sudo().with_context(active_test=False).search([("id", "child_of", self.id)])
        data = {"res.partner": self._privacy_rows(partners)}
        relations = (
            self.env["ir.model.fields"]
            .sudo()
            .search(
                [
                    ("relation", "=", "res.partner"),
                    ("ttype", "in", ("many2one", "many2many")),
                    ("store", "=", True),
                ]
            )
        )
        domains = {}
        for field in relations:
            if field.model in PRIVACY_EXCLUDED_MODELS or field.model.startswith(PRIVACY_EXCLUDED_PREFIXES):
                continue
            model = self.env.get(field.model)
            if model is None or model._abstract or model._transient or not model._auto:
                continue
            if field.name not in model._fields or not model._fields[field.name].store:
                continue
            domains.setdefault(field.model, []).append([(field.name, "in", partners.ids)])
        for model_name in ("mail.message", "ir.attachment"):
            domains.setdefault(model_name, []).append(
                [
                    ("model" if model_name == "mail.message" else "res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                ]
            )
        for model_name, model_domains in sorted(domains.items()):
            records = (
                self.env[model_name]
                .sudo()
                .with_context(active_test=False)
                .search(expression.OR(model_domains))
            )
            if records:
                data[model_name] = self._privacy_rows(records)
        return data

    @api.model
    def _archive_anonymize_targets(self, partners):
        """The records about ``partners`` whose free text an anonymisation
        erases, as ``(records, values)`` pairs. Numbers, amounts, dates and
        states stay for the statistics; other addons add their own models."""
        erased = self.env._("Anonymised")
        env = self.env(su=True)
        partner_domain = [("partner_id", "in", partners.ids)]
        return [
            (env["customer.archive.transaction"].search(partner_domain), {"place": False, "note": False}),
            (
                env["customer.archive.feedback"].search(partner_domain),
                {"name": erased, "description": False, "follow_up": False},
            ),
            (
                env["customer.archive.interaction"].search(partner_domain),
                {"summary": erased, "person_met_id": False, "person_met_name": False, "outcome": False},
            ),
            (
                env["customer.archive.document"].search(partner_domain),
                {"name": erased, "file": False, "file_name": False, "note": False},
            ),
            (
                env["mail.activity"].search(
                    [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
                ),
                {"summary": erased, "note": False},
            ),
        ]

    def action_archive_anonymize(self):
        """Erase the person: name, contacts, identifiers, free text, bank and
        family data of the archive and its child contacts, the bodies of
        their messages and their attachments. Transactions keep their
        numbers, amounts and dates for the statistics."""
        self._check_archive_admin()
        for archive in self:
            # sudo: the administrator erases also fields of groups they are not in.
            partners = archive.sudo().with_context(active_test=False).search([("id", "child_of", archive.id)])
            number = archive.commercial_partner_id.sudo().archive_number or str(archive.id)
            text_fields = [
                name
                for name, field in partners._fields.items()
                if field.type in ("text", "html") and field.store and not field.compute and not field.related
            ]
            clear = dict.fromkeys([*ANONYMISED_FIELDS, *text_fields], False)
            clear = {name: value for name, value in clear.items() if name in partners._fields}
            quiet = partners.with_context(tracking_disable=True, mail_notrack=True)
            for index, partner in enumerate(quiet):
                birth = partner.archive_birth_date
                partner.write(
                    {
                        **clear,
                        # Only the year is kept: age bands stay right.
                        "archive_birth_date": birth and birth.replace(month=1, day=1),
                        "name": self.env._("Anonymised %(number)s", number=number)
                        + (f" / {index}" if partner != archive else ""),
                        "archive_anonymized_date": fields.Datetime.now(),
                    }
                )
            partners.bank_ids.write({"acc_holder_name": False, "active": False})
            messages = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [
                        "|",
                        "&",
                        ("model", "=", "res.partner"),
                        ("res_id", "in", partners.ids),
                        ("author_id", "in", partners.ids),
                    ]
                )
            )
            messages.write({"body": self.env._("<p>Anonymised</p>"), "subject": False, "email_from": False})
            messages.tracking_value_ids.unlink()
            messages.attachment_ids.unlink()
            self.env["ir.attachment"].sudo().search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ).unlink()
            # Free text of the archive's own records (transactions, feedback,
            # visits, documents, activities…): numbers, amounts and dates stay.
            for records, values in self._archive_anonymize_targets(partners):
                records = records.sudo().with_context(tracking_disable=True, mail_notrack=True)
                records.write(values)
                if "message_ids" in records._fields:
                    records.message_ids.write(
                        {"body": self.env._("<p>Anonymised</p>"), "subject": False, "email_from": False}
                    )
                    records.message_ids.tracking_value_ids.unlink()
                self.env["ir.attachment"].sudo().search(
                    [("res_model", "=", records._name), ("res_id", "in", records.ids)]
                ).unlink()
            self.env["customer.archive.audit.log"]._log(
                archive, "anonymize", detail=self.env._("%(count)s partners anonymised", count=len(partners))
            )
        return True
