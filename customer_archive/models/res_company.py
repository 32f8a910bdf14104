from odoo import models


class ResCompany(models.Model):
    # The partner of one of our own companies is not a customer archive.
    _name = "res.company"
    _inherit = ["customer.archive.own.partner.mixin", "res.company"]
