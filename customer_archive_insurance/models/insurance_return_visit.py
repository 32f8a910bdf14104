from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .insurance_policy import _agent_env, _int_param
from .insurance_policy_regulation import PARAM_PREFIX

PARAM_RETURN_VISIT_USER = PARAM_PREFIX + "return_visit_user_id"
PARAM_RETURN_VISIT_RETRY_DAYS = PARAM_PREFIX + "return_visit_retry_days"
PARAM_RETURN_VISIT_ESCALATION_DAYS = PARAM_PREFIX + "return_visit_escalation_days"
PARAM_SERVICE_MANAGER = PARAM_PREFIX + "service_manager_user_id"

VISIT_STATES = [
    ("open", "To Do"),
    ("successful", "Successful"),
    ("unsuccessful", "Not Successful"),
]

VISIT_RESULTS = [
    ("successful", "Successful"),
    ("failed", "Failed"),
    ("unreachable", "Unreachable"),
]


class InsuranceReturnVisitQuestion(models.Model):
    """What a return visit must confirm with the policyholder (人身保险业务
    基本服务规定 第14–15条); the list is data the manager edits."""

    _name = "insurance.return.visit.question"
    _description = "Return Visit Checklist Item"
    _order = "sequence, id"

    name = fields.Char(string="Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class InsuranceReturnVisit(models.Model):
    """The return visit (回访) of a new policy longer than one year, made by
    customer service inside the cooling-off period. Customer service sees
    the policy's terms needed for the call, not the health data."""

    _name = "insurance.return.visit"
    _description = "Return Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _rec_name = "policy_id"

    policy_id = fields.Many2one(
        "insurance.policy", required=True, index=True, ondelete="cascade", readonly=True
    )
    policy_name = fields.Char(related="policy_id.name", string="Policy Number")
    policyholder_id = fields.Many2one(related="policy_id.policyholder_id", store=True, string="Policyholder")
    phone = fields.Char(related="policy_id.policyholder_id.phone", string="Phone")
    mobile = fields.Char(related="policy_id.policyholder_id.mobile", string="Mobile")
    agent_id = fields.Many2one(related="policy_id.agent_id", store=True, string="Agent")
    product_type = fields.Selection(related="policy_id.product_type", store=True)
    product_name = fields.Char(related="policy_id.product_name")
    insurer_id = fields.Many2one(related="policy_id.insurer_id", string="Insurer")
    currency_id = fields.Many2one(related="policy_id.currency_id")
    premium = fields.Monetary(related="policy_id.premium")
    payment_frequency = fields.Selection(related="policy_id.payment_frequency")
    start_date = fields.Date(related="policy_id.start_date")
    end_date = fields.Date(related="policy_id.end_date")
    receipt_date = fields.Date(related="policy_id.receipt_date")
    cooling_off_end_date = fields.Date(related="policy_id.cooling_off_end_date", store=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    user_id = fields.Many2one(
        "res.users", string="Customer Service", index=True, tracking=True, domain=[("share", "=", False)]
    )
    due_date = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        VISIT_STATES, string="Status", default="open", required=True, tracking=True, index=True
    )
    result = fields.Selection(VISIT_RESULTS, string="Last Result", readonly=True, tracking=True)
    success_rate = fields.Float(
        string="Success Rate (%)",
        compute="_compute_success_rate",
        store=True,
        aggregator="avg",
        help="100 for a successful visit, 0 otherwise: averaged per agent and product it is the success rate.",
    )
    line_ids = fields.One2many("insurance.return.visit.line", "visit_id", string="Checklist")
    attempt_ids = fields.One2many("insurance.return.visit.attempt", "visit_id", string="Attempts")
    attempt_count = fields.Integer(string="Attempts Made", compute="_compute_attempt_count", store=True)
    call_note = fields.Text(
        string="Note of this Call", help="Saved with the attempt when the call is logged."
    )

    _sql_constraints = [
        ("policy_unique", "unique(policy_id)", "A policy has one return visit."),
    ]

    @api.depends("result")
    def _compute_success_rate(self):
        for visit in self:
            visit.success_rate = 100.0 if visit.result == "successful" else 0.0

    @api.depends("attempt_ids")
    def _compute_attempt_count(self):
        for visit in self:
            visit.attempt_count = len(visit.attempt_ids)

    @api.model_create_multi
    def create(self, vals_list):
        questions = self.env["insurance.return.visit.question"].search([("active", "=", True)])
        for vals in vals_list:
            if "line_ids" not in vals:
                vals["line_ids"] = [
                    fields.Command.create({"question_id": question.id}) for question in questions
                ]
        return super().create(vals_list)

    # --------------------------------------------------------------- calls
    def _log_attempt(self, result):
        labels = dict(self._fields["result"]._description_selection(self.env))
        retry_days = _int_param(self.env, PARAM_RETURN_VISIT_RETRY_DAYS, 1)
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_return_visit")
        for visit in self:
            if visit.state != "open":
                raise UserError(
                    self.env._(
                        "The return visit of policy %(policy)s is closed: no further call can be logged.",
                        policy=visit.policy_name,
                    )
                )
            if result == "successful":
                unconfirmed = visit.line_ids.filtered(lambda line: line.answer != "yes")
                if unconfirmed:
                    raise UserError(
                        self.env._(
                            "The return visit of policy %(policy)s cannot be successful: these items are not "
                            "answered Yes: %(items)s. Answer them, or log the call as failed.",
                            policy=visit.policy_name,
                            items="; ".join(unconfirmed.mapped("question_id.name")),
                        )
                    )
            self.env["insurance.return.visit.attempt"].create(
                {"visit_id": visit.id, "result": result, "note": visit.call_note}
            )
            visit.write(
                {
                    "result": result,
                    "call_note": False,
                    **({"state": "successful"} if result == "successful" else {}),
                }
            )
            visit.message_post(
                body=self.env._(
                    "Return visit call %(count)s: %(result)s.",
                    count=visit.attempt_count,
                    result=labels[result],
                )
            )
            visit.activity_ids.filtered(
                lambda activity: activity.activity_type_id == activity_type
            ).action_feedback(feedback=labels[result])
            if result != "successful":
                retry = min(today + relativedelta(days=retry_days), visit.cooling_off_end_date or today)
                env = _agent_env(visit, visit.user_id or self.env.user)
                visit.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=max(retry, today),
                    user_id=(visit.user_id or self.env.user).id,
                    summary=env._("Return visit, call again: policy %(policy)s", policy=visit.policy_name),
                )
        return True

    def action_log_successful(self):
        return self._log_attempt("successful")

    def action_log_failed(self):
        return self._log_attempt("failed")

    def action_log_unreachable(self):
        return self._log_attempt("unreachable")

    # ----------------------------------------------------------------- job
    @api.model
    def _return_visit_user(self):
        # sudo: configuration parameters are read by the job.
        user_id = self.env["ir.config_parameter"].sudo().get_param(PARAM_RETURN_VISIT_USER)
        user = self.env["res.users"].browse(int(user_id)).exists() if user_id and user_id.isdigit() else None
        if user:
            return user
        return self.env.ref("customer_archive.group_archive_service").sudo().users.filtered("active")[:1]

    @api.model
    def _cron_return_visits(self, today):
        """Create the return visit of every new policy whose cooling-off
        period runs, escalate those still open some days before it ends,
        close those left unsuccessful when it has ended."""
        escalation_days = _int_param(self.env, PARAM_RETURN_VISIT_ESCALATION_DAYS, 3)
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_return_visit")
        policies = self.env["insurance.policy"].search(
            [
                ("state", "in", ("in_force", "grace")),
                ("has_cooling_off", "=", True),
                ("cooling_off_end_date", ">=", today),
                ("return_visit_ids", "=", False),
            ]
        )
        user = self._return_visit_user()
        # sudo: the job creates the visits for customer service.
        visits = self.sudo().create(
            [
                {
                    "policy_id": policy.id,
                    "user_id": user.id,
                    "due_date": max(policy.cooling_off_end_date - relativedelta(days=escalation_days), today),
                }
                for policy in policies
            ]
        )
        items = []
        for visit in visits:
            env = _agent_env(visit, visit.user_id) if visit.user_id else self.env
            items.append(
                {
                    "record": visit,
                    "kind": "return_visit",
                    "deadline": visit.cooling_off_end_date,
                    "user": visit.user_id,
                    "activity_type": activity_type,
                    "date_deadline": visit.due_date,
                    "summary": env._("Return visit: policy %(policy)s", policy=visit.policy_id.name),
                    "note": env._(
                        "Call %(holder)s before %(end)s, the end of the cooling-off period, and go through the "
                        "checklist of the return visit.",
                        holder=visit.policyholder_id.display_name,
                        end=visit.cooling_off_end_date,
                    ),
                }
            )
        late = self.sudo().search(
            [
                ("state", "=", "open"),
                ("cooling_off_end_date", ">=", today),
                ("cooling_off_end_date", "<=", today + relativedelta(days=escalation_days)),
            ]
        )
        for visit in late:
            manager = self.env["insurance.deadline.notice"]._escalation_user(
                visit.user_id, PARAM_SERVICE_MANAGER
            )
            if not manager:
                continue
            env = _agent_env(visit, manager)
            items.append(
                {
                    "record": visit,
                    "kind": "return_visit_escalation",
                    "deadline": visit.cooling_off_end_date,
                    "user": manager,
                    "activity_type": activity_type,
                    "date_deadline": today,
                    "summary": env._("Return visit not done: policy %(policy)s", policy=visit.policy_id.name),
                    "note": env._(
                        "The return visit of %(holder)s is not successful after %(count)s call(s) and the "
                        "cooling-off period ends on %(end)s: see that it is done in time.",
                        holder=visit.policyholder_id.display_name,
                        count=visit.attempt_count,
                        end=visit.cooling_off_end_date,
                    ),
                }
            )
        activities = self.env["insurance.deadline.notice"]._notify_once(items)
        expired = self.sudo().search([("state", "=", "open"), ("cooling_off_end_date", "<", today)])
        expired.write({"state": "unsuccessful"})
        for visit in expired:
            visit.message_post(
                body=self.env._(
                    "The cooling-off period ended on %(end)s without a successful return visit.",
                    end=visit.cooling_off_end_date,
                )
            )
        return activities


class InsuranceReturnVisitLine(models.Model):
    _name = "insurance.return.visit.line"
    _description = "Return Visit Checklist Answer"
    _order = "sequence, id"

    visit_id = fields.Many2one("insurance.return.visit", required=True, index=True, ondelete="cascade")
    question_id = fields.Many2one(
        "insurance.return.visit.question", string="Item", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="question_id.sequence", store=True)
    answer = fields.Selection([("yes", "Yes"), ("no", "No")])
    note = fields.Char()


class InsuranceReturnVisitAttempt(models.Model):
    _name = "insurance.return.visit.attempt"
    _description = "Return Visit Attempt"
    _order = "call_time desc, id desc"

    visit_id = fields.Many2one("insurance.return.visit", required=True, index=True, ondelete="cascade")
    call_time = fields.Datetime(string="Called At", required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Called By", required=True, default=lambda self: self.env.user
    )
    result = fields.Selection(VISIT_RESULTS, required=True)
    note = fields.Text()
