from odoo import api, fields, models


class CustomerArchivePersonMetMixin(models.AbstractModel):
    """Whom a call, meeting or visit on a customer archive reached: a key
    person of the archive (``partner_id`` of the model using it), or a typed
    name, with their position. Choosing the key person fills the name and the
    position; both stay editable. Used by the interaction history and by the
    Mark Done dialog that writes it."""

    _name = "customer.archive.person.met.mixin"
    _description = "Person Met on a Call or Visit"

    person_met_id = fields.Many2one(
        "res.partner",
        domain="[('parent_id', '=', partner_id), ('parent_id', '!=', False)]",
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
        string="Position",
        compute="_compute_person_met",
        store=True,
        readonly=False,
        help="Position of the person met, e.g. general manager, marketing director.",
    )

    @api.depends("person_met_id")
    def _compute_person_met(self):
        for record in self:
            person = record.person_met_id
            if person:
                record.person_met_name = person.name
                record.person_rank = person.function or record.person_rank
            elif not record.person_met_name:
                record.person_met_name = False
