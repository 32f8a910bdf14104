from odoo import api, models


class CustomerArchiveOwnPartnerMixin(models.AbstractModel):
    """For models whose records come with a partner of their own (one of our
    companies, a user): that partner is a colleague or the house itself, not
    a customer archive, so it is created with ``customer_archive_skip``.

    Listed first in ``_inherit`` (``["customer.archive.own.partner.mixin",
    "res.users"]``), so that the whole ``create`` of the model runs in that
    context, as an override of the model would."""

    _name = "customer.archive.own.partner.mixin"
    _description = "Records Whose Partner Is No Customer Archive"

    @api.model_create_multi
    def create(self, vals_list):
        return (
            super(CustomerArchiveOwnPartnerMixin, self.with_context(customer_archive_skip=True))
            .create(vals_list)
            .with_env(self.env)
        )
