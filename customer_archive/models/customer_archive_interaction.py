from odoo import api, fields, models

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
    person_met_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        ondelete="set null",
        domain="[('parent_id', '=', partner_id)]",
        help="The key person of the customer who was called, met or visited.",
    )
    person_met_name = fields.Char(
        string="Name of the Person Met",
        compute="_compute_person_met",
        store=True,
        readonly=False,
        help="Filled from the key person; type the name when the person is not a contact yet.",
    )
    person_rank = fields.Char(
        string="Rank",
        compute="_compute_person_met",
        store=True,
        readonly=False,
        help="Position of the person met, e.g. general manager, marketing director.",
    )
    outcome = fields.Html()
    user_id = fields.Many2one(
        "res.users", string="Done By", default=lambda self: self.env.user, index=True, required=True
    )
    archive_tier = fields.Selection(related="partner_id.archive_tier", string="Tier", store=True)

    @api.depends("person_met_id")
    def _compute_person_met(self):
        for interaction in self:
            person = interaction.person_met_id
            if person:
                interaction.person_met_name = person.name
                interaction.person_rank = person.function or interaction.person_rank
            elif not interaction.person_met_name:
                interaction.person_met_name = False
