from odoo import api, fields, models


class CustomerArchiveTransaction(models.Model):
    """A transaction of the customer with us (同本公司的交易情况)."""

    _name = "customer.archive.transaction"
    _description = "Customer Archive Transaction"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(string="Transaction Number", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("is_customer_archive", "=", True)],
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    place = fields.Char()
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    amount = fields.Monetary(required=True, tracking=True)
    user_id = fields.Many2one(
        "res.users", string="Person in Charge", default=lambda self: self.env.user, tracking=True
    )
    breach_of_contract = fields.Boolean(tracking=True)
    note = fields.Text(string="Remarks")

    _sql_constraints = [
        (
            "amount_not_negative",
            "CHECK(amount >= 0)",
            "The amount of a transaction cannot be negative; record a refund as its own transaction remark.",
        ),
    ]

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for transaction in self:
            transaction.display_name = f"{transaction.name} - {transaction.partner_id.name or ''}"
