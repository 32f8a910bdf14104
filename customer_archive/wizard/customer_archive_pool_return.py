from odoo import fields, models


class CustomerArchivePoolReturn(models.TransientModel):
    """Return customers to their pool, with the reason the history keeps."""

    _name = "customer.archive.pool.return"
    _description = "Return Customers to the Pool"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    reason = fields.Text(required=True)

    def action_return(self):
        self.ensure_one()
        self.partner_ids._archive_pool_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
