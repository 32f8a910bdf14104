from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONSENT_METHODS = [
    ("signed_form", "Signed Form"),
    ("call", "Phone Call (Recorded)"),
    ("web", "Web Form"),
    ("other", "Other"),
]


class CustomerArchiveConsentPurpose(models.Model):
    """A purpose personal information is processed for (处理目的): service,
    marketing, insurance underwriting… Editable in Configuration."""

    _name = "customer.archive.consent.purpose"
    _description = "Processing Purpose"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code the programs check, e.g. marketing.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "Each processing purpose has its own code.")]


class CustomerArchiveConsent(models.Model):
    """The consent of one person (an archive or a key person) to the
    processing of their personal information for some purposes (PIPL Art.
    14, 29): when and how it was given, whether the separate consent
    (单独同意) for sensitive information was given, and when it was
    withdrawn."""

    _name = "customer.archive.consent"
    _description = "Personal Information Consent"
    _inherit = ["mail.thread"]
    _order = "date_given desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Person", required=True, index=True, ondelete="cascade", tracking=True
    )
    purpose_ids = fields.Many2many("customer.archive.consent.purpose", string="Purposes", tracking=True)
    sensitive_consent = fields.Boolean(
        string="Separate Consent for Sensitive Information",
        tracking=True,
        help="The person gave the separate consent (单独同意) PIPL Art. 29 asks for the processing of "
        "sensitive personal information: ID number, bank account, health, family situation.",
    )
    date_given = fields.Date(
        string="Given On", required=True, default=fields.Date.context_today, tracking=True
    )
    method = fields.Selection(
        CONSENT_METHODS, string="How", required=True, default="signed_form", tracking=True
    )
    document_id = fields.Many2one(
        "customer.archive.document",
        string="Signed Form",
        domain="[('partner_id', 'in', [partner_id, partner_commercial_id])]",
        help="The signed consent form, filed as an archive document.",
    )
    partner_commercial_id = fields.Many2one(related="partner_id.commercial_partner_id")
    withdrawal_date = fields.Date(string="Withdrawn On", tracking=True, copy=False)
    state = fields.Selection(
        [("valid", "Valid"), ("withdrawn", "Withdrawn")],
        compute="_compute_state",
        store=True,
        index=True,
    )
    note = fields.Text()

    @api.depends("withdrawal_date")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.withdrawal_date else "valid"

    @api.constrains("method", "document_id")
    def _check_signed_form(self):
        for consent in self:
            if consent.method == "signed_form" and not consent.document_id:
                raise ValidationError(
                    self.env._(
                        "Signed Form: the consent of %(name)s was given on a signed form; file the form as an "
                        "archive document and select it, or choose another way it was given.",
                        name=consent.partner_id.display_name,
                    )
                )

    @api.constrains("date_given", "withdrawal_date")
    def _check_dates(self):
        for consent in self:
            if consent.withdrawal_date and consent.withdrawal_date < consent.date_given:
                raise ValidationError(
                    self.env._(
                        "Withdrawn On: the consent of %(name)s cannot be withdrawn before it was given "
                        "(%(date)s).",
                        name=consent.partner_id.display_name,
                        date=consent.date_given,
                    )
                )

    def action_withdraw(self):
        # "Today" is the withdrawing user's date; a consent given today by a
        # user in a time zone ahead of theirs is withdrawn on its own date.
        today = fields.Date.context_today(self)
        for consent in self.filtered(lambda consent: not consent.withdrawal_date):
            consent.write({"withdrawal_date": max(today, consent.date_given)})
        return True
