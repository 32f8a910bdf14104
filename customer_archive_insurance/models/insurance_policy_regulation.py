from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .insurance_policy import PARAM_GRACE_DAYS, PAYMENT_PERIOD_MONTHS, _agent_env, _int_param

PARAM_PREFIX = "customer_archive_insurance."
PARAM_COOLING_OFF_DAYS = PARAM_PREFIX + "cooling_off_days"
PARAM_COOLING_OFF_COST = PARAM_PREFIX + "cooling_off_cost"
PARAM_DUAL_RECORDING_AGE = PARAM_PREFIX + "dual_recording_age"
PARAM_RETENTION_SHORT = PARAM_PREFIX + "recording_retention_years_short"
PARAM_RETENTION_LONG = PARAM_PREFIX + "recording_retention_years_long"
PARAM_GRACE_AFTER_REMINDER_DAYS = PARAM_PREFIX + "premium_grace_after_reminder_days"
PARAM_GRACE_END_REMINDER_DAYS = PARAM_PREFIX + "grace_end_reminder_days"
PARAM_REINSTATEMENT_YEARS = PARAM_PREFIX + "reinstatement_years"

# Personal lines (人身保险) that have a cooling-off period and a return visit
# when they run longer than one year.
PERSONAL_PRODUCT_TYPES = ("medical", "critical_illness", "life", "accident")

COOLING_OFF_STATES = [
    ("none", "Not Applicable"),
    ("pending", "Awaiting Receipt"),
    ("running", "Running"),
    ("ended", "Ended"),
    ("cancelled", "Cancelled Inside"),
]

REFUND_RULES = [
    ("cash_value", "Cash Value"),
    ("unearned", "Unearned Premium"),
]


def _float_param(env, key, default):
    # sudo: configuration parameters are read by crons and by every agent.
    value = env["ir.config_parameter"].sudo().get_param(key, default)
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class InsurancePolicy(models.Model):
    """What the law and the regulator require of a policy: the cooling-off
    period (犹豫期), the recorded sale (双录), the grace period, suspension
    and reinstatement (保险法 第36–37条) and the refund on surrender."""

    _inherit = "insurance.policy"

    # ----------------------------------------------------------- cooling-off
    receipt_date = fields.Date(
        string="Receipt Signed On",
        copy=False,
        tracking=True,
        help="Day the policyholder signed the receipt of the policy (回执签收日): the cooling-off period starts here.",
    )
    long_term = fields.Boolean(
        string="Longer than One Year",
        compute="_compute_long_term",
        store=True,
        help="The policy term is longer than one year.",
    )
    has_cooling_off = fields.Boolean(
        string="Cooling-off Period",
        compute="_compute_long_term",
        store=True,
        help="Life, health, critical-illness and accident policies longer than one year have a cooling-off "
        "period (犹豫期) and a return visit (回访).",
    )
    cooling_off_end_date = fields.Date(
        string="Cooling-off Period Ends",
        compute="_compute_cooling_off_end_date",
        store=True,
        help="Last day of the cooling-off period: the receipt day plus the days of the setting (counted from the "
        "next day). Cancelled up to this day, the premium is refunded in full less the cost of the policy.",
    )
    cooling_off_state = fields.Selection(
        COOLING_OFF_STATES,
        string="Cooling-off Status",
        compute="_compute_cooling_off_state",
        store=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    refund_rule = fields.Selection(
        REFUND_RULES,
        string="Refund after Cooling-off",
        compute="_compute_refund_rule",
        store=True,
        readonly=False,
        help="What a surrender after the cooling-off period refunds, by the terms of the product: the cash value "
        "(life and critical-illness policies) or the unearned part of the premium paid.",
    )
    cash_value = fields.Monetary(
        tracking=True,
        help="Current cash value (现金价值) of the policy, from the insurer's cash-value table.",
    )
    simple_claim_fast_track = fields.Boolean(
        string="Simple Claims Decided Faster",
        help="The product terms promise a decision on simple claims within the shorter period of the settings.",
    )
    surrender_date = fields.Date(string="Cancelled On", copy=False, readonly=True, tracking=True)
    refund_amount = fields.Monetary(string="Refund", copy=False, readonly=True, tracking=True)
    # --------------------------------------------------------- recorded sale
    requires_dual_recording = fields.Boolean(
        string="Recorded Sale Required",
        compute="_compute_requires_dual_recording",
        store=True,
        help="The policyholder is of the age of the setting or older: the sale is recorded in sound and "
        "image (双录) and the recording kept in the archive.",
    )
    recording_document_ids = fields.One2many(
        "customer.archive.document", "insurance_policy_id", string="Sale Recordings"
    )
    recording_type_id = fields.Many2one(
        "customer.archive.document.type",
        compute="_compute_recording_type_id",
        help="Document type of the sale recordings.",
    )
    recording_retention_date = fields.Date(
        string="Keep Recording Until",
        compute="_compute_recording_retention_date",
        store=True,
        help="The recording of the sale is kept this long: years of the setting after the contract ends "
        "(5 for policies of up to one year, 10 for longer ones).",
    )
    # ------------------------------------------- grace period, reinstatement
    grace_after_reminder = fields.Boolean(
        string="Grace Ends 30 Days after Reminder",
        tracking=True,
        help="The contract says so: the grace period ends the shorter period of the settings after the insurer's "
        "premium reminder (催告), if that is earlier than the standard grace period.",
    )
    premium_reminder_date = fields.Date(
        string="Premium Reminder Sent On",
        copy=False,
        tracking=True,
        help="Day the insurer reminded the policyholder of the unpaid premium (催告).",
    )
    grace_end_date = fields.Date(
        string="Grace Period Ends",
        compute="_compute_grace_end_date",
        store=True,
        help="Last day of the grace period of the unpaid premium; the day after, the policy is suspended (中止).",
    )
    suspension_date = fields.Date(string="Suspended On", copy=False, readonly=True, tracking=True)
    reinstatement_deadline = fields.Date(
        string="Reinstate Until",
        compute="_compute_reinstatement_deadline",
        store=True,
        help="A suspended policy can be reinstated up to this day once the arrears are agreed and paid; "
        "after it the policy is terminated.",
    )
    termination_date = fields.Date(string="Terminated On", copy=False, readonly=True, tracking=True)
    return_visit_ids = fields.One2many("insurance.return.visit", "policy_id", string="Return Visits")
    return_visit_state = fields.Selection(
        related="return_visit_ids.state", string="Return Visit", help="Status of the return visit (回访)."
    )

    # ------------------------------------------------------------- computes
    @api.depends("product_type", "start_date", "end_date")
    def _compute_long_term(self):
        for policy in self:
            policy.long_term = bool(
                policy.start_date
                and policy.end_date
                and policy.end_date >= policy.start_date + relativedelta(years=1)
            )
            policy.has_cooling_off = policy.long_term and policy.product_type in PERSONAL_PRODUCT_TYPES

    @api.depends("receipt_date", "has_cooling_off")
    def _compute_cooling_off_end_date(self):
        # The period is fixed when the receipt is signed: a later change of
        # the setting does not move the periods already running.
        days = _int_param(self.env, PARAM_COOLING_OFF_DAYS, 15)
        for policy in self:
            policy.cooling_off_end_date = (
                policy.receipt_date + relativedelta(days=days)
                if policy.has_cooling_off and policy.receipt_date
                else False
            )

    @api.depends("has_cooling_off", "cooling_off_end_date", "surrender_date")
    def _compute_cooling_off_state(self):
        today = fields.Date.context_today(self)
        for policy in self:
            if not policy.has_cooling_off:
                policy.cooling_off_state = "none"
            elif not policy.cooling_off_end_date:
                policy.cooling_off_state = "pending"
            elif policy.surrender_date and policy.surrender_date <= policy.cooling_off_end_date:
                policy.cooling_off_state = "cancelled"
            elif today > policy.cooling_off_end_date:
                policy.cooling_off_state = "ended"
            else:
                policy.cooling_off_state = "running"

    @api.depends("product_type", "long_term")
    def _compute_refund_rule(self):
        for policy in self:
            if not policy.refund_rule:
                long_life = policy.long_term and policy.product_type in ("life", "critical_illness")
                policy.refund_rule = "cash_value" if long_life else "unearned"

    @api.depends("policyholder_id.archive_birth_date", "start_date")
    def _compute_requires_dual_recording(self):
        age = _int_param(self.env, PARAM_DUAL_RECORDING_AGE, 60)
        for policy in self:
            # sudo: the birth date of the policyholder decides the recording,
            # also for users who read only part of the archive.
            birth = policy.policyholder_id.sudo().archive_birth_date
            policy.requires_dual_recording = bool(
                birth and policy.start_date and relativedelta(policy.start_date, birth).years >= age
            )

    def _compute_recording_type_id(self):
        recording_type = self.env.ref(
            "customer_archive_insurance.document_type_sale_recording", raise_if_not_found=False
        )
        for policy in self:
            policy.recording_type_id = recording_type

    @api.depends("end_date", "long_term")
    def _compute_recording_retention_date(self):
        short = _int_param(self.env, PARAM_RETENTION_SHORT, 5)
        long = _int_param(self.env, PARAM_RETENTION_LONG, 10)
        for policy in self:
            years = long if policy.long_term else short
            policy.recording_retention_date = policy.end_date and policy.end_date + relativedelta(years=years)

    @api.depends("next_premium_date", "premium_reminder_date", "grace_after_reminder")
    def _compute_grace_end_date(self):
        grace = _int_param(self.env, PARAM_GRACE_DAYS, 60)
        after_reminder = _int_param(self.env, PARAM_GRACE_AFTER_REMINDER_DAYS, 30)
        for policy in self:
            if not policy.next_premium_date:
                policy.grace_end_date = False
                continue
            end = policy.next_premium_date + relativedelta(days=grace)
            if policy.grace_after_reminder and policy.premium_reminder_date:
                end = min(end, policy.premium_reminder_date + relativedelta(days=after_reminder))
            policy.grace_end_date = end

    @api.depends("suspension_date")
    def _compute_reinstatement_deadline(self):
        years = _int_param(self.env, PARAM_REINSTATEMENT_YEARS, 2)
        for policy in self:
            policy.reinstatement_deadline = policy.suspension_date and policy.suspension_date + relativedelta(
                years=years
            )

    @api.model
    def _assume_receipt_on_start(self):
        """Policies past draft without a receipt date are taken as delivered
        on their start date (demo data; the 18.0.1.2.0 migration does the same)."""
        for policy in self.search([("receipt_date", "=", False), ("state", "!=", "draft")]):
            policy.receipt_date = policy.start_date

    @api.model
    def _recompute_grace_periods(self):
        """The grace settings changed: the running grace periods follow."""
        policies = self.search([("state", "in", ("in_force", "grace")), ("next_premium_date", "!=", False)])
        self.env.add_to_compute(self._fields["grace_end_date"], policies)
        policies.flush_recordset(["grace_end_date"])

    # -------------------------------------------------------- recorded sale
    def _check_dual_recording(self):
        for policy in self:
            if policy.requires_dual_recording and not policy.recording_document_ids:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s: the policyholder is %(age)s or older, so the sale must be recorded "
                        "(双录). Add the recording on the Recorded Sale tab before putting the policy in force.",
                        policy=policy.name,
                        age=_int_param(self.env, PARAM_DUAL_RECORDING_AGE, 60),
                    )
                )

    # ------------------------------------------------------------- refunds
    def _refund_on(self, day):
        """(amount, explanation) refunded when the policy is cancelled on ``day``."""
        self.ensure_one()
        if self.has_cooling_off and (not self.cooling_off_end_date or day <= self.cooling_off_end_date):
            cost = _float_param(self.env, PARAM_COOLING_OFF_COST, 10.0)
            return max(self.premium - cost, 0.0), self.env._(
                "Inside the cooling-off period: the premium paid less the cost of the policy (%(cost)s).",
                cost=self.currency_id.format(cost),
            )
        if self.refund_rule == "cash_value":
            return self.cash_value, self.env._("After the cooling-off period: the cash value of the policy.")
        months = PAYMENT_PERIOD_MONTHS.get(self.payment_frequency)
        if months and self.next_premium_date:
            period_end = self.next_premium_date - relativedelta(days=1)
            period_start = self.next_premium_date - relativedelta(months=months)
        elif months:
            # every premium paid: the last period runs to the end date
            period_end = self.end_date
            period_start = self.end_date + relativedelta(days=1) - relativedelta(months=months)
        else:
            period_start, period_end = self.start_date, self.end_date
        period_start = max(period_start, self.start_date)
        total_days = (period_end - period_start).days + 1
        left_days = min(max((period_end - day).days, 0), total_days)
        amount = self.premium * left_days / total_days if total_days > 0 else 0.0
        return self.currency_id.round(amount), self.env._(
            "After the cooling-off period: the unearned premium, %(left)s of %(total)s days of the period paid.",
            left=left_days,
            total=total_days,
        )

    def _surrender(self, day, reason):
        self._check_state(("in_force", "grace", "lapsed"), self.env._("cancelled"))
        for policy in self:
            amount, explanation = policy._refund_on(day)
            policy.write(
                {
                    "state": "cancelled",
                    "surrender_date": day,
                    "refund_amount": amount,
                    "cancel_reason": reason,
                }
            )
            policy.message_post(
                body=self.env._(
                    "Cancelled on %(day)s: refund %(amount)s. %(explanation)s",
                    day=day,
                    amount=policy.currency_id.format(amount),
                    explanation=explanation,
                )
            )

    def action_open_surrender(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Policy"),
            "res_model": "insurance.policy.surrender",
            "view_mode": "form",
            "target": "new",
            "context": {"default_policy_id": self.id},
        }

    # ---------------------------------------------- grace and reinstatement
    def _suspend(self, day):
        self.write({"state": "lapsed", "suspension_date": day})
        for policy in self:
            policy.message_post(
                body=self.env._(
                    "The premium due on %(due)s is unpaid past the grace period: the policy is suspended (中止) "
                    "from %(day)s. It can be reinstated until %(deadline)s.",
                    due=policy.next_premium_date,
                    day=day,
                    deadline=policy.reinstatement_deadline,
                )
            )

    def _reinstate(self, day):
        """Reinstate suspended policies: the arrears (every premium due up to
        ``day``) are agreed and paid, the next premium is due after ``day``."""
        for policy in self:
            if policy.reinstatement_deadline and day > policy.reinstatement_deadline:
                raise UserError(
                    self.env._(
                        "Policy %(policy)s was suspended on %(suspended)s: the reinstatement period ended on "
                        "%(deadline)s, so it can no longer be reinstated.",
                        policy=policy.name,
                        suspended=policy.suspension_date,
                        deadline=policy.reinstatement_deadline,
                    )
                )
            months = PAYMENT_PERIOD_MONTHS.get(policy.payment_frequency)
            due, count = policy.next_premium_date, 0
            while months and due and due <= day and due <= policy.end_date:
                count += 1
                due += relativedelta(months=months)
            policy.write(
                {
                    "state": "in_force",
                    "next_premium_date": due if due and due <= policy.end_date else False,
                    "lapse_reminder_date": False,
                    "suspension_date": False,
                    "premium_reminder_date": False,
                }
            )
            policy.message_post(
                body=self.env._(
                    "Reinstated on %(day)s after agreement and payment of the arrears: %(count)s premium(s), "
                    "%(amount)s.",
                    day=day,
                    count=count,
                    amount=policy.currency_id.format(policy.premium * count),
                )
            )

    @api.model
    def _cron_update_premium_states(self, today):
        """In force → in grace → suspended → terminated, by the dates."""
        to_grace = self.search(
            [
                ("state", "=", "in_force"),
                ("next_premium_date", "!=", False),
                ("next_premium_date", "<", today),
            ]
        )
        to_grace.write({"state": "grace"})
        for policy in to_grace:
            policy.message_post(
                body=self.env._(
                    "The premium due on %(due)s is unpaid: grace period until %(end)s.",
                    due=policy.next_premium_date,
                    end=policy.grace_end_date,
                )
            )
        to_suspend = self.search([("state", "=", "grace"), ("grace_end_date", "<", today)])
        for policy in to_suspend:
            policy._suspend(policy.grace_end_date + relativedelta(days=1))
        to_terminate = self.search([("state", "=", "lapsed"), ("reinstatement_deadline", "<", today)])
        to_terminate.write({"state": "terminated", "termination_date": today})
        for policy in to_terminate:
            policy.message_post(
                body=self.env._(
                    "Not reinstated by %(deadline)s: the policy is terminated.",
                    deadline=policy.reinstatement_deadline,
                )
            )
        return to_suspend

    @api.model
    def _cron_end_cooling_off(self, today):
        ended = self.search([("cooling_off_state", "=", "running"), ("cooling_off_end_date", "<", today)])
        self.env.add_to_compute(self._fields["cooling_off_state"], ended)
        ended.flush_recordset(["cooling_off_state"])
        for policy in ended:
            policy.message_post(
                body=self.env._(
                    "The cooling-off period ended on %(end)s: a cancellation now refunds by the rule of the product.",
                    end=policy.cooling_off_end_date,
                )
            )
        return ended

    @api.model
    def _cron_regulatory_deadlines(self, today=None):
        """The activities of the deadlines of the law and the regulator:
        grace period, return visits, claims; each created once."""
        today = today or fields.Date.context_today(self)
        activities = self._cron_grace_reminders(today)
        activities |= self.env["insurance.return.visit"]._cron_return_visits(today)
        activities |= self.env["insurance.claim"]._cron_claim_deadlines(today)
        return activities

    @api.model
    def _cron_grace_reminders(self, today):
        """Activities for the agent when the grace period starts and some
        days before it ends, once per unpaid premium."""
        before_end = _int_param(self.env, PARAM_GRACE_END_REMINDER_DAYS, 10)
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_grace_period")
        items = []
        for policy in self.search([("state", "=", "grace"), ("agent_id", "!=", False)]):
            env = _agent_env(policy, policy.agent_id)
            values = {
                "policy": policy.name,
                "holder": policy.policyholder_id.display_name,
                "due": policy.next_premium_date,
                "end": policy.grace_end_date,
            }
            items.append(
                {
                    "record": policy,
                    "kind": "grace_start",
                    "deadline": policy.next_premium_date,
                    "user": policy.agent_id,
                    "activity_type": activity_type,
                    "date_deadline": today,
                    "summary": env._("Premium overdue: policy %(policy)s", policy=policy.name),
                    "note": env._(
                        "The premium of policy %(policy)s of %(holder)s due on %(due)s is unpaid. The grace "
                        "period runs until %(end)s: remind the policyholder (催告) and record the reminder date.",
                        **values,
                    ),
                }
            )
            if policy.grace_end_date and today >= policy.grace_end_date - relativedelta(days=before_end):
                items.append(
                    {
                        "record": policy,
                        "kind": "grace_end",
                        "deadline": policy.grace_end_date,
                        "user": policy.agent_id,
                        "activity_type": activity_type,
                        "date_deadline": policy.grace_end_date,
                        "summary": env._("Grace period ends: policy %(policy)s", policy=policy.name),
                        "note": env._(
                            "The grace period of policy %(policy)s of %(holder)s ends on %(end)s: unpaid, the "
                            "policy is suspended the day after.",
                            **values,
                        ),
                    }
                )
        return self.env["insurance.deadline.notice"]._notify_once(items)
