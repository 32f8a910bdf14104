from odoo import fields, models


class CustomerArchiveTransaction(models.Model):
    """The analysis reads transactions by period: the date is indexed."""

    _inherit = "customer.archive.transaction"

    date = fields.Date(index=True)
