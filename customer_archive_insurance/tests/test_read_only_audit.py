"""Health data read over JSON-RPC (读写分离): an underwriter's form open of a
health record and a claims handler's of a claim with its medical details run
in read-only transactions (servable by a replica), not retried read-write;
each read is audited in a short transaction of its own on the primary, kept
when the request fails afterwards."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.customer_archive.tests.common import JsonRpcCalls, call_kw_is_readonly

from .common import AGENT, CLAIMS, UNDERWRITER, policy_values


@tagged("post_install", "-at_install")
class TestInsuranceReadOnlyAudit(JsonRpcCalls, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        agent = new_test_user(env, login="ro_ins_agent", groups=AGENT)
        cls.underwriter = new_test_user(env, login="ro_ins_underwriter", groups=UNDERWRITER)
        cls.claims_user = new_test_user(env, login="ro_ins_claims", groups=CLAIMS)
        insurer = env["res.partner"].create(
            {"name": "只读人寿保险公司", "is_company": True, "is_insurer": True, "is_customer_archive": False}
        )
        client = env["res.partner"].create(
            {
                "name": "吴芳",
                "archive_birth_date": date(1982, 4, 2),
                "user_id": agent.id,
                "insurance_agent_id": agent.id,
            }
        )
        policy = env["insurance.policy"].create(policy_values(insurer, client, agent))
        cls.record = env["insurance.health.record"].create(
            {
                "partner_id": client.id,
                "declaration_date": date(2026, 1, 10),
                "height_cm": 165.0,
                "weight_kg": 55.0,
                "occupation_id": env.ref("customer_archive_insurance.occupation_office_worker").id,
            }
        )
        cls.claim = env["insurance.claim"].create(
            {
                "policy_id": policy.id,
                "incident_date": date(2026, 3, 5),
                "description": "急性阑尾炎住院",
                "amount_claimed": 20000.0,
                "medical_details": "阑尾切除术",
            }
        )
        cls.Log = env["customer.archive.audit.log"]

    def _web_read(self, record, specification):
        return self.call_kw(record._name, "web_read", record.ids, specification=specification)

    def _audited_web_read(self, login, record, specification):
        return self.audited_call_kw(login, record._name, "web_read", record.ids, specification=specification)

    def _read_rows(self, record, user):
        return self.Log.search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", user.id),
                ("operation", "=", "read"),
            ]
        )

    def test_health_record_form_open(self):
        self.assertIs(call_kw_is_readonly(self.env, "insurance.health.record", "web_read"), True)
        values, seen = self._audited_web_read(
            "ro_ins_underwriter", self.record, {"height_cm": {}, "weight_kg": {}, "bmi": {}}
        )
        self.assertAlmostEqual(values[0]["height_cm"], 165.0)
        self.assertEqual(seen, [("ro", False)])
        self.assertEqual(len(self._read_rows(self.record, self.underwriter)), 1)

    def test_claim_form_open(self):
        self.assertIs(call_kw_is_readonly(self.env, "insurance.claim", "web_read"), True)
        values, seen = self._audited_web_read(
            "ro_ins_claims", self.claim, {"name": {}, "medical_details": {}}
        )
        self.assertEqual(values[0]["medical_details"], "阑尾切除术")
        self.assertEqual(seen, [("ro", False)])
        rows = self._read_rows(self.claim, self.claims_user)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.partner_id, self.claim.claimant_id)

    def test_audit_rows_stay_when_the_request_fails_afterwards(self):
        IrHttp = type(self.env["ir.http"])

        def fail(*args, **kwargs):
            # a failure of the test itself, never shown to a user
            raise UserError("the request fails after the read")  # pylint: disable=translation-required

        for login, user, record, specification in (
            ("ro_ins_underwriter", self.underwriter, self.record, {"height_cm": {}}),
            ("ro_ins_claims", self.claims_user, self.claim, {"medical_details": {}}),
        ):
            with self.subTest(model=record._name):
                self.authenticate(login, login)
                failed = None
                # (not self.assertRaises: Odoo's rolls back a savepoint around its block)
                with patch.object(IrHttp, "_post_dispatch", fail):
                    try:
                        self._web_read(record, specification)
                    except JsonRpcException as error:
                        failed = error
                self.assertEqual(str(failed), "odoo.exceptions.UserError")
                self.assertEqual(len(self._read_rows(record, user)), 1)
