import datetime

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .test_tier_scoring import STRONGEST_FIGURES, TierCase


class RollbackChange(Exception):
    """Raised to roll a savepoint back."""


ACCESS_COLUMNS = (
    "archive_access_restricted",
    "archive_access_tier",
    "archive_access_user_id",
    "archive_access_scope",
)


@tagged("post_install", "-at_install")
class TestTierWritePaths(TierCase):
    """A tier change has the same effects whether a user writes it (a manual
    change, an import) or the set-based recompute ranks it: one history row,
    one chatter line, the tier date, the access columns of the archive and
    its key persons, the stored tier of its interaction history and the
    rescheduled contact plan."""

    def _stored(self, record, fnames):
        """The values in the database, not in the cache."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                SQL.identifier(record._table),
                record.id,
            )
        )
        return self.env.cr.fetchone()

    def _archive_with_plan(self, partner):
        """A key person, a visit in the interaction history and the open
        planned contacts of ``partner`` (last call three days ago)."""
        partner.write({"archive_last_call_date": self.last_call})
        contact = self.env["res.partner"].create({"name": f"关键人 {partner.name}", "parent_id": partner.id})
        interaction = self.env["customer.archive.interaction"].create(
            {"partner_id": partner.id, "summary": "上门拜访", "interaction_type": "visit"}
        )
        self.env["customer.contact.plan"]._plan(partner.ids)
        return contact, interaction

    def _effects(self, partner, contact, interaction):
        """Everything a tier change of ``partner`` leaves, read from the database."""
        self.env.flush_all()
        self.env.invalidate_all()
        history = self._history(partner)[0]
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("tracking_value_ids.field_id.name", "=", "archive_tier"),
            ]
        )
        plan = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("archive_plan_kind", "!=", False),
            ]
        )
        return {
            "tier, tier date": self._stored(partner, ["archive_tier", "archive_tier_date"]),
            "history": (history.tier_from, history.tier_to, history.user_id, history.date.date()),
            "chatter": [
                (
                    message.message_type,
                    message.subtype_id,
                    message.author_id,
                    str(message.body),
                    [
                        (value.field_id.name, value.old_value_char, value.new_value_char)
                        for value in message.tracking_value_ids
                    ],
                )
                for message in messages
            ],
            "access of the archive": self._stored(partner, ACCESS_COLUMNS),
            "access of the key person": self._stored(contact, ACCESS_COLUMNS),
            "interaction tier": self._stored(interaction, ["archive_tier"]),
            "plan": sorted(
                (
                    activity.archive_plan_kind,
                    activity.date_deadline,
                    activity.archive_deadline,
                    activity.summary,
                )
                for activity in plan
            ),
        }

    def test_write_and_recompute_have_the_same_effects(self):
        """The same change (C to A of the same customer, from the same state)
        once by a write, rolled back, then by the recompute."""
        self.last_call = fields.Date.today() - datetime.timedelta(days=3)
        customers = self._generate_customers(20)
        self.policy._recompute_tiers()
        target = customers.filtered(lambda p: p.archive_tier == "c")[:1]
        objects = self._archive_with_plan(target)
        before = self._effects(target, *objects)
        self.assertEqual(before["access of the key person"][1], "c")
        self.assertFalse(before["chatter"], "the first tier is in the history only")

        with self.assertRaises(RollbackChange), self.env.cr.savepoint():
            target.write({"archive_tier": "a"})
            through_write = self._effects(target, *objects)
            reason = self._history(target)[0].reason
            raise RollbackChange
        self.env.invalidate_all()
        self.assertEqual(self._effects(target, *objects), before, "the write was rolled back")
        self.assertEqual(reason, "manual")

        target.write(STRONGEST_FIGURES)
        self.assertIn(target.id, self.policy._recompute_tiers())
        through_recompute = self._effects(target, *objects)
        self.assertEqual(self._history(target)[0].reason, "recompute")
        self.assertEqual(through_write, through_recompute)

        # … and they are the effects of a change from C to A.
        a_cadence = self.env["customer.contact.cadence"].search([("tier", "=", "a")])
        self.assertEqual(through_write["tier, tier date"], ("a", fields.Date.context_today(self.env.user)))
        self.assertEqual(through_write["history"], ("c", "a", self.env.user, fields.Date.today()))
        self.assertEqual([line[4] for line in through_write["chatter"]], [[("archive_tier", "C", "A")]])
        self.assertEqual(through_write["access of the archive"], (True, "a", self.rep.id, -1))
        self.assertEqual(through_write["access of the key person"], (True, "a", self.rep.id, -1))
        self.assertEqual(through_write["interaction tier"], ("a",))
        due = self.last_call + datetime.timedelta(days=a_cadence.call_interval_days)
        calls = [item for item in through_write["plan"] if item[0] == "call"]
        self.assertEqual(calls, [("call", due, due, a_cadence.call_summary)])
        self.assertNotEqual(calls, [item for item in before["plan"] if item[0] == "call"])

    def test_import_reason_and_note(self):
        partner = self.env["res.partner"].create({"name": "导入客户", "archive_tier": "b"})
        partner.with_context(import_file=True, archive_tier_change_note="批量导入").write(
            {"archive_tier": "c"}
        )
        row = self._history(partner)[0]
        self.assertEqual((row.tier_from, row.tier_to, row.reason, row.note), ("b", "c", "import", "批量导入"))
        self.assertEqual(
            self._stored(partner, ["archive_tier_date"]), (fields.Date.context_today(self.env.user),)
        )

    def test_access_compute_and_bulk_update_agree(self):
        """The access columns computed by the ORM (create, write of the
        department or rep) are those the bulk update of the recompute
        writes: both come from ``_archive_access_query``."""
        department = self.env["hr.department"].create({"name": "华东销售部"})
        archive = self.env["res.partner"].create(
            {
                "name": "华东客户",
                "is_company": True,
                "archive_tier": "b",
                "archive_department_id": department.id,
            }
        )
        contact = self.env["res.partner"].create({"name": "联系人 李", "parent_id": archive.id})
        other = self.env["res.partner"].create({"name": "普通联系人", "is_customer_archive": False})
        computed = [self._stored(record, ACCESS_COLUMNS) for record in (archive, contact, other)]
        self.assertEqual(computed[0], (True, "b", archive.user_id.id or None, department.id))
        self.assertEqual(computed[1], computed[0])
        self.assertEqual(computed[2], (False, None, None, 0))
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET archive_access_tier = NULL, archive_access_scope = 12345 WHERE id = ANY(%s)",
                [archive.id, contact.id, other.id],
            )
        )
        (archive | contact | other)._archive_access_update()
        self.assertEqual(
            [self._stored(record, ACCESS_COLUMNS) for record in (archive, contact, other)], computed
        )
