from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceAccess(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_policy = cls.create_policy(cls.other_client, cls.other_agent, name="P-0002")
        (cls.policy | cls.other_policy).action_activate()
        cls.health = cls.env["insurance.health.record"].create(
            {
                "partner_id": cls.client.id,
                "height_cm": 165,
                "weight_kg": 60,
                "declaration_date": date(2026, 1, 5),
            }
        )
        cls.claim = cls.env["insurance.claim"].create(
            {
                "policy_id": cls.policy.id,
                "incident_date": date(2026, 2, 1),
                "description": "住院",
                "medical_details": "阑尾炎",
                "amount_claimed": 5000,
            }
        )
        cls.other_claim = cls.env["insurance.claim"].create(
            {
                "policy_id": cls.other_policy.id,
                "incident_date": date(2026, 2, 1),
                "description": "骨折",
                "amount_claimed": 3000,
            }
        )

    def test_agent_sees_own_clients_policies_only(self):
        Policy = self.env["insurance.policy"].with_user(self.agent)
        visible = Policy.search([("id", "in", (self.policy | self.other_policy).ids)])
        self.assertEqual(visible, self.policy)
        with self.assertRaises(AccessError):
            self.other_policy.with_user(self.agent).read(["name"])
        with self.assertRaises(AccessError):
            self.other_claim.with_user(self.agent).read(["name"])
        claims = self.env["insurance.claim"].with_user(self.agent).search([])
        self.assertIn(self.claim, claims)
        self.assertNotIn(self.other_claim, claims)

    def test_agent_sees_policies_of_own_clients_sold_by_others(self):
        # Sold by the other agent, but the policyholder is the agent's client.
        policy = self.create_policy(self.client, self.other_agent, name="P-0003")
        self.assertTrue(self.env["insurance.policy"].with_user(self.agent).search([("id", "=", policy.id)]))

    def test_agent_creates_policy_for_own_client(self):
        policy = (
            self.env["insurance.policy"]
            .with_user(self.agent)
            .create(
                {
                    "name": "P-AGENT",
                    "insurer_id": self.insurer.id,
                    "policyholder_id": self.client.id,
                    "insured_id": self.client.id,
                    "base_premium": 500,
                }
            )
        )
        self.assertEqual(policy.agent_id, self.agent)
        self.assertEqual(policy.pricing_factor, self.health.pricing_factor)

    def test_agent_has_no_health_data(self):
        with self.assertRaises(AccessError):
            self.health.with_user(self.agent).read(["bmi"])
        with self.assertRaises(AccessError):
            self.claim.with_user(self.agent).read(["medical_details"])
        # The rest of the claim is readable.
        self.assertEqual(self.claim.with_user(self.agent).read(["amount_claimed"])[0]["amount_claimed"], 5000)
        with self.assertRaises(AccessError):
            self.client.with_user(self.agent).read(["insurance_health_record_count"])

    def test_underwriter_and_claims_staff_see_health_data(self):
        for user in (self.underwriter, self.claims_user, self.manager):
            self.assertEqual(self.health.with_user(user).read(["bmi"])[0]["bmi"], 22.0)
            self.assertEqual(
                self.claim.with_user(user).read(["medical_details"])[0]["medical_details"], "阑尾炎"
            )
            policies = self.env["insurance.policy"].with_user(user).search([])
            self.assertIn(self.other_policy, policies)
        self.assertEqual(self.client.with_user(self.underwriter).insurance_health_record_count, 1)

    def test_underwriters_and_claims_staff_work_on_a_class_clients_they_cannot_open(self):
        """The core's A-class rule holds for insurance staff too: they read the
        B/C insurance clients of every department, but an A-class client only
        with a grant. Its policies, health records and claims stay theirs to
        handle, with the client's name shown."""
        vip = self.env["res.partner"].create(
            {
                "name": "王董事长",
                "archive_birth_date": date(1968, 9, 1),
                "user_id": self.agent.id,
                "insurance_agent_id": self.agent.id,
                "archive_tier": "a",
            }
        )
        policy = self.create_policy(vip, self.agent, name="P-VIP")
        policy.action_activate()
        for user in (self.underwriter, self.claims_user):
            Partner = self.env["res.partner"].with_user(user)
            self.assertFalse(Partner.search([("id", "=", vip.id)]))
            with self.assertRaises(AccessError):
                vip.with_user(user).read(["name"])
            # B/C insurance clients of any department stay readable.
            self.assertEqual(Partner.search([("id", "in", (vip | self.other_client).ids)]), self.other_client)
            read = policy.with_user(user).web_read({"policyholder_id": {"fields": {"display_name": {}}}})
            self.assertEqual(read[0]["policyholder_id"]["display_name"], "王董事长")
        # The underwriter records the client's health declaration...
        health = (
            self.env["insurance.health.record"]
            .with_user(self.underwriter)
            .create(
                {
                    "partner_id": vip.id,
                    "height_cm": 175,
                    "weight_kg": 80,
                    "declaration_date": date(2026, 3, 1),
                }
            )
        )
        health.smoker = True
        self.assertEqual(health.age, 57)
        self.assertTrue(health.risk_score)
        # ...and the claims handler settles the client's claim.
        claim = (
            self.env["insurance.claim"]
            .with_user(self.claims_user)
            .create(
                {
                    "policy_id": policy.id,
                    "incident_date": date(2026, 4, 1),
                    "description": "门诊",
                    "medical_details": "肺炎",
                    "amount_claimed": 2000,
                }
            )
        )
        claim.action_start_review()
        claim.amount_approved = 1500
        claim.action_approve()
        claim.action_pay()
        self.assertEqual(claim.state, "paid")
        self.assertEqual(claim.claimant_id, vip)
        # The agent is the client's responsible rep and keeps reading it.
        self.assertEqual(vip.with_user(self.agent).read(["name"])[0]["name"], "王董事长")
        # The underwriter asks for it like anybody else: a marketing manager approves...
        request = (
            self.env["customer.archive.access.request"]
            .with_user(self.underwriter)
            .create(
                {
                    # by its archive number: the underwriter may not open it
                    "line_ids": [Command.create({"reference": vip.archive_number})],
                    "reason": "核保需要",
                    "duration_days": 7,
                }
            )
        )
        self.assertEqual(request.partner_ids, vip)
        self.assertEqual(request.approval_route, "marketing")
        # ...and the grant opens the archive to the underwriter.
        self.env["customer.archive.access.grant"].create(
            {"user_id": self.underwriter.id, "partner_id": vip.id, "date_to": "2099-12-31"}
        )
        self.assertEqual(vip.with_user(self.underwriter).read(["name"])[0]["name"], "王董事长")
        with self.assertRaises(AccessError):
            vip.with_user(self.claims_user).read(["name"])

    def test_only_underwriters_write_health_records(self):
        self.health.with_user(self.underwriter).weight_kg = 62
        with self.assertRaises(AccessError):
            self.health.with_user(self.claims_user).weight_kg = 70

    def test_plain_archive_user_has_no_insurance_data(self):
        for record in (self.health, self.policy, self.claim):
            with self.assertRaises(AccessError):
                record.with_user(self.archive_user).read(["display_name"])
        # The client itself stays readable: the insurance fields do not break Contacts.
        partner = self.client.with_user(self.archive_user)
        self.assertEqual(
            partner.read(["insurance_client_segment"])[0]["insurance_client_segment"], "ordinary"
        )

    def test_manager_deletes(self):
        self.other_claim.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            self.claim.with_user(self.claims_user).unlink()

    def test_anonymisation_erases_insurance_free_text(self):
        """The archive administrator's anonymisation reaches the client's
        policies, health records and claims: words go, figures stay."""
        self.policy.notes = "<p>周敏 prefers calls after 18:00</p>"
        self.health.notes = "Smoked until 2020"
        self.health.write({"condition_ids": [(0, 0, {"name": "Hypertension", "notes": "father too"})]})
        self.claim.message_post(body="周敏 sent the hospital bill")
        admin = self.env["res.users"].create(
            {
                "name": "档案管理员",
                "login": "ins_archive_admin",
                "groups_id": [(6, 0, self.env.ref("customer_archive.group_archive_admin").ids)],
            }
        )
        self.client.with_user(admin).action_archive_anonymize()
        self.assertFalse(self.policy.notes)
        self.assertEqual((self.policy.name, self.policy.sum_insured), ("P-0001", 100000.0))
        self.assertFalse(self.health.notes)
        self.assertFalse(self.health.condition_ids.notes)
        self.assertEqual(self.health.condition_ids.name, "Hypertension")
        self.assertEqual(self.health.bmi, 22.0)
        self.assertEqual(self.claim.description, "Anonymised")
        self.assertFalse(self.claim.medical_details)
        self.assertEqual((self.claim.amount_claimed, str(self.claim.incident_date)), (5000, "2026-02-01"))
        self.assertNotIn("hospital bill", " ".join(self.claim.message_ids.mapped("body")))
        # the other client's records are untouched
        self.assertEqual(self.other_claim.description, "骨折")

    def test_medical_details_access_is_audited(self):
        Log = self.env["customer.archive.audit.log"]
        domain = [("res_model", "=", "insurance.claim"), ("res_id", "=", self.claim.id)]
        before = Log.search(domain)
        # an agent reading the claim without the details leaves no trace
        self.claim.with_user(self.agent).read(["amount_claimed"])
        self.assertEqual(Log.search(domain), before)
        self.claim.with_user(self.claims_user).read(["medical_details"])
        self.claim.with_user(self.claims_user).write({"medical_details": "阑尾炎，已出院"})
        logs = Log.search(domain) - before
        self.assertEqual(sorted(logs.mapped("operation")), ["read", "write"])
        self.assertEqual(logs.user_id, self.claims_user)
        self.assertEqual(logs.partner_id, self.client)
        self.assertEqual(set(logs.mapped("field_names")), {"medical_details"})
