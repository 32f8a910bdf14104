from odoo.tests import tagged
from odoo.tools import SQL

from .test_tier_scoring import STRONGEST_FIGURES, TierCase


@tagged("post_install", "-at_install")
class TestTierRecomputeDependants(TierCase):
    """The set-based recompute writes the tier in SQL; every stored field
    that depends on it (the tier of the interaction history, the access
    columns of the key persons) follows, as after an ORM write."""

    def _stored(self, model, record, fname):
        """The value in the database, not in the cache."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE id = %s",
                SQL.identifier(fname),
                SQL.identifier(model._table),
                record.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def test_interaction_and_contacts_follow_the_new_tier(self):
        customers = self._generate_customers(20)
        self.policy._recompute_tiers()
        target = customers.filtered(lambda p: p.archive_tier == "c")[:1]
        contact = self.env["res.partner"].create({"name": "关键人 王经理", "parent_id": target.id})
        interaction = self.env["customer.archive.interaction"].create(
            {"partner_id": target.id, "summary": "电话回访", "interaction_type": "call"}
        )
        Interaction = self.env["customer.archive.interaction"]
        self.assertEqual(self._stored(Interaction, interaction, "archive_tier"), "c")
        self.assertEqual(self._stored(target, contact, "archive_access_tier"), "c")

        target.write(STRONGEST_FIGURES)
        changed = self.policy._recompute_tiers()
        self.assertIn(target.id, changed)
        self.assertEqual(self._stored(target, target, "archive_tier"), "a")
        self.assertEqual(self._stored(Interaction, interaction, "archive_tier"), "a")
        self.assertEqual(self._stored(target, contact, "archive_access_tier"), "a")
        self.assertEqual(self._stored(target, contact, "archive_access_scope"), -1)
        # Searching by the stored tier of the history finds the interaction.
        self.assertIn(interaction, Interaction.search([("archive_tier", "=", "a")]))
