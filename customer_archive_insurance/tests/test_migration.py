from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, convert_file

from .common import AGENT, CLAIMS, UNDERWRITER, load_migration

RULE = "customer_archive_insurance.rule_res_partner_insurance_staff"
OLD_DOMAIN = (
    "['|', ('insurance_agent_id', '!=', False), ('commercial_partner_id.insurance_agent_id', '!=', False)]"
)


@tagged("post_install", "-at_install")
class TestMigration(TransactionCase):
    def test_upgrade_to_1_1_narrows_the_staff_rule_on_existing_databases(self):
        """A database installed with 18.0.1.0.0 keeps its noupdate rule on
        update; the pre-migration drops it so that the update's data load
        creates it again without the A-class archives."""
        # The rule as 18.0.1.0.0 installed it, plus an A-class insurance client.
        self.env.ref(RULE).domain_force = OLD_DOMAIN
        agent = self.env["res.users"].create(
            {"name": "代理人", "login": "mig_agent", "groups_id": [(6, 0, self.env.ref(AGENT).ids)]}
        )
        underwriter = self.env["res.users"].create(
            {
                "name": "核保员",
                "login": "mig_underwriter",
                "groups_id": [(6, 0, self.env.ref(UNDERWRITER).ids)],
            }
        )
        vip = self.env["res.partner"].create(
            {"name": "王董事长", "user_id": agent.id, "insurance_agent_id": agent.id, "archive_tier": "a"}
        )
        Partner = self.env["res.partner"].with_user(underwriter)
        self.assertEqual(Partner.search([("id", "=", vip.id)]), vip)

        load_migration("18.0.1.1.0", "pre-migrate").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertFalse(self.env.ref(RULE, raise_if_not_found=False))
        # What the update does next: load the module's data (noupdate block).
        convert_file(
            self.env, "customer_archive_insurance", "security/rules.xml", {}, mode="update", noupdate=True
        )
        self.env.registry.clear_cache()

        rule = self.env.ref(RULE)
        self.assertIn("archive_access_tier", rule.domain_force)
        self.assertFalse(rule.perm_write)
        self.assertEqual(set(rule.groups.ids), {self.env.ref(UNDERWRITER).id, self.env.ref(CLAIMS).id})
        self.assertFalse(Partner.search([("id", "=", vip.id)]))

    def test_fresh_install_is_left_alone(self):
        rule = self.env.ref(RULE)
        load_migration("18.0.1.1.0", "pre-migrate").migrate(self.env.cr, None)
        self.assertTrue(rule.exists())


@tagged("post_install", "-at_install")
class TestMigrationRegulatoryDates(TransactionCase):
    def test_upgrade_to_1_2_fills_the_dates_the_new_deadlines_start_from(self):
        """Records of 18.0.1.1.0 have no receipt, suspension or submission
        date: policies past draft count as delivered on their start date,
        lapsed ones as suspended after the grace period of their unpaid
        premium, claims as submitted the day they were created."""
        policy = self.env.ref("customer_archive_insurance.policy_zhou_min_life")
        lapsed = self.env.ref("customer_archive_insurance.policy_xu_ming_accident")
        draft = self.env.ref("customer_archive_insurance.policy_yang_fan_ci")
        claim = self.env.ref("customer_archive_insurance.claim_li_qiang_ci")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE insurance_policy SET receipt_date = NULL, suspension_date = NULL WHERE id IN %s",
                (policy.id, lapsed.id, draft.id),
            )
        )
        # as 18.0.1.1.0 had it: no such column, so no NOT NULL either
        self.env.cr.execute(SQL("ALTER TABLE insurance_claim ALTER COLUMN submission_date DROP NOT NULL"))
        self.env.cr.execute(
            SQL(
                "UPDATE insurance_claim SET submission_date = NULL, create_date = '2026-03-04 10:00' WHERE id = %s",
                claim.id,
            )
        )
        load_migration("18.0.1.2.0", "pre-migrate").migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(policy.receipt_date, policy.start_date)
        self.assertFalse(draft.receipt_date)
        self.assertEqual(str(lapsed.suspension_date - lapsed.next_premium_date), "61 days, 0:00:00")
        self.assertEqual(str(claim.submission_date), "2026-03-04")

    def test_fresh_install_of_1_2_is_left_alone(self):
        claim = self.env.ref("customer_archive_insurance.claim_li_qiang_ci")
        before = claim.submission_date
        load_migration("18.0.1.2.0", "pre-migrate").migrate(self.env.cr, None)
        self.env.invalidate_all()
        self.assertEqual(claim.submission_date, before)
