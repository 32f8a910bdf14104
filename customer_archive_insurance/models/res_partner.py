from odoo import fields, models

CLIENT_SEGMENTS = [
    ("high_net_worth", "High-Net-Worth"),
    ("ordinary", "Ordinary"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    insurance_agent_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        help="The agent (代理人) who looks after this client.",
    )
    insurance_client_segment = fields.Selection(
        CLIENT_SEGMENTS,
        string="Client Segment",
        default="ordinary",
        tracking=True,
        help="High-net-worth clients are reviewed quarterly, ordinary ones every six months.",
    )
