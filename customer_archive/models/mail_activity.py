from odoo import models
from odoo.tools import html2plaintext, plaintext2html


class MailActivity(models.Model):
    _inherit = "mail.activity"

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
        }

    def _action_done(self, feedback=False, attachment_ids=None):
        # Completed activities on customer archives become entries of the
        # interaction log, written in one create for all of them.
        partner_activities = self.filtered(lambda activity: activity.res_model == "res.partner")
        vals_list = []
        if partner_activities:
            # sudo: Odoo lets the assignee mark an activity done without access
            # to the archive; the log entry must be written all the same.
            archives = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [("id", "in", partner_activities.mapped("res_id")), ("is_customer_archive", "=", True)]
                )
            )
            vals_list = [
                activity._prepare_archive_interaction_values(feedback)
                for activity in partner_activities
                if activity.res_id in archives.ids
            ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if vals_list:
            # sudo: see above
            self.env["customer.archive.interaction"].sudo().create(vals_list)
        return result
