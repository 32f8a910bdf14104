from odoo import fields, models

INTERACTION_TYPES = [
    ("call", "Phone Call"),
    ("email", "E-mail"),
    ("meeting", "Meeting"),
    ("visit", "Visit"),
    ("other", "Other"),
]


class CustomerArchiveInteraction(models.Model):
    """One contact with a customer (互动历史): a call, an e-mail, a meeting or
    a visit, with the person met, their rank and the outcome. Completed
    activities on an archive write these entries by themselves."""

    _name = "customer.archive.interaction"
    _inherit = ["customer.archive.person.met.mixin"]
    _description = "Customer Archive Interaction"
    _order = "date desc, id desc"
    _rec_name = "summary"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer Archive",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_customer_archive", "=", True)],
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    interaction_type = fields.Selection(INTERACTION_TYPES, string="Type", required=True, default="call")
    activity_type_id = fields.Many2one("mail.activity.type", ondelete="set null")
    summary = fields.Char(required=True)
    # The person met (customer.archive.person.met.mixin), kept as it was
    # labelled here, its key person indexed for the archive's history.
    person_met_id = fields.Many2one(
        index="btree_not_null",
        ondelete="set null",
        domain="[('parent_id', '=', partner_id)]",
    )
    person_rank = fields.Char(string="Rank")
    outcome = fields.Html()
    user_id = fields.Many2one(
        "res.users", string="Done By", default=lambda self: self.env.user, index=True, required=True
    )
    archive_tier = fields.Selection(related="partner_id.archive_tier", string="Tier", store=True)
