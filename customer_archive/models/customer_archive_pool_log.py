from odoo import api, fields, models

POOL_LOG_ACTIONS = [
    ("claim", "Claim"),
    ("assign", "Assignment"),
    ("placed", "Placed in Pool"),
    ("return_manual", "Manual Return"),
    ("return_auto", "Automatic Return"),
]


class CustomerArchivePoolLog(models.Model):
    """The history of a customer in the pools (公海记录): every claim,
    assignment and return (manual with its reason, or automatic), who did
    it, when and why. Written by the pool's actions and the nightly job,
    never edited."""

    _name = "customer.archive.pool.log"
    _description = "Customer Pool History"
    _order = "date desc, id desc"
    _rec_name = "action"

    partner_id = fields.Many2one(
        "res.partner", string="Customer Archive", required=True, index=True, ondelete="cascade", readonly=True
    )
    pool_id = fields.Many2one(
        "customer.archive.pool", required=True, index=True, ondelete="cascade", readonly=True
    )
    action = fields.Selection(POOL_LOG_ACTIONS, required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="New Rep",
        index="btree_not_null",
        readonly=True,
        help="The rep who got the customer (claim, assignment).",
    )
    previous_user_id = fields.Many2one(
        "res.users",
        string="Previous Rep",
        index="btree_not_null",
        readonly=True,
        help="The rep who lost the customer (return).",
    )
    rep_id = fields.Many2one(
        "res.users",
        compute="_compute_rep_id",
        store=True,
        help="The rep the entry is about: the new one of a claim or an assignment, the previous one of a return.",
    )
    reason = fields.Text(readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    day = fields.Date(required=True, default=fields.Date.context_today, readonly=True, index=True)

    @api.depends("user_id", "previous_user_id")
    def _compute_rep_id(self):
        for log in self:
            log.rep_id = log.user_id or log.previous_user_id

    @api.model
    def _log(self, partners, pool, action, user=None, previous_users=None, reason=False):
        """One row per partner; ``previous_users``: {partner id: user id}."""
        previous_users = previous_users or {}
        # sudo: the history is written by the actions of whoever may do them.
        return self.sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "pool_id": pool.id,
                    "action": action,
                    "user_id": user.id if user else False,
                    "previous_user_id": previous_users.get(partner.id, False),
                    "reason": reason,
                }
                for partner in partners
            ]
        )
