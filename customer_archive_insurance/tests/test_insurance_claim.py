from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceClaim(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.action_activate()

    def _claim(self, **vals):
        values = {
            "policy_id": self.policy.id,
            "incident_date": date(2026, 3, 5),
            "description": "急性阑尾炎住院",
            "amount_claimed": 20000.0,
        }
        values.update(vals)
        return self.env["insurance.claim"].with_user(self.agent).create(values)

    def test_number_and_claimant(self):
        claim = self._claim()
        self.assertTrue(claim.name.startswith("CLM/"))
        self.assertEqual(claim.claimant_id, self.client, "the insured person claims by default")
        self.assertEqual(claim.state, "submitted")
        self.assertEqual(claim.agent_id, self.agent)

    def test_incident_inside_the_policy_period(self):
        with self.assertRaisesRegex(ValidationError, "Incident Date 2027-01-01 lies outside"):
            self._claim(incident_date=date(2027, 1, 1))
        with self.assertRaisesRegex(ValidationError, "Incident Date"):
            self._claim(incident_date=date(2025, 12, 31))
        self.assertTrue(self._claim(incident_date=date(2026, 12, 31)))

    def test_amount_checks(self):
        with self.assertRaisesRegex(ValidationError, "Amount Claimed .* exceeds the Sum Insured"):
            self._claim(amount_claimed=100001.0)
        claim = self._claim()
        with self.assertRaisesRegex(ValidationError, "Amount Approved .* exceeds the Amount Claimed"):
            claim.sudo().amount_approved = 20001.0
        with self.assertRaisesRegex(ValidationError, "Amount Paid .* exceeds the Amount Approved"):
            claim.sudo().write({"amount_approved": 15000.0, "amount_paid": 15001.0})
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._claim(amount_claimed=-1.0)

    def test_workflow_approve_and_pay(self):
        claim = self._claim()
        with self.assertRaises(AccessError):
            claim.with_user(self.agent).action_start_review()
        handler = claim.with_user(self.claims_user)
        handler.action_start_review()
        self.assertEqual(claim.state, "under_review")
        with self.assertRaisesRegex(UserError, "Amount Approved"):
            handler.action_approve()
        handler.amount_approved = 18000.0
        handler.action_approve()
        self.assertEqual(claim.state, "approved")
        with self.assertRaisesRegex(UserError, "Approved"):
            handler.action_approve()
        handler.action_pay()
        self.assertEqual(claim.state, "paid")
        self.assertEqual(claim.amount_paid, 18000.0)
        self.assertTrue(claim.payment_date)
        self.assertEqual(self.policy.claims_paid, 18000.0)

    def test_workflow_reject_needs_a_reason(self):
        claim = self._claim()
        handler = claim.with_user(self.claims_user)
        with self.assertRaisesRegex(UserError, "Rejection Reason"):
            handler.action_reject()
        handler.rejection_reason = "不属于保险责任范围"
        handler.action_reject()
        self.assertEqual(claim.state, "rejected")
        with self.assertRaises(UserError):
            handler.action_pay()
        handler.action_reopen()
        self.assertEqual(claim.state, "under_review")

    def test_documents(self):
        claim = self._claim()
        attachment = self.env["ir.attachment"].create(
            {"name": "发票.pdf", "raw": b"%PDF-1.4", "res_model": "insurance.claim", "res_id": claim.id}
        )
        claim.document_ids = attachment
        self.assertEqual(claim.document_count, 1)
