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
