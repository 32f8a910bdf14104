from odoo import fields, models


class CustomerArchiveRetentionForecast(models.TransientModel):
    """One line of the report of what expires next month."""

    _name = "customer.archive.retention.forecast"
    _description = "Retention Forecast"
    _order = "rule_id, partner_id"

    partner_id = fields.Many2one("res.partner", string="Person", readonly=True)
    archive_number = fields.Char(related="partner_id.commercial_partner_id.archive_number")
    rule_id = fields.Many2one("customer.archive.retention.rule", string="Retention Rule", readonly=True)
    category = fields.Selection(related="rule_id.category")
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True)
