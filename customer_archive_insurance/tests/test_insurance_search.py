from datetime import date

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceSearchByClient(InsuranceCase):
    """Policies and claims are found by the client's name, not only by number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls.env["insurance.claim"].create(
            {
                "policy_id": cls.policy.id,
                "incident_date": date(2026, 2, 1),
                "description": "住院",
                "amount_claimed": 600,
            }
        )

    def _search_bar_domain(self, model, text):
        """The domain the search bar builds when ``text`` is typed and Enter hit
        (first field of the search view)."""
        arch = self.env[model].get_views([(False, "search")])["views"]["search"]["arch"]
        field = etree.fromstring(arch).xpath("//field")[0]
        return safe_eval(
            field.get("filter_domain") or f"[('{field.get('name')}', 'ilike', self)]", {"self": text}
        )

    def test_policy_found_by_client_name(self):
        Policy = self.env["insurance.policy"].with_user(self.agent)
        self.assertIn(self.policy.id, [pid for pid, _name in Policy.name_search("周敏")])
        self.assertIn(self.policy.id, [pid for pid, _name in Policy.name_search("P-0001")])
        self.assertEqual(Policy.search(self._search_bar_domain("insurance.policy", "周敏")), self.policy)
        self.assertEqual(Policy.search(self._search_bar_domain("insurance.policy", "P-0001")), self.policy)
        self.assertFalse(
            Policy.search(self._search_bar_domain("insurance.policy", "李强")), "not the agent's"
        )

    def test_claim_found_by_client_name(self):
        for user in (self.agent, self.claims_user):
            Claim = self.env["insurance.claim"].with_user(user)
            self.assertIn(self.claim.id, [cid for cid, _name in Claim.name_search("周敏")], user.login)
            # (the demo data has a client of that name too)
            found = Claim.search(self._search_bar_domain("insurance.claim", "周敏"))
            self.assertIn(self.claim, found)
            self.assertEqual(set(found.mapped("claimant_id.name")), {"周敏"})
            self.assertIn(self.claim, Claim.search(self._search_bar_domain("insurance.claim", "P-0001")))
            self.assertEqual(
                Claim.search(self._search_bar_domain("insurance.claim", self.claim.name)), self.claim
            )
