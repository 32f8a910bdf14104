from odoo import fields, models
from odoo.tools import SQL

# Revisions printed on the card: the latest ones (the full history is in the chatter).
CARD_REVISION_LIMIT = 10


class ResPartner(models.Model):
    """Document control of the archive card (客户档案表): 编制日期 / 审核日期 /
    批准日期 and the revision record 修改标记 / 修改处数 / 修改日期, read from
    the archive's own dates and its tracked changes (mail.tracking.value)."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _archive_card_document_control(self):
        """Prepared on (archive date), reviewed on (last completed review),
        approved on (the day the archive was first made active; its archive
        date when it was created active)."""
        self.ensure_one()
        return {
            "prepared": self.archive_date,
            "reviewed": self.archive_last_review_date,
            "approved": self._archive_card_approval_date(),
        }

    def _archive_card_approval_date(self):
        self.ensure_one()
        # Tracking stores the selection's label in the writer's language.
        labels = {
            label
            for code, _name in self.env["res.lang"].get_installed()
            for value, label in self._fields["archive_state"]._description_selection(
                self.with_context(lang=code).env
            )
            if value == "active"
        }
        self.env.flush_all()
        # SQL: the tracking lines of this one archive, whoever prints the card
        # (it reads the dates, never the values, of changes to fields the
        # reader may not see).
        rows = self.env.execute_query(
            SQL(
                """
                SELECT min(m.date) FILTER (WHERE v.new_value_char = ANY(%(labels)s)), count(v.id)
                  FROM mail_tracking_value v
                  JOIN mail_message m ON m.id = v.mail_message_id
                  JOIN ir_model_fields f ON f.id = v.field_id
                 WHERE m.model = 'res.partner' AND m.res_id = %(partner)s
                   AND f.model = 'res.partner' AND f.name = 'archive_state'
                """,
                partner=self.id,
                labels=list(labels),
            )
        )
        approved, state_changes = rows[0] if rows else (None, 0)
        if not approved and not state_changes and self.archive_state != "draft":
            # Created active (demo, import, a manager): approved as it was
            # prepared, on its archive date.
            return self.archive_date or fields.Date.context_today(self, timestamp=self.create_date)
        return fields.Date.context_today(self, timestamp=approved) if approved else False

    def _archive_card_revisions(self, limit=CARD_REVISION_LIMIT):
        """The latest tracked changes of the archive, one revision per saved
        change set: ``{"mark", "changes", "date"}``, numbered from the first."""
        self.ensure_one()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.date, count(v.id), row_number() OVER (ORDER BY m.date, m.id)
                  FROM mail_message m
                  JOIN mail_tracking_value v ON v.mail_message_id = m.id
                 WHERE m.model = 'res.partner' AND m.res_id = %(partner)s
                 GROUP BY m.id, m.date
                 ORDER BY m.date DESC, m.id DESC
                 LIMIT %(limit)s
                """,
                partner=self.id,
                limit=limit,
            )
        )
        return [
            {"mark": number, "changes": changes, "date": fields.Date.context_today(self, timestamp=date)}
            for date, changes, number in reversed(rows)
        ]
