from odoo import models


class ResUsers(models.Model):
    # The partner of a user is a colleague, not a customer archive.
    _name = "res.users"
    _inherit = ["customer.archive.own.partner.mixin", "res.users"]
