from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

from .insurance_policy import PRODUCT_TYPES, _agent_env, _int_param
from .insurance_policy_regulation import PARAM_PREFIX

PARAM_DECISION_DAYS = PARAM_PREFIX + "claim_decision_days"
PARAM_SIMPLE_DECISION_DAYS = PARAM_PREFIX + "claim_simple_decision_days"
PARAM_PAYMENT_DAYS = PARAM_PREFIX + "claim_payment_days"
PARAM_REJECTION_NOTICE_DAYS = PARAM_PREFIX + "claim_rejection_notice_days"
PARAM_ADVANCE_PAYMENT_DAYS = PARAM_PREFIX + "claim_advance_payment_days"
PARAM_DEADLINE_REMINDER_DAYS = PARAM_PREFIX + "claim_deadline_reminder_days"
PARAM_CLAIMS_MANAGER = PARAM_PREFIX + "claims_manager_user_id"

CLAIM_TYPES = [
    ("medical", "Medical Expenses"),
    ("critical_illness", "Critical Illness Diagnosis"),
    ("death", "Death"),
    ("disability", "Disability"),
    ("property_loss", "Property Loss"),
    ("other", "Other"),
]

DEFAULT_CLAIM_TYPE = {
    "medical": "medical",
    "critical_illness": "critical_illness",
    "life": "death",
    "accident": "disability",
    "property": "property_loss",
}

DEADLINE_KINDS = [
    ("decision", "Decision"),
    ("advance_payment", "Advance Payment"),
    ("payment", "Payment"),
    ("rejection_notice", "Rejection Notice"),
]

DEADLINE_STATUSES = [
    ("on_time", "On Time"),
    ("due_soon", "Due in 3 Days"),
    ("overdue", "Overdue"),
]


def _deadline_kind_labels(env):
    """The names of the deadlines in ``env``'s language, as code translations:
    the job also runs while the demo data is loaded, before the database holds
    the translations of the selection's values."""
    return {
        "decision": env._("Decision"),
        "advance_payment": env._("Advance Payment"),
        "payment": env._("Payment"),
        "rejection_notice": env._("Rejection Notice"),
    }


class InsuranceClaimChecklistItem(models.Model):
    """A document a claim of this product type and claim type needs (理赔
    材料清单); empty product or claim type: every one."""

    _name = "insurance.claim.checklist.item"
    _description = "Claim Document Checklist Item"
    _order = "sequence, id"

    name = fields.Char(string="Document", required=True, translate=True)
    sequence = fields.Integer(default=10)
    product_type = fields.Selection(PRODUCT_TYPES, help="Empty: every product type.")
    claim_type = fields.Selection(CLAIM_TYPES, help="Empty: every claim type.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    def _matching(self, product_type, claim_type):
        return self.filtered(
            lambda item: item.product_type in (False, product_type) and item.claim_type in (False, claim_type)
        )


class InsuranceClaimChecklistLine(models.Model):
    _name = "insurance.claim.checklist.line"
    _description = "Claim Document"
    _order = "sequence, id"

    claim_id = fields.Many2one("insurance.claim", required=True, index=True, ondelete="cascade")
    item_id = fields.Many2one("insurance.claim.checklist.item", string="Document", ondelete="restrict")
    name = fields.Char(string="Other Document", help="A document asked for that is not on the checklist.")
    sequence = fields.Integer(default=10)
    received = fields.Boolean()
    received_date = fields.Date(string="Received On")
    note = fields.Char()

    _sql_constraints = [
        (
            "document_named",
            "CHECK(item_id IS NOT NULL OR name IS NOT NULL)",
            "A claim document needs a checklist Document or the name of the Other Document.",
        ),
    ]

    @api.depends("item_id.name", "name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.item_id.name or line.name or ""

    @api.onchange("received")
    def _onchange_received(self):
        for line in self:
            line.received_date = line.received and (line.received_date or fields.Date.context_today(line))

    @api.model
    def _received_values(self, vals):
        # Ticked received without a date: received today; unticked: no date.
        if "received" in vals:
            if not vals["received"]:
                vals["received_date"] = False
            elif not vals.get("received_date"):
                vals["received_date"] = fields.Date.context_today(self)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._received_values(dict(vals)) for vals in vals_list])

    def write(self, vals):
        vals = self._received_values(dict(vals))
        if vals.get("received") and "received_date" in vals and len(self) > 1:
            # keep the dates of the documents already received
            already = self.filtered(lambda line: line.received and line.received_date)
            super(InsuranceClaimChecklistLine, already).write(
                {k: v for k, v in vals.items() if k != "received_date"}
            )
            return super(InsuranceClaimChecklistLine, self - already).write(vals)
        return super().write(vals)


class InsuranceClaim(models.Model):
    """The time limits of the Insurance Law on a claim (保险法 第22–25条):
    all missing documents told at once, a decision within 30 days of the
    complete documents, payment within 10 days of the agreement, a rejection
    notice within 3 days, an advance payment (先予支付) after 60 days."""

    _inherit = "insurance.claim"

    claim_type = fields.Selection(
        CLAIM_TYPES,
        compute="_compute_claim_type",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        required=True,
    )
    handler_id = fields.Many2one(
        "res.users",
        string="Claims Handler",
        index=True,
        tracking=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("customer_archive_insurance.group_insurance_claims").id)
        ],
    )
    submission_date = fields.Date(
        string="Submitted On", required=True, default=fields.Date.context_today, tracking=True, copy=False
    )
    is_simple_case = fields.Boolean(
        string="Simple Case",
        tracking=True,
        help="A simple case of a product that promises the shorter decision period.",
    )
    checklist_line_ids = fields.One2many(
        "insurance.claim.checklist.line", "claim_id", string="Document Checklist"
    )
    missing_document_count = fields.Integer(compute="_compute_documents_complete_date", store=True)
    documents_complete_date = fields.Date(
        string="Documents Complete On",
        compute="_compute_documents_complete_date",
        store=True,
        help="Day the last document of the checklist was received: the deadlines of the decision and of the "
        "advance payment run from here.",
    )
    missing_notice_date = fields.Date(string="Missing Documents Told On", copy=False, readonly=True)
    decision_due_date = fields.Date(string="Decide By", compute="_compute_deadlines", store=True)
    advance_payment_due_date = fields.Date(
        string="Advance Payment By", compute="_compute_deadlines", store=True
    )
    decision_date = fields.Date(string="Decided On", copy=False, tracking=True)
    payment_due_date = fields.Date(string="Pay By", compute="_compute_deadlines", store=True)
    rejection_notice_due_date = fields.Date(
        string="Rejection Notice By", compute="_compute_deadlines", store=True
    )
    rejection_notice_date = fields.Date(
        string="Rejection Notice Sent On", copy=False, readonly=True, tracking=True
    )
    advance_payment_amount = fields.Monetary(string="Advance Payment", copy=False, tracking=True)
    advance_payment_date = fields.Date(string="Advance Paid On", copy=False, readonly=True, tracking=True)
    next_deadline_date = fields.Date(string="Next Deadline", compute="_compute_deadlines", store=True)
    next_deadline_kind = fields.Selection(DEADLINE_KINDS, compute="_compute_deadlines", store=True)
    deadline_status = fields.Selection(
        DEADLINE_STATUSES,
        compute="_compute_deadline_status",
        store=True,
        help="Of the next deadline, as of the last daily run or change of the claim.",
    )
    premium_deduction = fields.Monetary(
        string="Unpaid Premium Deducted",
        compute="_compute_premium_deduction",
        store=True,
        help="The incident happened in the grace period of an unpaid premium: the claim is payable less that "
        "premium (保险法 第36条).",
    )
    amount_payable = fields.Monetary(compute="_compute_premium_deduction", store=True)

    @api.depends("policy_id")
    def _compute_claim_type(self):
        for claim in self:
            if not claim.claim_type:
                claim.claim_type = DEFAULT_CLAIM_TYPE.get(claim.policy_id.product_type, "other")

    @api.depends("checklist_line_ids.received", "checklist_line_ids.received_date", "submission_date")
    def _compute_documents_complete_date(self):
        for claim in self:
            lines = claim.checklist_line_ids
            missing = lines.filtered(lambda line: not line.received)
            claim.missing_document_count = len(missing)
            if missing:
                claim.documents_complete_date = False
            elif lines:
                claim.documents_complete_date = max(
                    line.received_date or claim.submission_date for line in lines
                )
            else:
                claim.documents_complete_date = claim.submission_date

    @api.depends(
        "documents_complete_date",
        "is_simple_case",
        "policy_id.simple_claim_fast_track",
        "decision_date",
        "state",
        "advance_payment_date",
        "rejection_notice_date",
    )
    def _compute_deadlines(self):
        days = {
            "decision": _int_param(self.env, PARAM_DECISION_DAYS, 30),
            "simple": _int_param(self.env, PARAM_SIMPLE_DECISION_DAYS, 5),
            "payment": _int_param(self.env, PARAM_PAYMENT_DAYS, 10),
            "rejection": _int_param(self.env, PARAM_REJECTION_NOTICE_DAYS, 3),
            "advance": _int_param(self.env, PARAM_ADVANCE_PAYMENT_DAYS, 60),
        }
        for claim in self:
            complete = claim.documents_complete_date
            simple = claim.is_simple_case and claim.policy_id.simple_claim_fast_track
            decision_days = days["simple"] if simple else days["decision"]
            claim.decision_due_date = complete and complete + relativedelta(days=decision_days)
            claim.advance_payment_due_date = complete and complete + relativedelta(days=days["advance"])
            approved = claim.state in ("approved", "paid") and claim.decision_date
            claim.payment_due_date = approved and claim.decision_date + relativedelta(days=days["payment"])
            rejected = claim.state == "rejected" and claim.decision_date
            claim.rejection_notice_due_date = rejected and claim.decision_date + relativedelta(
                days=days["rejection"]
            )
            open_deadlines = claim._open_deadlines()
            if open_deadlines:
                kind, date = min(open_deadlines.items(), key=lambda item: item[1])
                claim.next_deadline_kind, claim.next_deadline_date = kind, date
            else:
                claim.next_deadline_kind, claim.next_deadline_date = False, False

    def _open_deadlines(self):
        """{kind: date} of the deadlines of the claim not yet met."""
        self.ensure_one()
        deadlines = {}
        if self.state in ("submitted", "under_review"):
            if self.decision_due_date:
                deadlines["decision"] = self.decision_due_date
            if self.advance_payment_due_date and not self.advance_payment_date:
                deadlines["advance_payment"] = self.advance_payment_due_date
        elif self.state == "approved" and self.payment_due_date:
            deadlines["payment"] = self.payment_due_date
        elif self.state == "rejected" and self.rejection_notice_due_date and not self.rejection_notice_date:
            deadlines["rejection_notice"] = self.rejection_notice_due_date
        return deadlines

    @api.depends("next_deadline_date")
    def _compute_deadline_status(self):
        soon = _int_param(self.env, PARAM_DEADLINE_REMINDER_DAYS, 3)
        today = fields.Date.context_today(self)
        for claim in self:
            due = claim.next_deadline_date
            if not due:
                claim.deadline_status = False
            elif due < today:
                claim.deadline_status = "overdue"
            elif due <= today + relativedelta(days=soon):
                claim.deadline_status = "due_soon"
            else:
                claim.deadline_status = "on_time"

    @api.depends(
        "incident_date",
        "amount_approved",
        "policy_id.state",
        "policy_id.next_premium_date",
        "policy_id.grace_end_date",
        "policy_id.premium",
    )
    def _compute_premium_deduction(self):
        for claim in self:
            policy = claim.policy_id
            in_grace = (
                policy.state in ("grace", "lapsed")
                and policy.next_premium_date
                and policy.grace_end_date
                and policy.next_premium_date <= claim.incident_date <= policy.grace_end_date
            )
            claim.premium_deduction = policy.premium if in_grace else 0.0
            claim.amount_payable = max(claim.amount_approved - claim.premium_deduction, 0.0)

    def _load_checklist(self):
        """Add the checklist items of the claim's product and claim type that
        the claim does not list yet."""
        items = self.env["insurance.claim.checklist.item"].search([("active", "=", True)])
        commands = {}
        for claim in self:
            present = claim.checklist_line_ids.item_id
            new_items = items._matching(claim.product_type, claim.claim_type) - present
            if new_items:
                commands[claim] = [
                    fields.Command.create({"item_id": item.id, "sequence": item.sequence})
                    for item in new_items
                ]
        for claim, lines in commands.items():
            claim.write({"checklist_line_ids": lines})

    # --------------------------------------------------------------- actions
    def action_notify_missing_documents(self):
        """一次性告知: one message to the claimant listing every missing document."""
        today = fields.Date.context_today(self)
        for claim in self:
            missing = claim.checklist_line_ids.filtered(lambda line: not line.received)
            if not missing:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: every document of the checklist is received; nothing to ask for.",
                        claim=claim.name,
                    )
                )
            # in the claimant's language: the message is sent to them
            env = _agent_env(claim, claim.claimant_id)
            body = env._(
                "Dear %(claimant)s, to decide on claim %(claim)s we still need the following documents:",
                claimant=claim.claimant_id.name,
                claim=claim.name,
            )
            claim.message_post(
                body=self._html_list(body, missing.with_env(env).mapped("display_name")),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=claim.claimant_id.ids,
            )
            claim.missing_notice_date = today
        return True

    @api.model
    def _html_list(self, intro, items):
        return Markup("<p>%s</p><ul>%s</ul>") % (
            intro,
            Markup("").join(Markup("<li>%s</li>") % escape(item) for item in items),
        )

    def action_send_rejection_notice(self):
        self._check_claims_staff()
        self._check_state(("rejected",), self.env._("notified of the rejection"))
        today = fields.Date.context_today(self)
        for claim in self:
            claim.message_post(
                body=self._html_list(
                    self.env._(
                        "Dear %(claimant)s, claim %(claim)s is rejected for the following reasons:",
                        claimant=claim.claimant_id.name,
                        claim=claim.name,
                    ),
                    [line for line in (claim.rejection_reason or "").splitlines() if line.strip()],
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=claim.claimant_id.ids,
            )
        self.write({"rejection_notice_date": today})
        return True

    def action_advance_payment(self):
        """先予支付: the part of the amount already determinable is paid."""
        self._check_claims_staff()
        self._check_state(("submitted", "under_review"), self.env._("paid in advance"))
        for claim in self:
            if claim.advance_payment_amount <= 0 or claim.advance_payment_amount > claim.amount_claimed:
                raise UserError(
                    self.env._(
                        "Claim %(claim)s: enter the Advance Payment, the part of the amount already "
                        "determinable (more than 0, at most the Amount Claimed).",
                        claim=claim.name,
                    )
                )
        self.write({"advance_payment_date": fields.Date.context_today(self)})
        return True

    # ------------------------------------------------------------------- job
    @api.model
    def _cron_claim_deadlines(self, today):
        """Refresh the deadline status of the open claims; an activity for the
        handler some days before each deadline, an escalation to the claims
        manager once it is missed, each once per deadline."""
        claims = self.search([("next_deadline_date", "!=", False)])
        self.env.add_to_compute(self._fields["deadline_status"], claims)
        claims.flush_recordset(["deadline_status"])
        soon = _int_param(self.env, PARAM_DEADLINE_REMINDER_DAYS, 3)
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_claim_deadline")
        items = []
        Notice = self.env["insurance.deadline.notice"]
        for claim in claims:
            handler = claim.handler_id
            for kind, due in claim._open_deadlines().items():
                if due > today + relativedelta(days=soon):
                    continue
                if handler:
                    env = _agent_env(claim, handler)
                    label = _deadline_kind_labels(env)
                    items.append(
                        {
                            "record": claim,
                            "kind": kind,
                            "deadline": due,
                            "user": handler,
                            "activity_type": activity_type,
                            "date_deadline": due,
                            "summary": env._(
                                "%(deadline)s due: claim %(claim)s", deadline=label[kind], claim=claim.name
                            ),
                            "note": env._(
                                "The %(deadline)s of claim %(claim)s is due by %(due)s (Insurance Law).",
                                deadline=label[kind],
                                claim=claim.name,
                                due=due,
                            ),
                        }
                    )
                if due < today:
                    manager = Notice._escalation_user(handler, PARAM_CLAIMS_MANAGER)
                    if not manager:
                        continue
                    env = _agent_env(claim, manager)
                    label = _deadline_kind_labels(env)
                    items.append(
                        {
                            "record": claim,
                            "kind": f"{kind}_escalation",
                            "deadline": due,
                            "user": manager,
                            "activity_type": activity_type,
                            "date_deadline": today,
                            "summary": env._(
                                "%(deadline)s overdue: claim %(claim)s",
                                deadline=label[kind],
                                claim=claim.name,
                            ),
                            "note": env._(
                                "The %(deadline)s of claim %(claim)s was due on %(due)s and is overdue; handler: "
                                "%(handler)s.",
                                deadline=label[kind],
                                claim=claim.name,
                                due=due,
                                handler=handler.name or "-",
                            ),
                        }
                    )
        return Notice._notify_once(items)
