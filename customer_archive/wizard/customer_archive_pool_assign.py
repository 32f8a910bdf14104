from odoo import fields, models


class CustomerArchivePoolAssign(models.TransientModel):
    """A pool manager assigns customers of a pool to a rep."""

    _name = "customer.archive.pool.assign"
    _description = "Assign Pool Customers to a Rep"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Rep",
        required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("customer_archive.group_archive_user").ids)],
    )
    reason = fields.Text()

    def action_assign(self):
        self.ensure_one()
        self.partner_ids._archive_pool_assign(self.user_id, self.reason)
        return {"type": "ir.actions.act_window_close"}
