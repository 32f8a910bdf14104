from odoo import api, fields, models


class ResPartner(models.Model):
    """When an archive was closed: the start of its retention period."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_closed_date = fields.Date(
        string="Closed On",
        compute="_compute_archive_closed_date",
        store=True,
        copy=False,
        help="Set when the archive is closed; its retention period (Privacy → Retention Rules) runs from it.",
    )

    @api.depends("archive_state")
    def _compute_archive_closed_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            if partner.archive_state == "closed":
                partner.archive_closed_date = partner.archive_closed_date or today
            else:
                partner.archive_closed_date = False
