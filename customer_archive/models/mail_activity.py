from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext, plaintext2html

from .customer_contact_plan import PLAN_KINDS

# Completed activities of these interaction types ask whom the rep met.
PERSON_MET_TYPES = ("call", "meeting", "visit")

# The contact plan's indexes (customer.contact.plan inserts against them):
# one open item per (archive, kind), one open escalation per item, and the
# open items not escalated yet by their hard deadline (the escalation step
# reads only those).
PLAN_INDEXES = {
    "mail_activity_archive_plan_open_uniq": (
        "CREATE UNIQUE INDEX IF NOT EXISTS %s ON mail_activity (res_id, archive_plan_kind) "
        "WHERE active AND archive_plan_kind IS NOT NULL"
    ),
    "mail_activity_archive_escalation_open_uniq": (
        "CREATE UNIQUE INDEX IF NOT EXISTS %s ON mail_activity (archive_escalated_activity_id) "
        "WHERE active AND archive_escalated_activity_id IS NOT NULL"
    ),
    "mail_activity_archive_overdue_idx": (
        "CREATE INDEX IF NOT EXISTS %s ON mail_activity ((COALESCE(archive_deadline, date_deadline))) "
        "WHERE active AND archive_plan_kind IS NOT NULL AND archive_escalated IS NOT TRUE"
    ),
}


class MailActivity(models.Model):
    """Activities of the customer archives. The contact plan
    (``customer.contact.plan``) creates its items as activities with
    ``archive_plan_kind``; archive activities are kept when done
    (``keep_done`` types): their done dates are the compliance log."""

    _inherit = "mail.activity"

    archive_plan_kind = fields.Selection(PLAN_KINDS, string="Contact Plan Item", readonly=True, copy=False)
    archive_deadline = fields.Date(
        string="Hard Deadline",
        readonly=True,
        copy=False,
        help="Past this date the item is escalated to the manager of the assigned rep.",
    )
    archive_escalated = fields.Boolean(string="Escalated", readonly=True, copy=False)
    archive_escalated_activity_id = fields.Many2one(
        "mail.activity",
        string="Escalated Item",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The overdue planned contact this to-do of the rep's manager escalates.",
    )

    # Sent to the web client with the activity (``_to_store`` reads every
    # field): its Mark Done opens the person-met dialog instead of the
    # feedback popover (static/src/js/activity_mark_done).
    archive_asks_person_met = fields.Boolean(
        compute="_compute_archive_asks_person_met",
        help="A call, meeting or visit on a customer archive: marking it done asks whom the rep met.",
    )

    def init(self):
        res = super().init()
        for name, statement in PLAN_INDEXES.items():
            self.env.cr.execute(SQL(statement, SQL.identifier(name)))
        return res

    @api.depends("res_model", "res_id", "activity_type_id")
    def _compute_archive_asks_person_met(self):
        partner_ids = [activity.res_id for activity in self if activity.res_model == "res.partner"]
        # sudo: the assignee may mark done an activity on an archive they cannot read.
        archive_ids = (
            set(
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search([("id", "in", partner_ids), ("is_customer_archive", "=", True)])
                .ids
            )
            if partner_ids
            else set()
        )
        for activity in self:
            activity.archive_asks_person_met = (
                activity.res_model == "res.partner"
                and activity.res_id in archive_ids
                and activity._archive_interaction_type() in PERSON_MET_TYPES
            )

    def action_archive_mark_done(self):
        """Mark Done of the contact-plan list: the person-met dialog for
        archive calls and visits, Odoo's plain done for the others."""
        self.ensure_one()
        if not self.archive_asks_person_met:
            return self.action_done()
        return self.env["customer.archive.activity.done"]._action_open(self)

    def _archive_interaction_type(self):
        """The interaction type of a completed activity, from its activity type:
        phone calls by category, meetings by category or the standard Meeting
        type, visits by a type whose xml id or English name speaks of a visit."""
        self.ensure_one()
        activity_type = self.activity_type_id
        if not activity_type:
            return "other"
        xml_ids = activity_type.get_external_id().get(activity_type.id) or ""
        name = (activity_type.with_context(lang="en_US").name or "").lower()
        if "visit" in xml_ids.split(".")[-1].lower() or "visit" in name or "拜访" in activity_type.name:
            return "visit"
        if activity_type.category == "phonecall":
            return "call"
        if activity_type.category == "meeting" or xml_ids == "mail.mail_activity_data_meeting":
            return "meeting"
        if xml_ids == "mail.mail_activity_data_email" or "mail" in name:
            return "email"
        return "other"

    def _prepare_archive_interaction_values(self, feedback=False):
        self.ensure_one()
        summary = self.summary or self.activity_type_id.name or html2plaintext(self.note or "")[:80]
        return {
            "partner_id": self.res_id,
            "interaction_type": self._archive_interaction_type(),
            "activity_type_id": self.activity_type_id.id,
            "summary": summary or self.env._("Completed activity"),
            "outcome": plaintext2html(feedback) if feedback else self.note,
            "user_id": self.env.user.id,
            **self._archive_person_met_values(),
        }

    def _archive_person_met_values(self):
        """Whom the rep met, as the person-met dialog gives it
        (``customer.archive.activity.done``): a key person of this archive
        the user may read, or a typed name, the position and the customer's
        satisfaction score (1–5) when asked."""
        values = (self.env.context.get("customer_archive_person_met") or {}).get(self.id) or {}
        result = {}
        person = self.env["res.partner"].browse(values.get("person_met_id") or [])
        # a key person of this very archive, readable by the user: a typed
        # context never names a partner the user could not see
        if person and person.sudo().parent_id.id == self.res_id and person._filtered_access("read"):
            result["person_met_id"] = person.id
            result["person_met_name"] = person.name
        if values.get("person_met_name") and not result.get("person_met_id"):
            result["person_met_name"] = values["person_met_name"]
        if values.get("person_rank"):
            result["person_rank"] = values["person_rank"]
        if values.get("satisfaction_score"):
            result["satisfaction_score"] = values["satisfaction_score"]
        return result

    # The one ``_action_done`` of mail.activity in this addon: each concern
    # adds a named hook, kept in its own file, called here in a fixed order.
    def _action_done(self, feedback=False, attachment_ids=None):
        # contact plan (customer_contact_plan.py): the planned items done
        plan_done = self._archive_before_done_plan()
        # interaction log: entries prepared before the activities are gone
        interaction_vals = self._archive_before_done_interaction(feedback)
        # access requests (customer_archive_access_request.py): approved
        self.env["customer.archive.access.request"]._archive_approve_from_activities(self, feedback)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        self._archive_after_done_interaction(interaction_vals)
        if plan_done:
            self.env["customer.contact.plan"]._after_done(plan_done)
        return result

    def _archive_before_done_plan(self):
        """(archive id, plan kind) of the planned items among the completed
        activities, for ``customer.contact.plan._after_done``; their open
        escalations are closed."""
        planned = self.filtered(lambda a: a.archive_plan_kind and a.res_model == "res.partner")
        self.env["customer.contact.plan"]._close_escalations_of(planned)
        return [(activity.res_id, activity.archive_plan_kind) for activity in planned]

    def _archive_before_done_interaction(self, feedback=False):
        """Values of the interaction log entries of the completed activities
        on customer archives (written by ``_archive_after_done_interaction``)."""
        partner_activities = self.filtered(lambda activity: activity.res_model == "res.partner")
        if not partner_activities:
            return []
        # sudo: Odoo lets the assignee mark an activity done without access
        # to the archive; the log entry must be written all the same.
        archives = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("id", "in", partner_activities.mapped("res_id")), ("is_customer_archive", "=", True)])
        )
        return [
            activity._prepare_archive_interaction_values(feedback)
            for activity in partner_activities
            if activity.res_id in archives.ids
        ]

    @api.model
    def _archive_after_done_interaction(self, vals_list):
        """Completed activities on customer archives become entries of the
        interaction log, written in one create for all of them."""
        if vals_list:
            # sudo: see _archive_before_done_interaction
            self.env["customer.archive.interaction"].sudo().create(vals_list)
