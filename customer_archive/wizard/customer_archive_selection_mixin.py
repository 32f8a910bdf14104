from odoo import fields, models


class CustomerArchiveSelectionMixin(models.AbstractModel):
    """A wizard on the archives selected in a list of contacts: its
    ``partner_ids`` start as the list's selection (the action's
    ``active_ids`` when opened from res.partner)."""

    _name = "customer.archive.selection.mixin"
    _description = "Wizard on Selected Customer Archives"

    def _default_partner_ids(self):
        if self.env.context.get("active_model") == "res.partner":
            return [fields.Command.set(self.env.context.get("active_ids") or [])]
        return []

    partner_ids = fields.Many2many("res.partner", string="Customer Archives", default=_default_partner_ids)
