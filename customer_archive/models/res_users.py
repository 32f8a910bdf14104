from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a user is a colleague, not a customer archive.
        return (
            super(ResUsers, self.with_context(customer_archive_skip=True))
            .create(vals_list)
            .with_env(self.env)
        )
