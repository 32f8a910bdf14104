from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of one of our own companies is not a customer archive.
        return (
            super(ResCompany, self.with_context(customer_archive_skip=True))
            .create(vals_list)
            .with_env(self.env)
        )
