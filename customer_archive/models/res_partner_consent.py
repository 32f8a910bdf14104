from odoo import api, fields, models
from odoo.exceptions import UserError

REQUIRE_SENSITIVE_CONSENT = "customer_archive.require_sensitive_consent"


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

    def _archive_check_sensitive_consent(self, name):
        """Sensitive fields are processed only with a valid separate consent
        (PIPL Art. 29), when the company requires it (Settings)."""
        if self.env["ir.config_parameter"].sudo().get_param(REQUIRE_SENSITIVE_CONSENT):
            missing = self.filtered(
                lambda partner: partner[name]
                and isinstance(partner.id, int)
                and not partner.archive_sensitive_consent
            )
            if missing:
                raise UserError(
                    self.env._(
                        "%(field)s of %(names)s cannot be saved: the person has not given (or has withdrawn) the "
                        "separate consent for sensitive information (单独同意). Record the consent under "
                        "Customer Archives → Privacy → Consents first, with the signed form.",
                        field=self._fields[name].get_description(self.env)["string"],
                        names=", ".join(missing[:5].mapped("display_name")),
                    )
                )
