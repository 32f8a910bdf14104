from odoo import fields, models

OCCUPATION_RISK_CLASSES = [
    ("1", "Class 1"),
    ("2", "Class 2"),
    ("3", "Class 3"),
    ("4", "Class 4"),
    ("5", "Class 5"),
    ("6", "Class 6"),
]


class InsuranceOccupation(models.Model):
    _name = "insurance.occupation"
    _description = "Occupation and Its Risk Class"
    _order = "risk_class, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    risk_class = fields.Selection(
        OCCUPATION_RISK_CLASSES,
        string="Occupation Risk Class",
        required=True,
        default="1",
        help="Occupational risk class from 1 (office work) to 6 (most dangerous, e.g. mining).",
    )
    active = fields.Boolean(default=True)
