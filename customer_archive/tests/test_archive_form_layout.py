from lxml import etree

from odoo.tests import TransactionCase, tagged

ARCHIVE_PAGES = (
    "customer_archive",
    "archive_tier_plan",
    "archive_key_persons",
    "archive_business",
    "archive_transactions",
    "archive_assessment",
    "archive_feedback",
    "archive_interactions",
    "archive_documents",
    "archive_analysis",
)
GENERIC_PAGES = ("contact_addresses", "sales_purchases", "internal_notes")


def form_pages(env, lang="en_US"):
    arch = env["res.partner"].with_context(lang=lang).get_views([(False, "form")])["views"]["form"]["arch"]
    tree = etree.fromstring(arch)
    return tree, [page.get("name") for page in tree.xpath("//notebook/page")]


@tagged("post_install", "-at_install")
class TestArchiveFormLayout(TransactionCase):
    """The customer form follows the 客户档案表: its own pages first, its wording."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)

    def test_archive_pages_come_before_odoo_generic_pages(self):
        tree, pages = form_pages(self.env)
        for name in ARCHIVE_PAGES + GENERIC_PAGES:
            self.assertIn(name, pages)
        last_archive_page = max(pages.index(name) for name in ARCHIVE_PAGES)
        first_generic_page = min(pages.index(name) for name in GENERIC_PAGES)
        self.assertLess(last_archive_page, first_generic_page, pages)
        self.assertEqual(pages[0], "customer_archive")
        # The form opens on the first visible page (the archive of an archive),
        # not on Odoo's "Contacts & Addresses" whatever the partner.
        self.assertFalse(tree.xpath("//notebook/page[@autofocus]"))

    def test_scheme_wording_in_chinese(self):
        Partner = self.env["res.partner"].with_context(lang="zh_CN")
        fields_zh = Partner.fields_get(["archive_industry_position", "archive_key_person_role"])
        self.assertEqual(fields_zh["archive_industry_position"]["string"], "同业地位")
        self.assertIn(
            ["legal_representative", "公司法人"],
            [list(s) for s in fields_zh["archive_key_person_role"]["selection"]],
        )
        for model in ("customer.tier.policy", "customer.archive.document.type"):
            name = self.env[model].with_context(lang="zh_CN").fields_get(["name"])["name"]["string"]
            self.assertEqual(name, "名称", model)
        tree, _pages = form_pages(self.env, lang="zh_CN")
        label = tree.xpath("//div[@name='archive_name_label']")
        self.assertTrue(label)
        self.assertEqual(label[0].text.strip(), "客户名称")
        key_person_name = tree.xpath("//page[@name='archive_key_persons']//field[@name='name']")
        self.assertEqual(key_person_name[0].get("string"), "姓名")

    def test_card_uses_the_scheme_wording(self):
        company = self.env["res.partner"].create(
            {"name": "杭州天元精密机械有限公司", "is_company": True, "archive_industry_position": "leader"}
        )
        self.env["res.partner"].create(
            {"name": "周天元", "parent_id": company.id, "archive_key_person_role": "legal_representative"}
        )
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        html = (
            env["ir.actions.report"]
            ._render_qweb_html("customer_archive.action_report_customer_archive_card", company.ids)[0]
            .decode()
        )
        for label in ("客户名称", "同业地位", "公司法人", "姓名"):
            self.assertIn(label, html)
        self.assertNotIn("行业地位", html)
