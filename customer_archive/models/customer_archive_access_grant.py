from odoo import api, fields, models, tools
from odoo.exceptions import AccessError

GRANT_STATES = [
    ("active", "Active"),
    ("expired", "Expired"),
    ("revoked", "Revoked"),
]


class CustomerArchiveAccessGrant(models.Model):
    """Time-limited read access of one user to one archive, created by an
    approved access request. The record rules on ``res.partner`` read the
    stored ``state``: the expiry cron and a revocation take effect at once."""

    _name = "customer.archive.access.grant"
    _description = "Customer Archive Access Grant"
    _inherit = ["mail.thread", "customer.archive.rule.cache.mixin"]
    _order = "date_to desc, id desc"
    # the record rules on res.partner read the active grants of a user (ir.rule._eval_context)
    _archive_rule_cache_fields = frozenset({"user_id", "partner_id", "state"})

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_customer_archive", "=", True)],
    )
    date_from = fields.Date(string="Valid From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="Valid Until", required=True, index=True, tracking=True)
    request_id = fields.Many2one(
        "customer.archive.access.request", string="Access Request", index=True, ondelete="set null"
    )
    state = fields.Selection(
        GRANT_STATES, required=True, default="active", index=True, tracking=True, readonly=True
    )
    revoked_by_id = fields.Many2one("res.users", readonly=True)
    revoked_date = fields.Datetime(readonly=True)

    def init(self):
        # The record rule looks grants up by user among the active ones.
        tools.create_index(
            self.env.cr,
            "customer_archive_access_grant_active_user_partner_index",
            self._table,
            ["user_id", "partner_id"],
            where="state = 'active'",
        )

    @api.depends("user_id", "partner_id")
    def _compute_display_name(self):
        for grant in self:
            # sudo: the grantee sees the name of the archive even after the grant ends.
            grant.display_name = f"{grant.user_id.name or ''} → {grant.partner_id.sudo().display_name or ''}"

    @api.model
    def _approver_group_xmlid(self, partners):
        """A-class archives are approved by marketing managers, the others by
        customer-service managers (客户服务部批准)."""
        if any(tier == "a" for tier in partners.sudo().mapped("archive_access_tier")):
            return "customer_archive.group_archive_marketing_manager"
        return "customer_archive.group_archive_service_manager"

    def _check_may_grant(self):
        """Marketing managers grant any archive, customer-service managers
        the B/C ones (the groups that approve the requests)."""
        if self.env.su or self.env.user.has_group("customer_archive.group_archive_marketing_manager"):
            return
        for partner in self.partner_id:
            group = self._approver_group_xmlid(partner)
            if not self.env.user.has_group(group):
                raise AccessError(
                    self.env._(
                        "Only a %(group)s may grant access to %(name)s: file an access request instead.",
                        group=self.env.ref(group).name,
                        name=partner.sudo().display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the mixin clears the rules' cache: they read the active grants of a user
        grants = super().create(vals_list)
        grants._check_may_grant()
        self.env["customer.archive.audit.log"]._log(
            grants.partner_id, "grant", detail=", ".join(grants.mapped("user_id.name"))
        )
        return grants

    def action_revoke(self):
        self._check_may_grant()
        active = self.filtered(lambda grant: grant.state == "active")
        active.write(
            {"state": "revoked", "revoked_by_id": self.env.uid, "revoked_date": fields.Datetime.now()}
        )
        self.env["customer.archive.audit.log"]._log(
            active.partner_id, "revoke", detail=", ".join(active.mapped("user_id.name"))
        )
        return True

    @api.model
    def _cron_expire_grants(self):
        """Expire the grants whose last valid day has passed: one write."""
        expired = self.search([("state", "=", "active"), ("date_to", "<", fields.Date.context_today(self))])
        expired.write({"state": "expired"})
        return expired
