"""The Recompute Now buttons of the tiers and of the analysis: at once on a
small database, the chunked nightly run started in the background above the
size a request can finish within the worker's time limit."""

from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from ..models import customer_tier_policy
from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestRecomputeNowButtons(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.create_archive("立即重算客户", rep=cls.rep)
        cls.env["customer.archive.transaction"].create(
            {"name": "立即重算-1", "partner_id": cls.customer.id, "date": date.today(), "amount": 1000.0}
        )
        cls.tier_cron = cls.env.ref("customer_archive.ir_cron_customer_tier_recompute")
        cls.analysis_cron = cls.env.ref("customer_archive.ir_cron_archive_compute_analysis")

    def _triggers(self, cron):
        return self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])

    def _policy(self):
        return self.env["customer.tier.policy"]._get_active_policy().with_user(self.marketing_manager)

    def test_tiers_at_once_on_a_small_database(self):
        before = self._triggers(self.tier_cron)
        action = self._policy().action_recompute_tiers()
        self.assertIn("Tiers recomputed", action["params"]["message"])
        self.assertEqual(self._triggers(self.tier_cron), before)

    def test_tiers_in_the_background_above_the_limit(self):
        before = self._triggers(self.tier_cron)
        with patch.object(customer_tier_policy, "RECOMPUTE_NOW_LIMIT", 0):
            action = self._policy().action_recompute_tiers()
        self.assertIn("in the background", action["params"]["message"])
        self.assertEqual(self._triggers(self.tier_cron), before + 1)

    def test_analysis_at_once_on_a_small_database(self):
        self.customer.archive_rfm_segment = False
        before = self._triggers(self.analysis_cron)
        action = self.env["res.config.settings"].create({}).action_archive_compute_analysis()
        self.assertIn("up to date", action["params"]["message"])
        self.assertEqual(self._triggers(self.analysis_cron), before)
        self.assertTrue(self.customer.archive_rfm_segment, "computed in the request")

    def test_analysis_in_the_background_above_the_limit(self):
        self.customer.archive_rfm_segment = False
        before = self._triggers(self.analysis_cron)
        with patch.object(customer_tier_policy, "RECOMPUTE_NOW_LIMIT", 0):
            action = self.env["res.config.settings"].create({}).action_archive_compute_analysis()
        self.assertIn("in the background", action["params"]["message"])
        self.assertEqual(self._triggers(self.analysis_cron), before + 1)
        self.assertFalse(self.customer.archive_rfm_segment, "left to the background run")
