from odoo import api, fields, models
from odoo.exceptions import ValidationError

TRANSACTION_SEQUENCE = "customer.archive.transaction"


class CustomerArchiveTransaction(models.Model):
    """A transaction of the customer with us (同本公司的交易情况)."""

    _name = "customer.archive.transaction"
    _description = "Customer Archive Transaction"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(
        string="Transaction Number",
        required=True,
        copy=False,
        tracking=True,
        default=lambda self: self.env._("New"),
        help="Left as it is, the number is taken from the sequence of the transactions (JY-2026-000001).",
    )
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

    @api.model_create_multi
    def create(self, vals_list):
        placeholders = {"New", self.env._("New")}
        for index, vals in enumerate(vals_list, start=1):
            numbered = vals.get("name") and vals["name"] not in placeholders
            self._archive_check_required(
                self._add_missing_default_values(vals),
                row=self.env._("row %(index)s (%(number)s)", index=index, number=vals["name"])
                if numbered
                else self.env._("row %(index)s", index=index),
                creating=True,
            )
            if not numbered:
                # sudo: the sequence is technical; whoever records a transaction numbers it.
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(TRANSACTION_SEQUENCE)
        return super().create(vals_list)

    def write(self, vals):
        for transaction in self:
            self._archive_check_required(vals, row=transaction.name)
        return super().write(vals)

    @api.model
    def _archive_check_required(self, vals, row, creating=False):
        """A required column left empty is refused before SQL, naming the
        column and the row (the database would only say NOT NULL, and log
        the row's values). The number is not checked on creation: an empty
        one is taken from the sequence."""
        missing = []
        for field in self._fields.values():
            if not (field.required and field.store and field.column_type) or field.compute:
                continue
            if field.name in models.MAGIC_COLUMNS or (creating and field.name == "name"):
                continue
            if field.name not in vals:
                if creating:
                    missing.append(field)
                continue
            value = vals[field.name]
            if (
                value is None
                or (value is False and field.type != "boolean")
                or (isinstance(value, str) and not value.strip())
            ):
                missing.append(field)
        if missing:
            raise ValidationError(
                self.env._(
                    "Transactions, %(row)s: %(fields)s is required. Fill it in and save again.",
                    row=row,
                    fields=", ".join(field._description_string(self.env) for field in missing),
                )
            )
