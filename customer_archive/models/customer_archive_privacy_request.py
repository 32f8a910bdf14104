from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

REQUEST_TYPES = [
    ("access", "Access / Copy"),
    ("correction", "Correction"),
    ("deletion", "Deletion"),
    ("portability", "Portability"),
    ("withdrawal", "Withdrawal of Consent"),
]
IDENTITY_CHECKS = [
    ("id_card", "ID Card Shown in Person"),
    ("call_back", "Call Back to the Number on File"),
    ("signed_letter", "Signed Letter with ID Copy"),
    ("portal", "Logged-in Portal or Web Account"),
]
REQUEST_STATES = [
    ("received", "Received"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("refused", "Refused"),
]
DUE_DAYS_PARAMETER = "customer_archive.privacy_request_due_days"
DEFAULT_DUE_DAYS = 15
ADMIN_GROUP = "customer_archive.group_archive_admin"


class CustomerArchivePrivacyRequest(models.Model):
    """A request of a person about their personal information (个人信息权利请求,
    PIPL Art. 44-50): access or copy, correction, deletion, portability,
    withdrawal of consent. It is answered by its due date (15 days unless
    configured), with the reasons of a refusal; the privacy export and the
    anonymisation are its actions; an overdue request escalates to the
    archive administrators."""

    _name = "customer.archive.privacy.request"
    _description = "Personal Information Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"

    name = fields.Char(string="Reference", required=True, copy=False, readonly=True, default="/")
    partner_id = fields.Many2one("res.partner", string="Person", required=True, index=True, tracking=True)
    request_type = fields.Selection(REQUEST_TYPES, string="Request", required=True, tracking=True)
    requester_name = fields.Char(
        string="Asked By", required=True, tracking=True, help="The person, or who asked on their behalf."
    )
    on_behalf = fields.Boolean(string="Asked on Behalf of the Person")
    identity_check = fields.Selection(IDENTITY_CHECKS, string="Identity Checked By", tracking=True)
    identity_checked = fields.Boolean(string="Identity Verified", tracking=True)
    received_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    due_date = fields.Date(
        compute="_compute_due_date",
        store=True,
        readonly=False,
        tracking=True,
        help="The received date plus the answer period (Settings, 15 days by default).",
    )
    user_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, default=lambda self: self.env.user, index=True
    )
    state = fields.Selection(REQUEST_STATES, default="received", required=True, tracking=True, index=True)
    description = fields.Text(string="What Is Asked")
    outcome = fields.Text(tracking=True)
    refusal_reason = fields.Text(string="Reason for Refusal", tracking=True)
    export_attachment_id = fields.Many2one("ir.attachment", string="Export File", readonly=True, copy=False)
    anonymized = fields.Boolean(string="Anonymised", readonly=True, copy=False)
    escalated = fields.Boolean(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue")

    @api.depends("received_date")
    def _compute_due_date(self):
        days = self._due_days()
        for request in self:
            request.due_date = request.received_date and request.received_date + relativedelta(days=days)

    @api.model
    def _due_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(DUE_DAYS_PARAMETER, DEFAULT_DUE_DAYS)
        try:
            return max(int(value), 1)
        except ValueError:
            return DEFAULT_DUE_DAYS

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.is_overdue = request.state in ("received", "in_progress") and request.due_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Overdue can only be searched for being set or not."))
        domain = [
            ("state", "in", ("received", "in_progress")),
            ("due_date", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("customer.archive.privacy.request") or "/"
        return super().create(vals_list)

    @api.constrains("state", "refusal_reason", "outcome")
    def _check_outcome(self):
        for request in self:
            if request.state == "refused" and not request.refusal_reason:
                raise ValidationError(
                    self.env._(
                        "Reason for Refusal: request %(name)s is refused; PIPL Art. 50 asks for the reasons. "
                        "Write them before refusing.",
                        name=request.name,
                    )
                )

    # ------------------------------------------------------------------ actions
    def _check_handler(self):
        if not self.env.su and not self.env.user.has_group(ADMIN_GROUP):
            raise UserError(
                self.env._("Only the Archive Administrator may answer personal information requests.")
            )

    def _check_identity(self):
        for request in self:
            if not request.identity_checked:
                raise UserError(
                    self.env._(
                        "Identity Verified: check the identity of %(requester)s (%(name)s) before answering the "
                        "request.",
                        requester=request.requester_name,
                        name=request.name,
                    )
                )

    def action_start(self):
        self._check_handler()
        self.filtered(lambda request: request.state == "received").write({"state": "in_progress"})
        return True

    def action_export_data(self):
        """Access, copy, portability: the privacy export, filed on the request."""
        self.ensure_one()
        self._check_handler()
        self._check_identity()
        wizard = self.env["customer.archive.privacy.export"].create(
            {
                "partner_id": self.partner_id.id,
                "file_format": "json" if self.request_type == "portability" else "xlsx",
            }
        )
        wizard.action_export()
        attachment = self.env["ir.attachment"].create(
            {
                "name": wizard.file_name,
                "datas": wizard.file_data,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        self.write({"export_attachment_id": attachment.id, "state": "in_progress"})
        self.message_post(
            body=self.env._("Privacy export %(file)s made for the request.", file=attachment.name),
            attachment_ids=attachment.ids,
        )
        return True

    def action_anonymize(self):
        """Deletion: the person is anonymised."""
        self.ensure_one()
        self._check_handler()
        self._check_identity()
        self.partner_id.action_archive_anonymize()
        self.write(
            {"anonymized": True, "state": "done", "outcome": self.outcome or self.env._("Anonymised.")}
        )
        return True

    def action_withdraw_consent(self):
        """Withdrawal of consent: every valid consent of the person ends today."""
        self.ensure_one()
        self._check_handler()
        self._check_identity()
        self.env["customer.archive.consent"].search(
            [("partner_id", "=", self.partner_id.id), ("state", "=", "valid")]
        ).action_withdraw()
        self.write({"state": "done", "outcome": self.outcome or self.env._("Consent withdrawn.")})
        return True

    def action_done(self):
        self._check_handler()
        for request in self:
            if not request.outcome:
                raise UserError(
                    self.env._(
                        "Outcome: write what was done for request %(name)s before closing it.",
                        name=request.name,
                    )
                )
        self.write({"state": "done"})
        return True

    def action_refuse(self):
        self._check_handler()
        self.write({"state": "refused"})
        return True

    # ------------------------------------------------------------------ escalation
    @api.model
    def _cron_escalate_overdue(self):
        """Overdue requests not escalated yet: an activity for each archive
        administrator, once."""
        overdue = self.search([("is_overdue", "=", True), ("escalated", "=", False)])
        admins = self.env.ref(ADMIN_GROUP).users.filtered(lambda user: not user.share)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for request in overdue:
            for admin in admins:
                # in the language of the administrator who reads it
                env = self.with_context(lang=admin.lang or self.env.lang).env
                request.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=admin.id,
                    date_deadline=fields.Date.context_today(self),
                    summary=env._("Overdue personal information request %(name)s", name=request.name),
                    note=env._(
                        "Request %(name)s (%(type)s) of %(person)s was due on %(date)s.",
                        name=request.name,
                        type=dict(self._fields["request_type"]._description_selection(env))[
                            request.request_type
                        ],
                        person=request.partner_id.display_name,
                        date=request.due_date,
                    ),
                )
        overdue.write({"escalated": True})
        return len(overdue)
