from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

TIER_MANAGER_GROUPS = (
    "customer_archive.group_archive_marketing_manager",
    "customer_archive.group_archive_service_manager",
    "customer_archive.group_archive_admin",
)


class ResPartner(models.Model):
    """ABC tier of the customer archive: score, manager lock, history and the
    dates the contact plan maintains (客户档案分类管理)."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    deal_likelihood = fields.Integer(
        string="Deal Likelihood (%)",
        tracking=True,
        help="Likelihood of a deal with this customer, 0–100 %: one of the inputs of the tier score.",
    )
    archive_tier_score = fields.Float(
        string="Tier Score",
        readonly=True,
        copy=False,
        digits=(16, 2),
        help="Score (0–100) of the last tier recompute: region, customer strength and deal likelihood.",
    )
    archive_tier_date = fields.Date(string="Tier Since", readonly=True, copy=False)
    archive_tier_locked = fields.Boolean(
        string="Tier Locked",
        readonly=True,
        copy=False,
        tracking=True,
        help="A manager fixed the tier: the recompute keeps it until the tier is unlocked.",
    )
    archive_tier_lock_reason = fields.Text(string="Lock Reason", readonly=True, copy=False)
    archive_tier_locked_by_id = fields.Many2one("res.users", string="Locked By", readonly=True, copy=False)
    archive_tier_history_ids = fields.One2many("customer.tier.history", "partner_id", string="Tier History")
    archive_tier_history_count = fields.Integer(compute="_compute_archive_tier_history_count")
    # Maintained by the contact plan when a planned activity is completed.
    archive_last_call_date = fields.Date(string="Last Call", readonly=True, copy=False)
    archive_last_visit_date = fields.Date(string="Last Visit", readonly=True, copy=False)
    archive_last_news_date = fields.Date(string="Last News Collection", readonly=True, copy=False)
    archive_last_review_date = fields.Date(string="Last Review", readonly=True, copy=False)
    archive_next_review_date = fields.Date(string="Next Review", readonly=True, copy=False)

    _sql_constraints = [
        (
            "deal_likelihood_range",
            "CHECK(deal_likelihood IS NULL OR (deal_likelihood >= 0 AND deal_likelihood <= 100))",
            "The Deal Likelihood (%) must lie between 0 and 100.",
        ),
    ]

    def _compute_archive_tier_history_count(self):
        counts = dict(
            self.env["customer.tier.history"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.archive_tier_history_count = counts.get(partner, 0)

    # ------------------------------------------------------------------
    # Review interval (contract: the insurance addon overrides it)
    # ------------------------------------------------------------------
    def _archive_review_interval_months(self, months_by_tier=None):
        """Months between two reviews of this archive: the cadence of its tier
        (3 for A, high-net-worth; 6 for B and C in the shipped data).
        ``months_by_tier``: the cadences' figures
        (``customer.contact.cadence._review_months_by_tier``) when the caller
        has read them for a batch; read here otherwise.

        Override per partner (e.g. insurance: high-net-worth clients)."""
        self.ensure_one()
        if months_by_tier is None:
            months_by_tier = self.env["customer.contact.cadence"]._review_months_by_tier()
        months = months_by_tier
        return months.get(self.archive_tier or False) or months[False]

    # ------------------------------------------------------------------
    # Tier changes: history, lock, reschedule
    # ------------------------------------------------------------------
    def _archive_is_tier_manager(self):
        user = self.env.user
        return self.env.is_superuser() or any(user.has_group(group) for group in TIER_MANAGER_GROUPS)

    def _archive_tier_change_reason(self):
        if self.env.context.get("archive_tier_change_reason"):
            return self.env.context["archive_tier_change_reason"]
        return "import" if self.env.context.get("import_file") else "manual"

    # Hooks of res.partner's create and write (res_partner.py)
    def _archive_after_create_tier(self):
        """History rows of the new archives created with a tier."""
        tiered = self.filtered("archive_tier")
        if tiered:
            tiered._archive_log_tier_changes({partner.id: False for partner in tiered})

    def _archive_before_write_tier(self, vals):
        """Lock checks of a tier change; the tiers before the write (for
        ``_archive_after_write_tier``), None when ``vals`` touches no tier."""
        if "archive_tier" not in vals and "archive_tier_locked" not in vals:
            return None
        if not self._archive_is_tier_manager():
            if "archive_tier_locked" in vals:
                raise AccessError(
                    self.env._(
                        "Only marketing managers, customer service managers and archive "
                        "administrators may lock or unlock the tier of a customer."
                    )
                )
            locked = self.filtered(lambda p: p.archive_tier_locked and p.archive_tier != vals["archive_tier"])
            if locked:
                raise AccessError(
                    self.env._(
                        "The tier of %(names)s is locked by a manager: ask a marketing manager "
                        "or customer service manager to unlock it first.",
                        names=", ".join(locked.mapped("display_name")),
                    )
                )
        return {partner.id: partner.archive_tier for partner in self}

    def _archive_after_write_tier(self, vals, old_tiers):
        """History, tier date and new contact plan of the partners whose tier
        the write changed."""
        if old_tiers is None or "archive_tier" not in vals:
            return
        changed = self.filtered(lambda p: p.archive_tier != old_tiers[p.id])
        if changed:
            changed._archive_log_tier_changes(old_tiers)
            changed._archive_reschedule_plan()

    def _archive_log_tier_changes(self, old_tiers):
        """History rows (one ``create`` for the batch) for a manual or
        imported change; the recompute writes its rows by SQL."""
        today = fields.Date.context_today(self)
        # sudo: the history is read-only for everybody; it is written here on
        # behalf of whoever changed the tier.
        self.env["customer.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "tier_from": old_tiers.get(partner.id) or False,
                    "tier_to": partner.archive_tier,
                    "reason": self._archive_tier_change_reason(),
                    "note": self.env.context.get("archive_tier_change_note"),
                    "score": partner.archive_tier_score,
                    "user_id": self.env.uid,
                }
                for partner in self
            ]
        )
        self.write({"archive_tier_date": today})

    def action_archive_tier_override(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_customer_tier_override"
        )
        action["context"] = {"active_model": "res.partner", "active_ids": self.ids, "active_id": self[:1].id}
        return action

    def action_archive_tier_unlock(self):
        if not self._archive_is_tier_manager():
            raise AccessError(
                self.env._(
                    "Only marketing managers, customer service managers and archive "
                    "administrators may lock or unlock the tier of a customer."
                )
            )
        locked = self.filtered("archive_tier_locked")
        locked.write(
            {
                "archive_tier_locked": False,
                "archive_tier_lock_reason": False,
                "archive_tier_locked_by_id": False,
            }
        )
        for partner in locked:
            partner.message_post(
                body=self.env._("Tier unlocked: the next recompute may change it."),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_open_archive_tier_history(self):
        return self._archive_open_action(
            "customer_archive.action_customer_tier_history", context={"search_default_partner_id": self.id}
        )

    def action_open_archive_contact_plan(self):
        return self._archive_open_action(
            "customer_archive.action_archive_contact_plan",
            [("res_model", "=", "res.partner"), ("res_id", "=", self.id), ("archive_plan_kind", "!=", False)],
            {"active_test": False},
        )

    # ------------------------------------------------------------------
    # Contact plan (customer.contact.plan)
    # ------------------------------------------------------------------
    def _archive_reschedule_plan(self):
        """New due dates for the open planned contacts of these partners
        (after a tier change or a cadence change), in bulk."""
        self.env["customer.contact.plan"]._reschedule(self.ids)

    def _archive_plan_update_activity(self):
        """Update discipline: new information was logged, the archive must be
        updated within ``update_due_days`` (hard deadline ``update_deadline_days``)."""
        self.env["customer.contact.plan"]._plan_update(self.ids)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            message.message_type == "comment"
            and not self.env.context.get("archive_no_update_activity")
            and message.author_id == self.env.user.partner_id
            and self.env.user._is_internal()
        ):
            archives = self.filtered(lambda p: p.is_customer_archive and p.active)
            if archives:
                archives._archive_plan_update_activity()
        return res

    @api.constrains("deal_likelihood")
    def _check_deal_likelihood(self):
        for partner in self:
            if partner.deal_likelihood and not 0 <= partner.deal_likelihood <= 100:
                raise ValidationError(
                    self.env._(
                        "The Deal Likelihood (%%) of %(name)s must lie between 0 and 100.",
                        name=partner.display_name,
                    )
                )
