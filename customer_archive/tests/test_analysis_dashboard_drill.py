"""The analysis dashboard as a user reads it: its breadcrumb names the
dashboard and its period, and the customers at risk open with the reasons
(which A/B customers are at risk and why, from the dashboard alone)."""

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestAnalysisDashboardDrill(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.marketing_manager

    @freeze_time("2026-11-15")
    def test_breadcrumb_names_the_dashboard_and_its_period(self):
        dashboard = self.env["customer.archive.analysis"].with_user(self.manager).create({})
        self.assertEqual(str(dashboard.date_from), "2026-10-01")
        self.assertNotIn("customer.archive.analysis", dashboard.display_name)
        self.assertIn("2026-10-01", dashboard.display_name)
        self.assertIn("2026-11-15", dashboard.display_name)
        zh = dashboard.with_context(lang="zh_CN")
        zh.invalidate_recordset(["display_name"])
        if self.env["res.lang"]._lang_get("zh_CN"):
            self.assertIn("客户分析", zh.display_name)

    def test_customers_at_risk_open_with_their_reasons(self):
        archive = self.env["res.partner"].create(
            {"name": "流失测试客户", "is_company": True, "is_customer_archive": True, "archive_tier": "a"}
        )
        archive.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET archive_churn_risk = TRUE, archive_churn_reason_codes = 'complaint' "
                "WHERE id = %s",
                archive.id,
            )
        )
        self.env.invalidate_all()
        dashboard = self.env["customer.archive.analysis"].with_user(self.manager).create({})
        at_risk_list = self.env.ref("customer_archive.view_res_partner_list_at_risk")
        for figure in ("at_risk_count", "at_risk_ab_count"):
            action = dashboard.with_context(figure=figure).action_open_figure()
            self.assertEqual(action["views"][0], (at_risk_list.id, "list"), figure)
            partners = self.env["res.partner"].with_user(self.manager).search(action["domain"])
            self.assertIn(archive, partners, figure)
        # the list shows the reasons
        arch = self.env["res.partner"].get_view(at_risk_list.id, "list")["arch"]
        self.assertIn('name="archive_churn_reasons"', arch)
        # other figures keep the archives' own list
        action = dashboard.with_context(figure="tier_a_count").action_open_figure()
        self.assertEqual(action["views"][0], (False, "list"))

    def test_saved_segment_filters_read_in_chinese(self):
        """ir.filters names are not translatable: the saved segments of the
        archives list are named in the users' language, Chinese."""
        for xmlid in (
            "filter_archive_important_retain",
            "filter_archive_ab_at_risk",
            "filter_archive_top_customers",
            "filter_archive_tier_a",
        ):
            name = self.env.ref(f"customer_archive.{xmlid}").name
            self.assertRegex(name, r"[\u4e00-\u9fff]", xmlid)
            self.assertNotRegex(name, r"[a-z]{3,}", xmlid)

    def test_trend_pivots_average_the_percentages_and_means(self):
        """The data-quality pivot (per department and rep) and the value and
        cohort pivots show a group's mean completeness, average transaction
        and transactions per year, not the sum over its archives."""
        Partner = self.env["res.partner"]
        archives = Partner.create(
            [
                {"name": f"均值测试客户 {index}", "is_company": True, "is_customer_archive": True}
                for index in range(2)
            ]
        )
        archives.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET archive_completeness = v.c, archive_transaction_average = v.a, "
                "archive_transaction_frequency = v.f FROM (VALUES (%s, 100, 3000, 2.0), (%s, 50, 1000, 4.0)) "
                "AS v(id, c, a, f) WHERE res_partner.id = v.id",
                archives[0].id,
                archives[1].id,
            )
        )
        self.env.invalidate_all()
        # the measures as the pivot asks for them: the field name, its own aggregator
        [row] = Partner.with_user(self.manager).read_group(
            [("id", "in", archives.ids)],
            ["archive_completeness", "archive_transaction_average", "archive_transaction_frequency"],
            [],
        )
        self.assertEqual(row["archive_completeness"], 75)
        self.assertEqual(row["archive_transaction_average"], 2000)
        self.assertEqual(row["archive_transaction_frequency"], 3.0)

    def test_demo_data_fills_the_default_period(self):
        """Demo data makes the dashboard's figures of the default period (this
        quarter) non-empty, also the downgrades and the open duplicate groups."""
        if not self.env.ref("customer_archive.partner_huaxin_tech_duplicate", raise_if_not_found=False):
            self.skipTest("installed without demo data")
        dashboard = self.env["customer.archive.analysis"].with_user(self.manager).create({})
        self.assertGreaterEqual(dashboard.downgrade_count, 1)
        self.assertGreaterEqual(dashboard.duplicate_count, 1)
        action = dashboard.with_context(figure="duplicate_count").action_open_figure()
        names = self.env["res.partner"].search(action["domain"]).mapped("name")
        self.assertIn("上海华信科技有限公司", names)
        self.assertIn("华信科技(上海)有限公司", names)
