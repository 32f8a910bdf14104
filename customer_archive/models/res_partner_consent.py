from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .customer_archive_consent import CONSENT_METHODS

REQUIRE_SENSITIVE_CONSENT = "customer_archive.require_sensitive_consent"
# The sensitive fields of a natural person that need the separate consent
# (PIPL Art. 28-29). A company's bank account is no personal information.
SENSITIVE_CONSENT_FIELDS = (
    "archive_resident_id_number",
    "archive_bank_account_number",
    "archive_family_situation",
)


class ResPartner(models.Model):
    """Consents (个人信息同意) of a person: marketing only with a valid
    marketing consent, sensitive fields only with a valid separate consent."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_consent_ids = fields.One2many("customer.archive.consent", "partner_id", string="Consents")
    archive_marketing_allowed = fields.Boolean(
        string="Marketing Consent",
        compute="_compute_archive_consent_flags",
        search="_search_archive_marketing_allowed",
        help="A valid consent of the person covers the purpose Marketing.",
    )
    archive_sensitive_consent = fields.Boolean(
        string="Sensitive Data Consent",
        compute="_compute_archive_consent_flags",
        help="A valid consent of the person includes the separate consent for sensitive information.",
    )

    archive_consent_count = fields.Integer(string="Consent Count", compute="_compute_archive_consent_flags")
    # Recorded on the archive form together with the data, as the signed form
    # is collected with it: ticking creates the consent, unticking withdraws it.
    archive_sensitive_consent_given = fields.Boolean(
        string="Separate Consent Given (单独同意)",
        compute="_compute_archive_sensitive_consent_given",
        inverse="_inverse_archive_sensitive_consent_given",
        help="The person gave the separate consent for the processing of the resident ID number, bank "
        "account and family situation (PIPL Art. 29). Ticking records the consent (purpose Service, "
        "today); unticking withdraws it. Required to save these fields when Settings ask for it.",
    )
    archive_sensitive_consent_method = fields.Selection(
        CONSENT_METHODS,
        string="How Given",
        compute="_compute_archive_sensitive_consent_given",
        # The inverse of both fields: create() caches the values of one
        # inverse group before calling it, so the method is known then.
        inverse="_inverse_archive_sensitive_consent_given",
        help="How the separate consent was given. A signed form is registered as a document of the "
        "archive: scan the paper form into it.",
    )

    def _compute_archive_consent_flags(self):
        # sudo: whether a consent exists decides what may be done, whoever asks.
        consents = (
            self.env["customer.archive.consent"]
            .sudo()
            .search([("partner_id", "in", self.ids), ("state", "=", "valid")])
        )
        for partner in self:
            own = consents.filtered(lambda consent, partner=partner: consent.partner_id.id == partner.id)
            partner.archive_marketing_allowed = "marketing" in own.purpose_ids.mapped("code")
            partner.archive_sensitive_consent = any(own.mapped("sensitive_consent"))
            partner.archive_consent_count = len(own)

    def _archive_sensitive_consents(self):
        """The valid consents of self that include the separate consent."""
        # sudo: see _compute_archive_consent_flags
        return (
            self.env["customer.archive.consent"]
            .sudo()
            .search(
                [("partner_id", "in", self.ids), ("state", "=", "valid"), ("sensitive_consent", "=", True)]
            )
        )

    def _compute_archive_sensitive_consent_given(self):
        consents = self.filtered("id")._archive_sensitive_consents()
        for partner in self:
            own = consents.filtered(lambda consent, partner=partner: consent.partner_id.id == partner.id)
            partner.archive_sensitive_consent_given = bool(own)
            partner.archive_sensitive_consent_method = own[:1].method or "signed_form"

    def _inverse_archive_sensitive_consent_given(self):
        consents = self._archive_sensitive_consents()
        today = fields.Date.context_today(self)
        new_consents = []
        for partner in self:
            own = consents.filtered(lambda consent, partner=partner: consent.partner_id.id == partner.id)
            if not partner.archive_sensitive_consent_given:
                own.action_withdraw()
                continue
            if own:
                continue
            method = partner.archive_sensitive_consent_method or "signed_form"
            values = {
                "partner_id": partner.id,
                "purpose_ids": [
                    fields.Command.link(self.env.ref("customer_archive.consent_purpose_service").id)
                ],
                "sensitive_consent": True,
                "date_given": today,
                "method": method,
            }
            if method == "signed_form":
                values["document_id"] = partner._archive_consent_form_document().id
            new_consents.append(values)
        if new_consents:
            self.env["customer.archive.consent"].create(new_consents)

    def _archive_consent_form_document(self):
        """The paper consent form signed with the data, registered in the
        archive (of the company, for a key person) for its scan."""
        self.ensure_one()
        return self.env["customer.archive.document"].create(
            {
                "name": self.env._("Separate Consent Form of %(name)s", name=self.name),
                "partner_id": self.commercial_partner_id.id,
                "type_id": self.env.ref("customer_archive.document_type_other").id,
                "note": self.env._(
                    "Signed on paper together with the archive data: scan the form into this document."
                ),
            }
        )

    def action_open_archive_consents(self):
        return self._archive_open_action("customer_archive.action_customer_archive_consent")

    @api.model
    def _search_archive_marketing_allowed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Marketing Consent can only be searched for being set or not."))
        # sudo: see _compute_archive_consent_flags
        query = (
            self.env["customer.archive.consent"]
            .sudo()
            ._search([("state", "=", "valid"), ("purpose_ids.code", "=", "marketing")])
        )
        allowed = (operator == "=") == value
        return [("id", "in" if allowed else "not in", query.subselect("partner_id"))]

    @api.model
    def _archive_marketing_domain(self):
        """What a marketing action (mailing, sales call campaign) must add to
        its domain: only the people with a valid marketing consent."""
        return [("archive_marketing_allowed", "=", True)]

    def _archive_filter_marketing(self):
        """The partners of self a marketing action may address."""
        return self.filtered_domain(self._archive_marketing_domain())

    @api.model
    def _archive_sensitive_consent_required(self):
        """Whether sensitive fields need the separate consent (Settings →
        Customer Archive; on by default)."""
        return bool(self.env["ir.config_parameter"].sudo().get_param(REQUIRE_SENSITIVE_CONSENT))

    def _archive_after_create_consent(self, vals_list):
        """Hook of create: the sensitive fields set by each create need the
        separate consent, which the same create may record."""
        for partner, vals in zip(self, vals_list, strict=True):
            partner._archive_check_sensitive_consent(
                [name for name in SENSITIVE_CONSENT_FIELDS if vals.get(name)]
            )

    def _archive_after_write_consent(self, vals):
        """Hook of write: a sensitive value written needs the separate
        consent; clearing a value is always allowed (erasure)."""
        self._archive_check_sensitive_consent([name for name in SENSITIVE_CONSENT_FIELDS if vals.get(name)])

    def _archive_check_sensitive_consent(self, field_names):
        """Sensitive fields of a natural person are processed only with a
        valid separate consent (PIPL Art. 29). Called after the create or
        write, so after the inverses of the same create or write, including
        the one recording the consent given on the form."""
        persons = self.filtered(lambda partner: not partner.is_company)
        if not field_names or not persons or not self._archive_sensitive_consent_required():
            return
        missing = persons - persons._archive_sensitive_consents().partner_id
        if missing:
            raise ValidationError(
                self.env._(
                    "%(field)s of %(names)s cannot be saved: the person has not given (or has withdrawn) the "
                    "separate consent for sensitive information (单独同意). Tick “Separate Consent Given” "
                    "with how it was given (the signed form), or record the consent under Customer "
                    "Archives → Privacy → Consents.",
                    field=self._fields[field_names[0]].get_description(self.env)["string"],
                    names=", ".join(missing[:5].mapped("display_name")),
                )
            )
