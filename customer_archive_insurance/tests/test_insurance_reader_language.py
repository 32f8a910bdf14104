"""What a zh_CN user reads in the insurance addon's data is Chinese."""

import re

from odoo.tests import TransactionCase, tagged


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
