from lxml import etree

from odoo.tests import TransactionCase, tagged

DEMO_LOGINS = ("rep", "rep2", "service", "service_manager", "marketing_manager", "archive_admin", "finance")


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo database is a Chinese company, as the users of the product are."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("customer_archive.user_rep_zhang", raise_if_not_found=False):
            self.skipTest("needs the demo data")

    def test_company_works_in_renminbi_in_china(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(company.currency_id.symbol, "¥")
        self.assertEqual(company.country_id, self.env.ref("base.cn"))
        archive = self.env.ref("customer_archive.partner_huaxin_tech")
        self.assertEqual(archive.archive_currency_id, self.env.ref("base.CNY"))
        self.assertEqual(archive.archive_transaction_ids[:1].currency_id, self.env.ref("base.CNY"))

    def test_chinese_and_english_are_installed(self):
        installed = dict(self.env["res.lang"].get_installed())
        self.assertIn("zh_CN", installed)
        self.assertIn("en_US", installed)
        # Odoo's own terms are loaded too, not only this addon's.
        contacts = self.env.ref("contacts.menu_contacts").with_context(lang="zh_CN")
        self.assertEqual(contacts.name, "联系人")

    def test_demo_users_work_in_chinese_in_shanghai_time(self):
        users = self.env["res.users"].search([("login", "in", DEMO_LOGINS)])
        self.assertEqual(sorted(users.mapped("login")), sorted(DEMO_LOGINS))
        for user in users:
            self.assertEqual((user.login, user.lang, user.tz), (user.login, "zh_CN", "Asia/Shanghai"))
            self.assertNotRegex(user.name, r"[A-Za-z]", "a Chinese name, not a bilingual one")
        # The administrator works in English (also where zh_CN was loaded first,
        # as run.sh does), in Shanghai time too.
        admin = self.env.ref("base.user_admin")
        self.assertEqual((admin.lang, admin.tz), ("en_US", "Asia/Shanghai"))

    def test_demo_departments_have_chinese_names(self):
        rep = self.env.ref("customer_archive.user_rep_zhang")
        department = rep.employee_id.department_id
        # hr.department shows its stored complete name, whatever the reader's language.
        self.assertEqual(department.with_context(lang="zh_CN").display_name, "销售部")
        names = (
            self.env["hr.department"]
            .search(
                [
                    (
                        "id",
                        "in",
                        [
                            self.env.ref(f"customer_archive.department_{key}").id
                            for key in ("sales", "customer_service", "marketing", "finance")
                        ],
                    )
                ]
            )
            .mapped("complete_name")
        )
        self.assertEqual(sorted(names), sorted(["销售部", "客户服务部", "市场营销部", "财务部"]))

    def test_amounts_show_the_yuan_sign(self):
        archive = self.env.ref("customer_archive.partner_huaxin_tech")
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "customer_archive.action_report_customer_archive_card", archive.ids
        )
        self.assertIn("¥", html.decode())
        monetary = self.env["ir.qweb.field.monetary"].value_to_html(
            1800000, {"display_currency": archive.archive_currency_id}
        )
        self.assertIn("¥", monetary)
        self.assertIn("1,800,000.00", monetary)

    def test_list_columns_fit_an_amount_and_an_archive_number(self):
        """¥ 1,800,000.00 and KH-2026-000001 need more than Odoo's default widths
        (105 px for amounts; archive numbers shrink with the other columns)."""
        cases = [
            ("res.partner", "customer_archive.view_res_partner_list", "archive_number", 120),
            ("res.partner", "customer_archive.view_res_partner_list", "archive_transaction_total", 130),
            ("customer.archive.transaction", False, "amount", 130),
        ]
        for model, view_xmlid, field_name, width in cases:
            view_id = self.env.ref(view_xmlid).id if view_xmlid else False
            if view_xmlid and self.env.ref(view_xmlid).inherit_id:
                view_id = self.env.ref(view_xmlid).inherit_id.id
            arch = self.env[model].get_views([(view_id, "list")])["views"]["list"]["arch"]
            node = etree.fromstring(arch).xpath(f"//field[@name='{field_name}']")
            self.assertTrue(node, (model, field_name))
            self.assertGreaterEqual(
                int(node[0].get("width", "0").replace("px", "")), width, (model, field_name)
            )
