from odoo import api, fields, models

from ..tools.notification import notify


class CustomerArchiveAssignRep(models.TransientModel):
    """Give the selected archives (a segment, a tier…) to one responsible rep."""

    _name = "customer.archive.assign.rep"
    _inherit = ["customer.archive.selection.mixin"]
    _description = "Assign Customer Archives to a Rep"

    user_id = fields.Many2one(
        "res.users", string="Responsible Rep", required=True, domain=[("share", "=", False)]
    )
    archive_count = fields.Integer(string="Archives", compute="_compute_archive_count")

    @api.depends("partner_ids")
    def _compute_archive_count(self):
        for wizard in self:
            wizard.archive_count = len(wizard._archives())

    def _archives(self):
        """The selected customer archives the user may read (the write then checks the rules)."""
        # active_test off: the selection's ids, without reading records the user may not see
        partners = self.with_context(active_test=False).partner_ids._filtered_access("read")
        return partners.filtered(lambda p: p.is_customer_archive and not p.parent_id)

    def action_assign(self):
        """One ``write`` under the user's own rights: the record rules decide
        which archives the user may give away, and the archives' access and
        contact plan follow the new rep as on the form."""
        self.ensure_one()
        partners = self._archives()
        partners.write({"user_id": self.user_id.id})
        return notify(
            self.env._("%(count)s archives assigned to %(rep)s.", count=len(partners), rep=self.user_id.name),
            close=True,
        )
