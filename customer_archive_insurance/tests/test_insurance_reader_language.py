"""What a zh_CN user reads in the insurance addon's data is Chinese."""

import re
from datetime import date

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .test_insurance_regulation import RegulationCase


@tagged("post_install", "-at_install")
class TestInsuranceReaderLanguage(TransactionCase):
    def test_retention_rule_note_in_chinese(self):
        rule = self.env.ref("customer_archive_insurance.retention_rule_insurance_policy_ended")
        note = rule.with_context(lang="zh_CN").note
        self.assertIn("保存期限", note)
        self.assertNotIn("regulator", note)

    def test_demo_product_names_are_chinese(self):
        policies = self.env["insurance.policy"].search([("product_name", "!=", False)])
        latin = policies.filtered(lambda policy: re.search("[A-Za-z]", policy.product_name))
        self.assertFalse(latin.mapped("product_name"))

    def test_demo_return_visit_notes_are_chinese(self):
        lines = self.env["insurance.return.visit.line"].search([("note", "!=", False)])
        attempts = self.env["insurance.return.visit.attempt"].search([("note", "!=", False)])
        notes = lines.mapped("note") + attempts.mapped("note")
        self.assertTrue(notes)
        self.assertFalse([note for note in notes if re.search("[A-Za-z]", note)])


@tagged("post_install", "-at_install")
class TestClaimDeadlineLanguage(RegulationCase):
    def test_deadline_activity_in_handler_language_before_selection_translations(self):
        """At install the demo's job runs before the selection values have
        their zh_CN names in the database: the activity is still Chinese."""
        self.env.cr.execute(
            SQL(
                """UPDATE ir_model_fields_selection s SET name = s.name - 'zh_CN'
                     FROM ir_model_fields f
                    WHERE s.field_id = f.id AND f.model = 'insurance.claim' AND f.name = 'next_deadline_kind'"""
            )
        )
        self.env.registry.clear_cache()
        self.claims_user.lang = "zh_CN"
        self.policy.action_activate()
        with freeze_time("2026-03-01"):
            claim = self.env["insurance.claim"].create(
                {
                    "policy_id": self.policy.id,
                    "incident_date": date(2026, 2, 20),
                    "description": "住院治疗",
                    "amount_claimed": 8000.0,
                    "handler_id": self.claims_user.id,
                }
            )
            claim.checklist_line_ids.write({"received": True})
        self.env["insurance.claim"]._cron_claim_deadlines(date(2026, 3, 28))
        activity = claim.activity_ids.filtered(lambda act: act.user_id == self.claims_user)
        self.assertEqual(len(activity), 1)
        self.assertIn("核定", activity.summary)
        self.assertNotIn("Decision", activity.summary)

    def test_refund_basis_shows_the_cost_as_an_amount(self):
        policy = self.life_policy(name="L-9001")
        policy.action_activate()
        with freeze_time("2026-01-10"):
            wizard = self.env["insurance.policy.surrender"].create(
                {"policy_id": policy.id, "reason": "客户要求退保"}
            )
        self.assertIn(policy.currency_id.format(10.0), wizard.refund_basis)
        self.assertNotIn("(10.0)", wizard.refund_basis)


@tagged("post_install", "-at_install")
class TestDemoMessagesLanguage(TransactionCase):
    """The demo writes messages while it is installed, before Odoo would load
    the addon's terms: they are in the reader's language all the same (meaningful
    on a database installed as setup/run.sh does, with zh_CN: the claimant reads
    Chinese there)."""

    def test_demo_missing_documents_in_the_claimant_language(self):
        claim = self.env.ref("customer_archive_insurance.claim_chen_xiaojing_ci_missing")
        lang = claim.claimant_id.lang or "en_US"
        body = " ".join(str(body) for body in claim.message_ids.mapped("body"))
        missing = claim.checklist_line_ids.filtered(lambda line: not line.received)
        self.assertTrue(missing)
        for name in missing.with_context(lang=lang).mapped("display_name"):
            self.assertIn(name, body)
