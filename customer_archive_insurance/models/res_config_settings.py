from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    """Settings → Insurance: when the agents' reminders come and how often
    high-net-worth clients are reviewed."""

    _inherit = "res.config.settings"

    insurance_renewal_reminder_days = fields.Integer(
        string="Renewal Reminder (Days Before End)",
        config_parameter="customer_archive_insurance.renewal_reminder_days",
        default=30,
    )
    insurance_premium_grace_days = fields.Integer(
        string="Premium Grace Period (Days)",
        config_parameter="customer_archive_insurance.premium_grace_days",
        default=60,
    )
    insurance_birthday_reminder_days = fields.Integer(
        string="Birthday Greeting (Days Before)",
        config_parameter="customer_archive_insurance.birthday_reminder_days",
        default=3,
    )
    insurance_high_net_worth_review_months = fields.Integer(
        string="High-Net-Worth Review (Months)",
        config_parameter="customer_archive_insurance.high_net_worth_review_months",
        default=3,
    )

    # The periods of the Insurance Law and of the regulator's service rules,
    # each with the legal default.
    insurance_cooling_off_days = fields.Integer(
        string="Cooling-off Period (Days)",
        config_parameter="customer_archive_insurance.cooling_off_days",
        default=15,
    )
    insurance_cooling_off_cost = fields.Float(
        string="Cost Kept on Cancellation in Cooling-off",
        config_parameter="customer_archive_insurance.cooling_off_cost",
        default=10.0,
    )
    insurance_return_visit_user_id = fields.Many2one(
        "res.users",
        string="Return Visits By",
        config_parameter="customer_archive_insurance.return_visit_user_id",
        help="Customer service user who gets the return visits of new policies.",
    )
    insurance_service_manager_user_id = fields.Many2one(
        "res.users",
        string="Return Visit Escalation To",
        config_parameter="customer_archive_insurance.service_manager_user_id",
        help="Gets the return visits still not successful shortly before the cooling-off period ends, when "
        "the customer service user has no manager in the Employees app.",
    )
    insurance_return_visit_retry_days = fields.Integer(
        string="Return Visit Retry (Days)",
        config_parameter="customer_archive_insurance.return_visit_retry_days",
        default=1,
    )
    insurance_return_visit_escalation_days = fields.Integer(
        string="Return Visit Escalation (Days Before End)",
        config_parameter="customer_archive_insurance.return_visit_escalation_days",
        default=3,
    )
    insurance_dual_recording_age = fields.Integer(
        string="Recorded Sale from Age",
        config_parameter="customer_archive_insurance.dual_recording_age",
        default=60,
    )
    insurance_recording_retention_years_short = fields.Integer(
        string="Keep Recordings of Short Policies (Years)",
        config_parameter="customer_archive_insurance.recording_retention_years_short",
        default=5,
    )
    insurance_recording_retention_years_long = fields.Integer(
        string="Keep Recordings of Long Policies (Years)",
        config_parameter="customer_archive_insurance.recording_retention_years_long",
        default=10,
    )
    insurance_premium_grace_after_reminder_days = fields.Integer(
        string="Grace after a Reminder (Days)",
        config_parameter="customer_archive_insurance.premium_grace_after_reminder_days",
        default=30,
    )
    insurance_grace_end_reminder_days = fields.Integer(
        string="Grace End Reminder (Days Before)",
        config_parameter="customer_archive_insurance.grace_end_reminder_days",
        default=10,
    )
    insurance_reinstatement_years = fields.Integer(
        string="Reinstatement Period (Years)",
        config_parameter="customer_archive_insurance.reinstatement_years",
        default=2,
    )
    insurance_claim_decision_days = fields.Integer(
        string="Claim Decision (Days)",
        config_parameter="customer_archive_insurance.claim_decision_days",
        default=30,
    )
    insurance_claim_simple_decision_days = fields.Integer(
        string="Simple Claim Decision (Days)",
        config_parameter="customer_archive_insurance.claim_simple_decision_days",
        default=5,
    )
    insurance_claim_payment_days = fields.Integer(
        string="Claim Payment after Agreement (Days)",
        config_parameter="customer_archive_insurance.claim_payment_days",
        default=10,
    )
    insurance_claim_rejection_notice_days = fields.Integer(
        string="Rejection Notice (Days)",
        config_parameter="customer_archive_insurance.claim_rejection_notice_days",
        default=3,
    )
    insurance_claim_advance_payment_days = fields.Integer(
        string="Advance Payment (Days)",
        config_parameter="customer_archive_insurance.claim_advance_payment_days",
        default=60,
    )
    insurance_claim_deadline_reminder_days = fields.Integer(
        string="Claim Deadline Reminder (Days Before)",
        config_parameter="customer_archive_insurance.claim_deadline_reminder_days",
        default=3,
    )
    insurance_claims_manager_user_id = fields.Many2one(
        "res.users",
        string="Claim Escalation To",
        config_parameter="customer_archive_insurance.claims_manager_user_id",
        help="Gets the missed claim deadlines when the claims handler has no manager in the Employees app.",
    )

    def set_values(self):
        grace_fields = ("insurance_premium_grace_days", "insurance_premium_grace_after_reminder_days")
        params = self.env["ir.config_parameter"].sudo()
        before = {name: params.get_param(self._fields[name].config_parameter) for name in grace_fields}
        result = super().set_values()
        after = {name: params.get_param(self._fields[name].config_parameter) for name in grace_fields}
        if before != after:
            self.env["insurance.policy"]._recompute_grace_periods()
        return result

    @api.constrains(
        "insurance_cooling_off_days",
        "insurance_cooling_off_cost",
        "insurance_return_visit_retry_days",
        "insurance_return_visit_escalation_days",
        "insurance_dual_recording_age",
        "insurance_recording_retention_years_short",
        "insurance_recording_retention_years_long",
        "insurance_premium_grace_after_reminder_days",
        "insurance_grace_end_reminder_days",
        "insurance_reinstatement_years",
        "insurance_claim_decision_days",
        "insurance_claim_simple_decision_days",
        "insurance_claim_payment_days",
        "insurance_claim_rejection_notice_days",
        "insurance_claim_advance_payment_days",
        "insurance_claim_deadline_reminder_days",
    )
    def _check_insurance_periods(self):
        for settings in self:
            for name in self._check_insurance_periods._constrains:
                if settings[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative.",
                            field=settings._fields[name].get_description(self.env)["string"],
                        )
                    )

    @api.constrains(
        "insurance_renewal_reminder_days",
        "insurance_premium_grace_days",
        "insurance_birthday_reminder_days",
        "insurance_high_net_worth_review_months",
    )
    def _check_insurance_reminders(self):
        for settings in self:
            for name in (
                "insurance_renewal_reminder_days",
                "insurance_premium_grace_days",
                "insurance_birthday_reminder_days",
            ):
                if settings[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s cannot be negative.",
                            field=settings._fields[name].get_description(self.env)["string"],
                        )
                    )
            if not 1 <= settings.insurance_high_net_worth_review_months <= 12:
                raise ValidationError(self.env._("High-Net-Worth Review (Months) must be between 1 and 12."))
