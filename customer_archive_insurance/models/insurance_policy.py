from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PRODUCT_TYPES = [
    ("medical", "Medical"),
    ("critical_illness", "Critical Illness"),
    ("life", "Life"),
    ("accident", "Accident"),
    ("property", "Property"),
    ("other", "Other"),
]

PAYMENT_FREQUENCIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("semi_annual", "Semi-Annual"),
    ("annual", "Annual"),
    ("single", "Single Payment"),
]

# Months covered by one premium payment of each frequency (calendar facts, not tunable rules).
PAYMENT_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}

POLICY_STATES = [
    ("draft", "Draft"),
    ("in_force", "In Force"),
    # 保险法 第36–37条: an unpaid premium opens the grace period (宽限期); at
    # its end the contract is suspended (中止, key "lapsed"); a suspended
    # policy not reinstated within the reinstatement period is terminated.
    ("grace", "In Grace Period"),
    ("lapsed", "Suspended"),
    ("terminated", "Terminated"),
    ("expired", "Expired"),
    ("cancelled", "Cancelled"),
]

PARAM_RENEWAL_DAYS = "customer_archive_insurance.renewal_reminder_days"
PARAM_GRACE_DAYS = "customer_archive_insurance.premium_grace_days"


def _int_param(env, key, default):
    # sudo: configuration parameters are read by crons and by every agent.
    value = env["ir.config_parameter"].sudo().get_param(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _agent_env(record, agent):
    """Environment in the agent's language (when installed), for the texts
    of the activities created for them by the crons."""
    installed = {code for code, _name in record.env["res.lang"].get_installed()}
    lang = agent.lang if agent.lang in installed else record.env.lang
    return record.with_context(lang=lang).env


class InsurancePolicy(models.Model):
    _name = "insurance.policy"
    _description = "Insurance Policy"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "start_date desc, id desc"
    # A policy is found by its number or by its client's name (policyholder or
    # insured person), in many2one fields and in the search bar alike.
    _rec_names_search = ["name", "policyholder_id.name", "insured_id.name"]

    name = fields.Char(
        string="Policy Number",
        required=True,
        copy=False,
        default=lambda self: self.env._("New"),
        tracking=True,
        help="Number given by the insurer; unique per insurer. Left as New, it is taken from a sequence.",
    )
    product_type = fields.Selection(PRODUCT_TYPES, required=True, default="medical", tracking=True)
    product_name = fields.Char(string="Product")
    insurer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        ondelete="restrict",
    )
    policyholder_id = fields.Many2one(
        "res.partner", required=True, index=True, tracking=True, ondelete="restrict"
    )
    insured_id = fields.Many2one(
        "res.partner", string="Insured Person", required=True, index=True, tracking=True, ondelete="restrict"
    )
    beneficiary_ids = fields.One2many(
        "insurance.policy.beneficiary", "policy_id", string="Beneficiaries", copy=True
    )
    agent_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    base_premium = fields.Monetary(
        string="Standard Premium",
        tracking=True,
        help="Premium per payment before the pricing factor of the insured person.",
    )
    pricing_factor = fields.Float(
        digits=(16, 2),
        default=1.0,
        copy=False,
        tracking=True,
        help="Copied from the latest health record of the insured person when the policy is created.",
    )
    risk_score = fields.Integer(copy=False, readonly=True, help="Risk score of the insured at creation.")
    premium = fields.Monetary(
        compute="_compute_premium",
        store=True,
        readonly=False,
        tracking=True,
        help="Premium per payment: standard premium times pricing factor, may be adjusted.",
    )
    payment_frequency = fields.Selection(PAYMENT_FREQUENCIES, required=True, default="annual", tracking=True)
    annual_premium = fields.Monetary(compute="_compute_annual_premium", store=True)
    sum_insured = fields.Monetary(tracking=True)
    start_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    end_date = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(years=1, days=-1),
        tracking=True,
    )
    next_premium_date = fields.Date(
        string="Next Premium Due",
        copy=False,
        tracking=True,
        help="Due date of the next premium; the policy lapses when it is unpaid beyond the grace period.",
    )
    state = fields.Selection(
        POLICY_STATES,
        string="Status",
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    cancel_reason = fields.Text(string="Cancellation Reason", copy=False)
    previous_policy_id = fields.Many2one("insurance.policy", copy=False, index=True)
    renewal_policy_id = fields.Many2one("insurance.policy", copy=False)
    claim_ids = fields.One2many("insurance.claim", "policy_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_claim_figures")
    claims_paid = fields.Monetary(compute="_compute_claim_figures")
    renewal_reminder_date = fields.Date(
        copy=False, readonly=True, help="Day the renewal activity was created (once per policy)."
    )
    lapse_reminder_date = fields.Date(
        copy=False, readonly=True, help="Day the lapsed-premium follow-up was created (once per lapse)."
    )
    notes = fields.Html()

    _sql_constraints = [
        (
            "number_insurer_unique",
            "unique(insurer_id, name)",
            "The Policy Number must be unique per insurer: this insurer already has a policy with this number.",
        ),
    ]

    @api.depends("base_premium", "pricing_factor")
    def _compute_premium(self):
        for policy in self:
            policy.premium = policy.base_premium * (policy.pricing_factor or 1.0)

    @api.depends("premium", "payment_frequency", "start_date", "end_date")
    def _compute_annual_premium(self):
        for policy in self:
            months = PAYMENT_PERIOD_MONTHS.get(policy.payment_frequency)
            if months:
                policy.annual_premium = policy.premium * 12 / months
            else:
                # A single premium is spread over the policy term in years (at least one).
                days = (
                    (policy.end_date - policy.start_date).days + 1
                    if policy.start_date and policy.end_date
                    else 0
                )
                policy.annual_premium = policy.premium / max(days / 365.25, 1.0)

    def _compute_claim_figures(self):
        rows = self.env["insurance.claim"]._read_group(
            [("policy_id", "in", self.ids)], ["policy_id"], ["__count", "amount_paid:sum"]
        )
        figures = {policy.id: (count, paid) for policy, count, paid in rows}
        for policy in self:
            policy.claim_count, policy.claims_paid = figures.get(policy.id, (0, 0.0))

    @api.constrains("start_date", "end_date")
    def _check_dates(self):
        for policy in self:
            if policy.end_date < policy.start_date:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the End Date (%(end)s) must not be before the Start Date (%(start)s).",
                        policy=policy.name,
                        end=policy.end_date,
                        start=policy.start_date,
                    )
                )

    @api.constrains("premium", "base_premium", "sum_insured", "pricing_factor")
    def _check_amounts(self):
        for policy in self:
            if policy.premium < 0 or policy.base_premium < 0 or policy.sum_insured < 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the Premium, Standard Premium and Sum Insured cannot be negative.",
                        policy=policy.name,
                    )
                )
            if policy.pricing_factor <= 0:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the Pricing Factor must be greater than 0.", policy=policy.name
                    )
                )

    @api.constrains("beneficiary_ids")
    def _check_beneficiary_shares(self):
        for policy in self:
            if not policy.beneficiary_ids:
                continue
            total = sum(policy.beneficiary_ids.mapped("share"))
            if abs(total - 100.0) > 0.01:
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: the Shares (%%) of the beneficiaries add up to %(total)s %%; "
                        "they must add up to 100 %%.",
                        policy=policy.name,
                        total=round(total, 2),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        new_label = self.env._("New")
        insureds = self.env["res.partner"].browse(
            [vals["insured_id"] for vals in vals_list if vals.get("insured_id")]
        )
        # sudo: agents may not read health records, but the pricing factor of
        # the insured's latest record is copied onto the policy they create.
        latest = self.env["insurance.health.record"].sudo()._latest_for_partners(insureds)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] in (new_label, "New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("insurance.policy") or new_label
            record = latest.get(vals.get("insured_id"))
            if record and "pricing_factor" not in vals:
                vals["pricing_factor"] = record.pricing_factor
                vals["risk_score"] = record.risk_score
        return super().create(vals_list)

    # ------------------------------------------------------------------ actions
    def _check_state(self, allowed, action_label):
        for policy in self:
            if policy.state not in allowed:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s is %(state)s: it cannot be %(action)s.",
                        policy=policy.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[policy.state],
                        action=action_label,
                    )
                )

    def _first_due_date(self):
        self.ensure_one()
        months = PAYMENT_PERIOD_MONTHS.get(self.payment_frequency)
        # The first premium is paid at inception: the next one is due one period later.
        return self.start_date + relativedelta(months=months) if months else False

    def action_activate(self):
        self._check_state(("draft",), self.env._("put in force"))
        for policy in self:
            if not policy.premium:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s: enter the Premium before putting it in force.", policy=policy.name
                    )
                )
            policy._check_dual_recording()
            due = policy._first_due_date()
            policy.write(
                {
                    "state": "in_force",
                    "next_premium_date": due if due and due <= policy.end_date else False,
                }
            )

    def action_register_premium(self):
        """The premium due has been paid: the next one is due one period later."""
        self._check_state(("in_force", "grace", "lapsed"), self.env._("paid"))
        for policy in self:
            months = PAYMENT_PERIOD_MONTHS.get(policy.payment_frequency)
            if not months or not policy.next_premium_date:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s has no premium due: nothing to register.", policy=policy.name
                    )
                )
            due = policy.next_premium_date + relativedelta(months=months)
            vals = {
                "next_premium_date": due if due <= policy.end_date else False,
                "premium_reminder_date": False,
            }
            if policy.state in ("grace", "lapsed"):
                vals.update(state="in_force", lapse_reminder_date=False, suspension_date=False)
            policy.write(vals)

    def action_lapse(self):
        self._check_state(("in_force", "grace"), self.env._("suspended"))
        self._suspend(fields.Date.context_today(self))

    def action_reinstate(self):
        self._check_state(("lapsed",), self.env._("reinstated"))
        self._reinstate(fields.Date.context_today(self))

    def action_expire(self):
        self._check_state(("in_force", "grace", "lapsed"), self.env._("expired"))
        self.write({"state": "expired"})

    def action_cancel(self):
        self._check_state(("draft", "in_force", "grace", "lapsed"), self.env._("cancelled"))
        self.write({"state": "cancelled"})

    def action_reset_to_draft(self):
        self._check_state(("cancelled",), self.env._("reset to draft"))
        self.write({"state": "draft"})

    def action_renew(self):
        """Create the next policy term, linked to this one, and open it."""
        self._check_state(("in_force", "expired"), self.env._("renewed"))
        renewals = self.env["insurance.policy"]
        for policy in self:
            if policy.renewal_policy_id:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s has already been renewed by %(renewal)s.",
                        policy=policy.name,
                        renewal=policy.renewal_policy_id.name,
                    )
                )
            term = relativedelta(policy.end_date + relativedelta(days=1), policy.start_date)
            start = policy.end_date + relativedelta(days=1)
            renewal = policy.copy(
                {
                    "start_date": start,
                    "end_date": start + term - relativedelta(days=1),
                    "previous_policy_id": policy.id,
                }
            )
            policy.renewal_policy_id = renewal
            policy.message_post(body=self.env._("Renewed by policy %(renewal)s.", renewal=renewal.name))
            renewals |= renewal
        if len(renewals) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "insurance.policy",
                "res_id": renewals.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "insurance.policy",
            "domain": [("id", "in", renewals.ids)],
            "view_mode": "list,form",
        }

    def copy_data(self, default=None):
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        # A copy (e.g. a renewal) is priced again from the insured's current
        # health record; a premium entered without standard premium is kept.
        for policy, vals in zip(self, vals_list, strict=True):
            vals.pop("pricing_factor", None)
            if not policy.base_premium:
                vals.setdefault("premium", policy.premium)
        return vals_list

    def action_open_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive_insurance.action_insurance_claim"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id}
        return action

    # -------------------------------------------------------------------- crons
    @api.model
    def _cron_update_states(self):
        """Expire policies past their end date; an unpaid premium opens the
        grace period, its end suspends the policy (中止), the end of the
        reinstatement period terminates it; the cooling-off period ends."""
        today = fields.Date.context_today(self)
        expired = self.search([("state", "in", ("in_force", "grace", "lapsed")), ("end_date", "<", today)])
        expired.write({"state": "expired"})
        lapsed = self._cron_update_premium_states(today)
        self._cron_end_cooling_off(today)
        return expired, lapsed

    def _activity_vals(self, activity_type, user, deadline, summary, note, res_model="insurance.policy"):
        return {
            "res_model_id": self.env["ir.model"]._get_id(res_model),
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "date_deadline": deadline,
            "summary": summary,
            "note": note,
        }

    def _renewal_reminder_texts(self, env):
        """Summary and note of the renewal reminder, in the language of ``env``."""
        return (
            env._("Renewal of policy %(policy)s", policy=self.name),
            env._(
                "Policy %(policy)s of %(holder)s ends on %(end)s: contact the client about its renewal.",
                policy=self.name,
                holder=self.policyholder_id.display_name,
                end=self.end_date,
            ),
        )

    def _lapse_reminder_texts(self, env):
        """Summary and note of the lapsed-premium reminder, in the language of ``env``."""
        return (
            env._("Lapsed premium of policy %(policy)s", policy=self.name),
            env._(
                "The premium of policy %(policy)s of %(holder)s due on %(due)s is unpaid and the policy "
                "has lapsed: follow up with the client to pay and reinstate it.",
                policy=self.name,
                holder=self.policyholder_id.display_name,
                due=self.next_premium_date,
            )
            + " "
            + env._(
                "Suspended since %(suspended)s; it can be reinstated until %(deadline)s.",
                suspended=self.suspension_date,
                deadline=self.reinstatement_deadline,
            ),
        )

    @api.model
    def _cron_create_reminders(self):
        """Renewal and lapsed-premium activities for the agents, each created once."""
        today = fields.Date.context_today(self)
        days = _int_param(self.env, PARAM_RENEWAL_DAYS, 30)
        renewal_type = self.env.ref("customer_archive_insurance.mail_activity_type_policy_renewal")
        lapse_type = self.env.ref("customer_archive_insurance.mail_activity_type_lapsed_premium")
        vals_list = []
        to_renew = self.search(
            [
                ("state", "=", "in_force"),
                ("renewal_policy_id", "=", False),
                ("renewal_reminder_date", "=", False),
                ("agent_id", "!=", False),
                ("end_date", ">=", today),
                ("end_date", "<=", today + relativedelta(days=days)),
            ]
        )
        lapsed = self.search(
            [("state", "=", "lapsed"), ("lapse_reminder_date", "=", False), ("agent_id", "!=", False)]
        )
        for policies, activity_type, texts in (
            (to_renew, renewal_type, "_renewal_reminder_texts"),
            (lapsed, lapse_type, "_lapse_reminder_texts"),
        ):
            for policy in policies:
                summary, note = getattr(policy, texts)(_agent_env(policy, policy.agent_id))
                vals_list.append(policy._activity_vals(activity_type, policy.agent_id, today, summary, note))
        to_renew.write({"renewal_reminder_date": today})
        lapsed.write({"lapse_reminder_date": today})
        # sudo: the cron creates activities for agents on records of their clients;
        # quick update: no notification e-mail per activity from the cron.
        activities = (
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )
        activities |= self.env["res.partner"]._cron_create_birthday_reminders()
        activities |= self._cron_regulatory_deadlines(today)
        return activities
