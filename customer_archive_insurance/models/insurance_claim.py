from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CLAIM_STATES = [
    ("submitted", "Submitted"),
    ("under_review", "Under Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("paid", "Paid"),
]

SENSITIVE_GROUPS = (
    "customer_archive_insurance.group_insurance_underwriter,customer_archive_insurance.group_insurance_claims"
)


class InsuranceClaim(models.Model):
    """A claim (理赔) on a policy: submitted by the agent for the client,
    reviewed, approved or rejected and paid by the claims staff."""

    _name = "insurance.claim"
    _description = "Insurance Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "incident_date desc, id desc"
    # A claim is found by its number, its policy's number or the client's name.
    _rec_names_search = ["name", "claimant_id.name", "policy_id.name", "policy_id.policyholder_id.name"]

    name = fields.Char(string="Claim Number", required=True, copy=False, readonly=True, default="/")
    policy_id = fields.Many2one(
        "insurance.policy", required=True, index=True, tracking=True, ondelete="restrict"
    )
    product_type = fields.Selection(related="policy_id.product_type", store=True)
    insurer_id = fields.Many2one(related="policy_id.insurer_id", store=True)
    agent_id = fields.Many2one(related="policy_id.agent_id", string="Agent", store=True)
    claimant_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        compute="_compute_claimant_id",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="restrict",
    )
    incident_date = fields.Date(required=True, tracking=True)
    description = fields.Text(string="Incident Description", required=True)
    medical_details = fields.Text(
        groups=SENSITIVE_GROUPS,
        help="Diagnosis, treatment and hospital: visible only to underwriters and claims staff.",
    )
    currency_id = fields.Many2one(related="policy_id.currency_id")
    sum_insured = fields.Monetary(related="policy_id.sum_insured")
    amount_claimed = fields.Monetary(required=True, tracking=True)
    amount_approved = fields.Monetary(tracking=True)
    amount_paid = fields.Monetary(tracking=True)
    payment_date = fields.Date(tracking=True, copy=False)
    state = fields.Selection(
        CLAIM_STATES,
        string="Status",
        default="submitted",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    rejection_reason = fields.Text(copy=False, tracking=True)
    document_ids = fields.Many2many(
        "ir.attachment",
        "insurance_claim_ir_attachment_rel",
        "claim_id",
        "attachment_id",
        string="Documents",
        help="Invoices, medical reports, police reports and other evidence of the claim.",
    )
    document_count = fields.Integer(compute="_compute_document_count")

    @api.depends("policy_id")
    def _compute_claimant_id(self):
        for claim in self:
            if not claim.claimant_id:
                claim.claimant_id = claim.policy_id.insured_id

    @api.depends("document_ids")
    def _compute_document_count(self):
        for claim in self:
            claim.document_count = len(claim.document_ids)

    @api.constrains("incident_date", "policy_id")
    def _check_incident_date(self):
        for claim in self:
            policy = claim.policy_id
            if not policy.start_date <= claim.incident_date <= policy.end_date:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the Incident Date %(date)s lies outside the period of policy "
                        "%(policy)s (%(start)s to %(end)s); correct the Incident Date or choose the right policy.",
                        claim=claim.name,
                        date=claim.incident_date,
                        policy=policy.name,
                        start=policy.start_date,
                        end=policy.end_date,
                    )
                )

    @api.constrains("amount_claimed", "amount_approved", "amount_paid", "policy_id")
    def _check_amounts(self):
        for claim in self:
            if min(claim.amount_claimed, claim.amount_approved, claim.amount_paid) < 0:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the Amount Claimed, Amount Approved and Amount Paid cannot be negative.",
                        claim=claim.name,
                    )
                )
            sum_insured = claim.policy_id.sum_insured
            if sum_insured and claim.amount_claimed > sum_insured:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the Amount Claimed (%(claimed)s) exceeds the Sum Insured of policy "
                        "%(policy)s (%(sum)s).",
                        claim=claim.name,
                        claimed=claim.amount_claimed,
                        policy=claim.policy_id.name,
                        sum=sum_insured,
                    )
                )
            if claim.amount_approved > claim.amount_claimed:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the Amount Approved (%(approved)s) exceeds the Amount Claimed "
                        "(%(claimed)s).",
                        claim=claim.name,
                        approved=claim.amount_approved,
                        claimed=claim.amount_claimed,
                    )
                )
            if claim.amount_paid > claim.amount_approved:
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s: the Amount Paid (%(paid)s) exceeds the Amount Approved (%(approved)s).",
                        claim=claim.name,
                        paid=claim.amount_paid,
                        approved=claim.amount_approved,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("insurance.claim") or "/"
        claims = super().create(vals_list)
        claims.filtered("medical_details")._audit_medical_details("write", detail="create")
        claims._load_checklist()
        return claims

    # Audit: the medical details are health data (domain §4), logged like the
    # health records and the core's sensitive fields.
    def _audit_medical_details(self, operation, detail=None):
        if self:
            self.env["customer.archive.audit.log"]._log(
                self,
                operation,
                field_names=["medical_details"],
                detail=detail,
                partners=[claim.claimant_id for claim in self.sudo()],
            )

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        reads_details = fields is None or "medical_details" in fields
        # users who may see the details; not the code's own sudo() reads
        if reads_details and not self.env.su and self.env.user.has_groups(SENSITIVE_GROUPS) and self:
            # read stays read-only (servable by a replica): the audit row goes
            # into a short transaction of its own on the primary.
            self.env["customer.archive.audit.log"]._log_read(
                self,
                "read",
                field_names=["medical_details"],
                partners=[claim.claimant_id for claim in self.sudo()],
            )
        return result

    def write(self, vals):
        result = super().write(vals)
        if "medical_details" in vals:
            self._audit_medical_details("write")
        if "claim_type" in vals or "policy_id" in vals:
            self._load_checklist()
        return result

    # ------------------------------------------------------------------ workflow
    def _check_claims_staff(self):
        if not self.env.user.has_group("customer_archive_insurance.group_insurance_claims"):
            raise AccessError(self.env._("Only Claims Staff may review, approve, reject or pay claims."))

    def _check_state(self, allowed, action_label):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for claim in self:
            if claim.state not in allowed:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s is %(state)s: it cannot be %(action)s.",
                        claim=claim.name,
                        state=labels[claim.state],
                        action=action_label,
                    )
                )

    def action_start_review(self):
        self._check_claims_staff()
        self._check_state(("submitted",), self.env._("taken under review"))
        self.write({"state": "under_review"})
        self.filtered(lambda claim: not claim.handler_id).write({"handler_id": self.env.user.id})

    def action_approve(self):
        self._check_claims_staff()
        self._check_state(("under_review",), self.env._("approved"))
        for claim in self:
            if not claim.amount_approved:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: enter the Amount Approved before approving.", claim=claim.name
                    )
                )
        self.write({"state": "approved", "decision_date": fields.Date.context_today(self)})

    def action_reject(self):
        self._check_claims_staff()
        self._check_state(("submitted", "under_review"), self.env._("rejected"))
        for claim in self:
            if not (claim.rejection_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: enter the Rejection Reason before rejecting it.", claim=claim.name
                    )
                )
        self.write(
            {"state": "rejected", "amount_approved": 0.0, "decision_date": fields.Date.context_today(self)}
        )

    def action_pay(self):
        self._check_claims_staff()
        self._check_state(("approved",), self.env._("paid"))
        today = fields.Date.context_today(self)
        for claim in self:
            claim.write(
                {
                    "state": "paid",
                    "amount_paid": claim.amount_paid or claim.amount_payable,
                    "payment_date": claim.payment_date or today,
                }
            )

    def action_reopen(self):
        self._check_claims_staff()
        self._check_state(("rejected",), self.env._("reopened"))
        self.write({"state": "under_review", "decision_date": False, "rejection_notice_date": False})
