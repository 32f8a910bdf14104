import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

# Who sees which archive a request line points to (the archive itself, not
# only what the requester typed): the approvers.
APPROVER_GROUPS = (
    "customer_archive.group_archive_service_manager,customer_archive.group_archive_marketing_manager"
)


class CustomerArchiveAccessRequestLine(models.Model):
    """One archive an access request asks for, as the requester named it.

    The requester cannot read the archive: they name it by what they already
    know, its archive number or its full exact name (or a link that named
    it), and the line keeps the number and, only where they knew it, the
    name. The archive itself (``partner_id``) is for the approvers. No
    search by prefix and no id: one exact lookup finds one archive or none,
    and every lookup is in the audit trail (no enumeration of the archives,
    A级客户资料的查询…)."""

    _name = "customer.archive.access.request.line"
    _description = "Customer Archive Access Request Line"
    _order = "request_id, id"
    _rec_name = "archive_number"

    request_id = fields.Many2one(
        "customer.archive.access.request", required=True, index=True, ondelete="cascade"
    )
    reference = fields.Char(
        string="Archive Number or Full Name",
        required=True,
        help="The archive number (e.g. KH-2026-000001) or the customer's full name, exactly as in the "
        "archive. Nothing is searched by a part of a name.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Archive",
        readonly=True,
        index=True,
        ondelete="cascade",
        groups=APPROVER_GROUPS,
    )
    archive_number = fields.Char(readonly=True)
    archive_name = fields.Char(
        string="Customer Name",
        readonly=True,
        help="The customer's name, shown where the requester already knew it.",
    )

    @api.depends("archive_number", "archive_name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                " ".join(filter(None, (line.archive_number, line.archive_name))) or line.reference
            )

    # ------------------------------------------------------------------
    # The one exact lookup
    # ------------------------------------------------------------------
    @api.model
    def _archive_normalise(self, reference):
        return " ".join((reference or "").split())

    @api.model
    def _archive_lookup(self, reference):
        """The archive a requester names: ``(archive, name_known)``, an empty
        recordset when none has exactly this number or name. Audited."""
        text = self._archive_normalise(reference)
        # sudo: the requester names an archive they may not read; the
        # exact number or name is all that is compared, one row returned.
        Partner = self.env["res.partner"].sudo()
        archive = Partner.browse()
        by_name = False
        if text:
            archive = Partner.search(
                [("is_customer_archive", "=", True), ("archive_number", "=", text.upper())], limit=1
            )
            if not archive:
                archive = Partner.search([("is_customer_archive", "=", True), ("name", "=", text)], limit=2)
                by_name = True
        self._archive_log_lookup(text, archive[:1], detail_suffix="ambiguous" if len(archive) > 1 else "")
        if len(archive) > 1:
            raise UserError(
                self.env._(
                    "Archive Number or Full Name: several archives are named %(name)s; "
                    "name the archive by its archive number.",
                    name=text,
                )
            )
        known = by_name or bool(archive.with_env(self.env)._filtered_access("read"))
        return archive, known

    @api.model
    def _archive_log_lookup(self, text, archive, detail_suffix=""):
        detail = self.env._("Access request lookup: %(reference)s", reference=text)
        if detail_suffix:
            detail = f"{detail} ({detail_suffix})"
        elif not archive:
            detail = self.env._("Access request lookup without result: %(reference)s", reference=text)
        self.env["customer.archive.audit.log"]._log(
            archive or self.env.user, "lookup", detail=detail, partners=[archive]
        )

    @api.model
    def _archive_line_values(self, archive, known):
        return {
            "archive_number": archive.archive_number,
            "archive_name": archive.name if known else False,
        }

    @api.onchange("reference")
    def _onchange_reference(self):
        for line in self:
            if not line.reference:
                line.archive_number = line.archive_name = False
                continue
            archive, known = line._archive_lookup(line.reference)
            if not archive:
                line.archive_number = line.archive_name = False
                return {"warning": line._archive_not_found_warning()}
            line.update(line._archive_line_values(archive, known))
        return None

    def _archive_not_found_warning(self):
        return {
            "title": self.env._("No such archive"),
            "message": self.env._(
                "No customer archive has the archive number or the exact full name %(reference)s. "
                "Check it, or ask the archive's rep for its archive number.",
                reference=self._archive_normalise(self.reference),
            ),
        }

    # ------------------------------------------------------------------
    # Known names: a message or an activity of the user names the archive
    # ------------------------------------------------------------------
    @api.model
    def _archive_name_known_from_link(self, archive):
        """Whether the current user has already been shown ``archive``'s
        name: an activity of theirs on it, a message on it they may read,
        or a message they may read that links to it (a mention)."""
        ids = archive.ids
        # sudo: the user's own activities on an archive they may not read.
        activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("res_model", "=", "res.partner"), ("res_id", "in", ids), ("user_id", "=", self.env.uid)],
                limit=1,
            )
        )
        if activity:
            return True
        Message = self.env["mail.message"]
        if Message.search_count([("model", "=", "res.partner"), ("res_id", "in", ids)], limit=1):
            return True
        patterns = [f"/res.partner/{archive.id}", f"/contacts/{archive.id}", f'data-oe-id="{archive.id}"']
        domain = expression.OR([[("body", "ilike", pattern)] for pattern in patterns])
        link = re.compile(rf'(?:/res\.partner/|/contacts/|data-oe-id="){archive.id}(?!\d)')
        return any(link.search(str(message.body or "")) for message in Message.search(domain, limit=20))

    # ------------------------------------------------------------------
    # Writes: the server resolves the reference; the client names nothing else
    # ------------------------------------------------------------------
    def _check_request_editable(self, requests):
        for request in requests:
            if request.state != "draft":
                raise UserError(
                    self.env._("Archives: a submitted access request cannot be changed; file a new one.")
                )
        if not self.env.su:
            # the user's own draft requests only, with their rights
            requests.check_access("write")

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        requests = self.env["customer.archive.access.request"].browse(
            {vals.get("request_id") for vals in vals_list if vals.get("request_id")}
        )
        self._check_request_editable(requests)
        resolved = []
        for vals in vals_list:
            reference = self._archive_normalise(vals.get("reference"))
            archive, known = self._archive_lookup(reference)
            if not archive:
                raise ValidationError(
                    self.env._(
                        "Archive Number or Full Name: no customer archive has the archive number or the "
                        "exact full name %(reference)s.",
                        reference=reference,
                    )
                )
            resolved.append(
                {
                    "request_id": vals.get("request_id"),
                    "reference": reference,
                    "partner_id": archive.id,
                    **self._archive_line_values(archive, known),
                }
            )
        # sudo: the archive the line points to is for the approvers' eyes
        # (``partner_id`` has their groups); the request was checked above.
        return super(CustomerArchiveAccessRequestLine, self.sudo()).create(resolved).with_env(self.env)

    def write(self, vals):
        if not self.env.su and set(vals) - {"request_id"}:
            raise AccessError(
                self.env._("Archives: remove the line and name the archive again to change it.")
            )
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._check_request_editable(self.request_id)
        return super().unlink()
