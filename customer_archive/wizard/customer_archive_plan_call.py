import json

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.notification import notify


class CustomerArchivePlanCall(models.TransientModel):
    """Plan a call for every selected archive in one action ("call every
    重要挽留 customer this week"): the archive call of the contact plan is
    created for the archives that have none open, and an open one due later
    is brought forward to the chosen date, so no archive gets a second call
    (the plan's UNIQUE index holds)."""

    _name = "customer.archive.plan.call"
    _inherit = ["customer.archive.selection.mixin"]
    _description = "Plan Calls for Customer Archives"

    def _default_date_deadline(self):
        today = fields.Date.context_today(self)
        return fields.Date.add(today, days=6 - today.weekday())  # this week's Sunday

    date_deadline = fields.Date(string="Call By", required=True, default=_default_date_deadline)
    summary = fields.Char(help="Summary of the calls; empty: the summary of the tier's cadence.")
    archive_count = fields.Integer(string="Archives", compute="_compute_archive_count")
    no_consent_count = fields.Integer(
        string="Without Marketing Consent",
        compute="_compute_archive_count",
        help="Selected persons who gave no valid marketing consent (PIPL): they get no sales call.",
    )

    @api.depends("partner_ids")
    def _compute_archive_count(self):
        for wizard in self:
            candidates = wizard._candidate_partners()
            plannable = wizard._plannable_partners(candidates)
            wizard.archive_count = len(plannable)
            wizard.no_consent_count = len(candidates - plannable)

    def _candidate_partners(self):
        """The selected open customer archives the user may change (an activity
        is a change of the archive); closed archives get no calls."""
        # active_test off: the selection's ids, without reading records the user may not see
        partners = self.with_context(active_test=False).partner_ids._filtered_access("write")
        return partners.filtered(
            lambda p: p.is_customer_archive and not p.parent_id and p.archive_state != "closed"
        )

    def _plannable_partners(self, candidates=None):
        """A campaign call is a marketing action: a person (an individual's
        archive) is called only with a valid marketing consent (PIPL Art. 13-14);
        company archives are business contacts, not personal information."""
        if candidates is None:
            candidates = self._candidate_partners()
        people = candidates.filtered(lambda p: not p.is_company)
        return (candidates - people) | people._archive_filter_marketing()

    def action_plan_calls(self):
        self.ensure_one()
        partners = self._plannable_partners()
        self.env.flush_all()
        cr = self.env.cr
        plan = self.env["customer.contact.plan"]
        type_id = plan._type_ids()["call"]
        summaries = {}
        if self.summary:
            summaries = {lang: self.summary for lang, _name in self.env["res.lang"].get_installed()}
        # Open calls due later are brought forward.
        cr.execute(
            SQL(
                """
                UPDATE mail_activity
                   SET date_deadline = %(date)s,
                       archive_deadline = LEAST(COALESCE(archive_deadline, date_deadline), %(date)s),
                       summary = COALESCE(%(summary)s, summary),
                       write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
                 WHERE res_model = 'res.partner' AND res_id = ANY(%(ids)s)
                   AND archive_plan_kind = 'call' AND active AND date_deadline > %(date)s
             RETURNING res_id
                """,
                date=self.date_deadline,
                summary=self.summary or None,
                uid=self.env.uid,
                ids=partners.ids,
            )
        )
        moved = {row[0] for row in cr.fetchall()}
        date = SQL("%s", self.date_deadline)
        cr.execute(
            plan._insert_activities(
                {
                    "res_id": SQL("p.id"),
                    "res_name": SQL("p.complete_name"),
                    "activity_type_id": SQL("%s", type_id),
                    "summary": SQL(
                        "COALESCE(%s::jsonb ->> up.lang, c.call_summary ->> up.lang, c.call_summary ->> 'en_US')",
                        json.dumps(summaries),
                    ),
                    "date_deadline": date,
                    "archive_deadline": date,
                    "user_id": SQL("p.user_id"),
                    "user_tz": SQL("up.tz"),
                    "archive_plan_kind": SQL("'call'"),
                },
                SQL(
                    """FROM res_partner p
                       JOIN res_users u ON u.id = p.user_id AND u.active
                       JOIN res_partner up ON up.id = u.partner_id
                       LEFT JOIN customer_contact_cadence c ON c.tier = p.archive_tier AND c.active
                      WHERE p.id = ANY(%s)
                        AND NOT EXISTS (SELECT 1 FROM mail_activity a
                                         WHERE a.res_id = p.id AND a.archive_plan_kind = 'call' AND a.active)""",
                    partners.ids,
                ),
            )
        )
        created = {row[0] for row in cr.fetchall()}
        if moved or created:
            plan._sync_partner_dates(sorted(moved | created))
        self.env["mail.activity"].invalidate_model()
        partners.invalidate_recordset(["activity_ids"])
        without_rep = len(partners.filtered(lambda p: not p.user_id))
        message = self.env._(
            "%(created)s calls planned, %(moved)s planned calls brought forward to %(date)s; "
            "%(kept)s archives already had a call due by then; %(without_rep)s archives have no "
            "responsible rep.",
            created=len(created),
            moved=len(moved),
            date=fields.Date.to_string(self.date_deadline),
            kept=len(partners) - len(created) - len(moved) - without_rep,
            without_rep=without_rep,
        )
        return notify(message, close=True)
