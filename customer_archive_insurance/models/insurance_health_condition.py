from odoo import fields, models

CONDITION_SEVERITIES = [
    ("1", "Mild"),
    ("2", "Moderate"),
    ("3", "Severe"),
]


class InsuranceHealthCondition(models.Model):
    _name = "insurance.health.condition"
    _description = "Declared Health Condition"
    _order = "diagnosed_date desc, id"

    health_record_id = fields.Many2one(
        "insurance.health.record", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="health_record_id.partner_id", store=True)
    name = fields.Char(string="Condition", required=True)
    diagnosed_date = fields.Date(string="Diagnosed On")
    ongoing = fields.Boolean(default=True, help="The condition still lasts or is still being treated.")
    severity = fields.Selection(CONDITION_SEVERITIES, required=True, default="1")
    notes = fields.Text()
