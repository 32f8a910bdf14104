import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools.counts import count_by
from .res_partner_access import ACCESS_COLUMNS

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

    archive_deal_likelihood = fields.Integer(
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
            "CHECK(archive_deal_likelihood IS NULL OR (archive_deal_likelihood >= 0 AND archive_deal_likelihood <= 100))",
            "The Deal Likelihood (%) must lie between 0 and 100.",
        ),
    ]

    def _compute_archive_tier_history_count(self):
        counts = count_by(self.env["customer.tier.history"], "partner_id", self)
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
        """The new archives created with a tier: their first tier applied."""
        tiered = self.filtered("archive_tier")
        if tiered:
            tiered._archive_apply_written_tiers(dict.fromkeys(tiered.ids, False))

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
        """The partners whose tier the write changed: their change applied."""
        if old_tiers is None or "archive_tier" not in vals:
            return
        changed = self.filtered(lambda p: p.archive_tier != old_tiers[p.id])
        if changed:
            changed._archive_apply_written_tiers(old_tiers)

    def _archive_apply_written_tiers(self, old_tiers):
        """The tier change of a ``write`` or ``create`` (a manual change, an
        import: ``_archive_tier_change_reason``), applied as every tier change."""
        self._archive_apply_tier_changes(
            SQL(
                """
                SELECT id, old_tier, new_tier, NULL::float AS score, TRUE AS tier_changed
                  FROM unnest(%s::int[], %s::varchar[], %s::varchar[]) AS c(id, old_tier, new_tier)
                """,
                self.ids,
                [old_tiers.get(partner.id) or None for partner in self],
                [partner.archive_tier or None for partner in self],
            ),
            self._archive_tier_change_reason(),
            self.env.context.get("archive_tier_change_note"),
        )

    @api.model
    def _archive_apply_tier_changes(self, changes, reason, note=None):
        """Apply tier changes: the one place of what a tier change does, for
        a manual change or an import (``write``/``create``) and for the
        recompute (``customer.tier.policy._recompute_tiers``) alike.

        ``changes``: ``odoo.tools.SQL`` selecting ``id``, ``old_tier``,
        ``new_tier``, ``score`` (NULL: keep the score) and ``tier_changed``
        (FALSE: only the score is new, e.g. a locked tier); ``reason``: a key
        of ``TIER_CHANGE_REASONS``; ``note``: a text, or ``{lang: text}``
        for a note in every installed language.

        One statement, for any number of partners: the new tier and score,
        and for a tier change the tier date (today), the access columns
        (their one definition, ``_archive_access_columns``), one history row
        and a chatter line (tracking of the Tier field) for a change from a
        tier (the first tier is in the history only). Then the access
        columns of the contacts of the re-tiered archives, the ORM told what
        was written (``modified``: every stored field depending on these
        columns, such as the tier of the interaction history, is recomputed
        as after an ORM write) and the contact plan rescheduled
        (``_archive_reschedule_plan``). Returns the partners whose tier
        changed.
        """
        if isinstance(note, str):
            note = {"en_US": note, self.env.lang or "en_US": note}
        self.flush_model(["archive_tier", "archive_tier_score"])
        access = self._archive_access_columns(archive_tier=SQL("c.new_tier"))
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        labels = dict(self._fields["archive_tier"]._description_selection(self.env))
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH changes AS (%(changes)s),
                updated AS (
                    UPDATE res_partner p
                       SET archive_tier = CASE WHEN c.tier_changed THEN c.new_tier ELSE p.archive_tier END,
                           archive_tier_score = COALESCE(c.score, p.archive_tier_score),
                           archive_tier_date = CASE WHEN c.tier_changed THEN %(today)s
                                                    ELSE p.archive_tier_date END,
                           %(access)s
                      FROM changes c, res_partner a
                     WHERE p.id = c.id AND a.id = COALESCE(p.commercial_partner_id, p.id)
                       AND (c.tier_changed OR (c.score IS NOT NULL AND p.archive_tier_score IS DISTINCT FROM c.score))
                 RETURNING p.id, c.old_tier, c.new_tier, p.archive_tier_score AS score, c.tier_changed
                ),
                history AS (
                    INSERT INTO customer_tier_history
                           (partner_id, tier_from, tier_to, score, reason, note, user_id, date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT id, old_tier, new_tier, score, %(reason)s, %(note)s::jsonb, %(uid)s,
                           date_trunc('second', now() AT TIME ZONE 'UTC'),
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM updated
                     WHERE tier_changed
                ),
                messages AS (
                    INSERT INTO mail_message
                           (model, res_id, message_type, subtype_id, author_id, email_from, body, is_internal,
                            date, create_uid, create_date, write_uid, write_date)
                    SELECT 'res.partner', id, 'notification', %(subtype)s, %(author)s, %(email_from)s, '',
                           TRUE, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
                           now() AT TIME ZONE 'UTC'
                      FROM updated
                     WHERE tier_changed AND old_tier IS NOT NULL
                 RETURNING id, res_id
                ),
                tracking AS (
                    INSERT INTO mail_tracking_value
                           (field_id, old_value_char, new_value_char, mail_message_id,
                            create_uid, create_date, write_uid, write_date)
                    SELECT %(tier_field)s, COALESCE(%(labels)s::jsonb ->> u.old_tier, ''),
                           COALESCE(%(labels)s::jsonb ->> u.new_tier, ''), m.id,
                           %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                      FROM messages m JOIN updated u ON u.id = m.res_id
                )
                SELECT id, tier_changed FROM updated
                """,
                changes=changes,
                access=SQL(", ").join(
                    SQL(
                        "%(column)s = CASE WHEN c.tier_changed THEN %(value)s ELSE p.%(column)s END",
                        column=SQL.identifier(name),
                        value=access[name],
                    )
                    for name in ACCESS_COLUMNS
                ),
                today=fields.Date.context_today(self),
                reason=reason,
                note=json.dumps(note) if note else None,
                uid=self.env.uid,
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author_id or None,
                email_from=email_from or None,
                tier_field=self.env["ir.model.fields"]._get("res.partner", "archive_tier").id,
                labels=json.dumps(labels),
            )
        )
        rows = cr.fetchall()
        scored = self.browse([partner_id for partner_id, _tier_changed in rows])
        changed = self.browse([partner_id for partner_id, tier_changed in rows if tier_changed])
        scored.invalidate_recordset(["archive_tier_score"])
        scored.modified(["archive_tier_score"])
        if not changed:
            return changed
        changed.invalidate_recordset(
            ["archive_tier", "archive_tier_date", *ACCESS_COLUMNS, "archive_tier_history_ids", "message_ids"]
        )
        # The contacts (key persons) of the re-tiered archives follow them.
        cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s) AND id != commercial_partner_id",
                changed.ids,
            )
        )
        access_written = changed | self.browse([row[0] for row in cr.fetchall()])._archive_access_update()
        # Tell the ORM what was written. The access columns are written, by
        # their definition: not recomputed (also not those an ORM write of the
        # tier marked to recompute).
        access_fields = [self._fields[name] for name in ACCESS_COLUMNS]
        for field in access_fields:
            self.env.remove_to_compute(field, access_written)
        with self.env.protecting(access_fields, access_written):
            changed.modified(["archive_tier", "archive_tier_date"])
            access_written.modified(list(ACCESS_COLUMNS))
        changed._archive_reschedule_plan()
        return changed

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

    @api.constrains("archive_deal_likelihood")
    def _check_deal_likelihood(self):
        for partner in self:
            if partner.archive_deal_likelihood and not 0 <= partner.archive_deal_likelihood <= 100:
                raise ValidationError(
                    self.env._(
                        "The Deal Likelihood (%%) of %(name)s must lie between 0 and 100.",
                        name=partner.display_name,
                    )
                )
