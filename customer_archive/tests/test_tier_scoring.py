from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

# Figures no generated or demo customer reaches: the recompute ranks them A.
STRONGEST_FIGURES = {
    "archive_registered_capital": 10**12,
    "archive_sales_last_year": 10**12,
    "archive_sales_two_years_ago": 10**12,
    "archive_sales_three_years_ago": 10**12,
    "archive_employee_count": 10**6,
    "archive_deal_likelihood": 100,
}


class TierCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("customer_archive.customer_tier_policy_default")
        cls.rep = new_test_user(
            cls.env, login="tier_rep", groups="customer_archive.group_archive_user,base.group_partner_manager"
        )
        cls.manager = new_test_user(
            cls.env,
            login="tier_manager",
            groups="customer_archive.group_archive_marketing_manager,base.group_partner_manager",
        )
        cls.country = cls.env.ref("base.cn")
        cls.state_bj = cls.env["res.country.state"].search([("country_id", "=", cls.country.id)], limit=1)
        cls.state_sh = cls.env["res.country.state"].search(
            [("country_id", "=", cls.country.id), ("id", "!=", cls.state_bj.id)], limit=1
        )

    @classmethod
    def _generate_customers(cls, count, state=None, prefix="Generated"):
        """Customers with spread-out strength figures and likelihoods."""
        return cls.env["res.partner"].create(
            [
                {
                    "name": f"{prefix} {index:03d}",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "country_id": cls.country.id,
                    "state_id": (state or cls.state_bj).id,
                    "archive_registered_capital": (index * 37) % count * 10000,
                    "archive_sales_last_year": (index * 53) % count * 5000,
                    "archive_sales_two_years_ago": (index * 17) % count * 4000,
                    "archive_sales_three_years_ago": index * 1000,
                    "archive_employee_count": (index * 11) % count,
                    "archive_deal_likelihood": (index * 7) % 101,
                }
                for index in range(count)
            ]
        )

    def _rankable(self):
        return self.env["res.partner"].search(
            [
                ("is_customer_archive", "=", True),
                ("parent_id", "=", False),
                ("archive_state", "!=", "closed"),
                ("archive_tier_locked", "=", False),
            ]
        )

    def _history(self, partner):
        return self.env["customer.tier.history"].search([("partner_id", "=", partner.id)])

    def assertShares(self, partners):
        total = len(partners)
        counts = {tier: len(partners.filtered(lambda p, t=tier: p.archive_tier == t)) for tier in "abc"}
        self.assertEqual(sum(counts.values()), total, "every ranked customer has a tier")
        for tier, share in (
            ("a", self.policy.share_a),
            ("b", self.policy.share_b),
            ("c", self.policy.share_c),
        ):
            self.assertLessEqual(
                abs(counts[tier] - total * share / 100.0),
                1.0,
                f"tier {tier.upper()}: {counts[tier]} of {total}, target {share} %",
            )


@tagged("post_install", "-at_install")
class TestTierScoring(TierCase):
    def test_recompute_meets_target_shares(self):
        self._generate_customers(120)
        self.policy._recompute_tiers()
        self.assertShares(self._rankable())

    def test_strongest_customer_is_a_weakest_is_c(self):
        self._generate_customers(40)
        strong, weak = self.env["res.partner"].create(
            [
                {
                    "name": "强客户",
                    "user_id": self.rep.id,
                    "archive_registered_capital": 10**9,
                    "archive_sales_last_year": 10**9,
                    "archive_sales_two_years_ago": 10**9,
                    "archive_sales_three_years_ago": 10**9,
                    "archive_employee_count": 100000,
                    "archive_deal_likelihood": 100,
                },
                {"name": "弱客户", "user_id": self.rep.id, "archive_deal_likelihood": 0},
            ]
        )
        self.policy._recompute_tiers()
        self.assertEqual(strong.archive_tier, "a")
        self.assertEqual(weak.archive_tier, "c")
        self.assertGreater(strong.archive_tier_score, weak.archive_tier_score)
        self.assertTrue(0 <= weak.archive_tier_score <= strong.archive_tier_score <= 100)

    def test_region_score_and_ranking_per_province(self):
        beijing = self._generate_customers(25, state=self.state_bj, prefix="BJ")
        shanghai = self._generate_customers(25, state=self.state_sh, prefix="SH")
        self.policy.write(
            {
                "rank_per_region": True,
                "region_score_ids": [
                    (0, 0, {"country_id": self.country.id, "state_id": self.state_sh.id, "score": 100})
                ],
            }
        )
        self.policy._recompute_tiers()
        for province in (self.state_bj, self.state_sh):
            self.assertShares(self._rankable().filtered(lambda p, s=province: p.state_id == s))
        # The region line raises the scores of the Shanghai customers.
        self.assertGreater(
            sum(shanghai.mapped("archive_tier_score")) / len(shanghai),
            sum(beijing.mapped("archive_tier_score")) / len(beijing),
        )

    def test_recompute_writes_history_and_chatter(self):
        customers = self._generate_customers(30)
        self.policy._recompute_tiers()
        history = self.env["customer.tier.history"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(history), 30, "one row per first tier")
        self.assertEqual(set(history.mapped("reason")), {"recompute"})
        self.assertFalse(any(history.mapped("tier_from")))
        # Change the figures of a C customer so that it becomes A.
        low = customers.filtered(lambda p: p.archive_tier == "c")[:1]
        low.write(
            {
                "archive_registered_capital": 10**10,
                "archive_sales_last_year": 10**10,
                "archive_sales_two_years_ago": 10**10,
                "archive_sales_three_years_ago": 10**10,
                "archive_employee_count": 10**6,
                "archive_deal_likelihood": 100,
            }
        )
        changed = self.policy._recompute_tiers()
        self.assertIn(low.id, changed)
        self.assertEqual(low.archive_tier, "a")
        row = self._history(low)[:1]
        self.assertEqual((row.tier_from, row.tier_to, row.reason), ("c", "a", "recompute"))
        self.assertEqual(row.user_id, self.env.user)
        tracking = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", low.id),
                ("field_id.name", "=", "archive_tier"),
            ]
        )
        self.assertEqual((tracking.old_value_char, tracking.new_value_char), ("C", "A"))
        # Nothing changes: no new history.
        self.assertFalse(self.policy._recompute_tiers())
        self.assertEqual(self.policy.last_recompute_changes, 0)

    def test_manual_change_and_import_are_logged(self):
        partner = self.env["res.partner"].create({"name": "手工客户", "archive_tier": "b"})
        self.assertEqual(self._history(partner).reason, "manual")
        partner.with_context(import_file=True).write({"archive_tier": "c"})
        self.assertEqual(self._history(partner)[0].reason, "import")
        self.assertEqual(self._history(partner)[0].tier_from, "b")
        self.assertEqual(partner.archive_tier_history_count, 2)

    def test_policy_validation(self):
        with self.assertRaises(ValidationError):
            self.policy.share_a = 70
        with self.assertRaises(ValidationError):
            self.policy.weight_region = -1
        self.assertEqual(self.policy.share_c, 40)


@tagged("post_install", "-at_install")
class TestTierLock(TierCase):
    def test_manager_override_locks_tier(self):
        customers = self._generate_customers(20)
        # The strongest customer of the database (demo data included): tier A.
        target = customers[-1]
        target.write(STRONGEST_FIGURES)
        self.policy._recompute_tiers()
        self.assertEqual(target.archive_tier, "a")
        wizard_form = Form(
            self.env["customer.tier.override"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_ids=target.ids)
        )
        wizard_form.tier = "c"
        wizard_form.reason = "战略调整: 合作暂停"
        wizard_form.save().action_apply()
        self.assertEqual(target.archive_tier, "c")
        self.assertTrue(target.archive_tier_locked)
        self.assertEqual(target.archive_tier_locked_by_id, self.manager)
        row = self._history(target)[0]
        self.assertEqual((row.tier_from, row.tier_to, row.reason), ("a", "c", "manual"))
        self.assertEqual(row.note, "战略调整: 合作暂停")
        self.assertEqual(row.user_id, self.manager)

        self.policy._recompute_tiers()
        self.assertEqual(target.archive_tier, "c", "a locked tier survives the recompute")
        self.assertShares(self._rankable())

        target.with_user(self.manager).action_archive_tier_unlock()
        self.assertFalse(target.archive_tier_locked)
        self.policy._recompute_tiers()
        self.assertEqual(target.archive_tier, "a")

    def test_rep_cannot_override_or_change_locked_tier(self):
        partner = self.env["res.partner"].create(
            {"name": "锁定客户", "user_id": self.rep.id, "archive_tier": "b"}
        )
        wizard = (
            self.env["customer.tier.override"]
            .with_user(self.rep)
            .new({"partner_ids": [(6, 0, partner.ids)], "tier": "a", "reason": "x"})
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        partner.with_user(self.manager).write(
            {"archive_tier": "a", "archive_tier_locked": True, "archive_tier_lock_reason": "VIP"}
        )
        with self.assertRaises(AccessError):
            partner.with_user(self.rep).write({"archive_tier": "c"})
        with self.assertRaises(AccessError):
            partner.with_user(self.rep).action_archive_tier_unlock()
        self.assertEqual(partner.archive_tier, "a")


@tagged("post_install", "-at_install")
class TestTierTranslation(TransactionCase):
    def test_labels_translate_to_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        fields_zh = self.env["res.partner"].with_context(lang="zh_CN").fields_get(["archive_deal_likelihood"])
        # Model terms load through the .pot: after adding terms run ./setup/i18n.sh.
        self.assertEqual(
            fields_zh["archive_deal_likelihood"]["string"], "成交可能性 (%)", "run ./setup/i18n.sh"
        )
        call = self.env.ref("customer_archive.mail_activity_type_archive_call").with_context(lang="zh_CN")
        self.assertEqual(call.name, "档案电话联络")
        cadence = self.env.ref("customer_archive.customer_contact_cadence_a").with_context(lang="zh_CN")
        self.assertEqual(cadence.visit_summary, "拜访高层领导")
