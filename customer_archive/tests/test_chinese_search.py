from lxml import etree

from odoo.tests import tagged
from odoo.tools import SQL

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestChineseSearch(ArchiveCase):
    """A user finds a customer by any part of the name, one or two Chinese
    characters included, by its pinyin or its initials, in the Contacts
    search and in the dropdowns; a rep only finds what they may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sales = cls.sales_department.id
        cls.zhang_wei = cls.create_archive("张伟", cls.rep, archive_department_id=sales)
        # A-class archive of another rep of the same department: the rep may not read it
        cls.zhang_weiming = cls.create_archive(
            "张伟明", cls.other_rep, archive_tier="a", archive_department_id=sales
        )
        cls.li_na = cls.create_archive("李娜", cls.rep, archive_department_id=sales, email="lina@example.cn")
        cls.zheng_wei = cls.create_archive("郑伟", cls.rep, archive_department_id=sales)
        cls.huaxin = cls.create_archive(
            "上海华信机电有限公司", cls.rep, is_company=True, archive_department_id=sales, ref="HX-88"
        )
        cls.ours = cls.zhang_wei | cls.zhang_weiming | cls.li_na | cls.zheng_wei | cls.huaxin

    def _name_search(self, user, term):
        found = self.env["res.partner"].with_user(user).name_search(term, limit=100)
        return self.env["res.partner"].browse([partner_id for partner_id, _name in found]) & self.ours

    def _contacts_search(self, user, term):
        """The Contacts search by name, with the domain of the search view."""
        Partner = self.env["res.partner"].with_user(user)
        arch = Partner.get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath("//field[@name='name']")[0]
        filter_domain = node.get("filter_domain")
        self.assertEqual(filter_domain, "[('display_name', 'ilike', self)]")
        domain = [("display_name", "ilike", term), ("id", "in", self.ours.ids)]
        result = Partner.web_search_read(domain, {"display_name": {}}, limit=80, count_limit=10001)
        return self.env["res.partner"].browse([record["id"] for record in result["records"]])

    def _assert_finds(self, term, admin_expected, rep_expected):
        for search in (self._name_search, self._contacts_search):
            with self.subTest(term=term, search=search.__name__):
                self.assertEqual(search(self.env.user, term), admin_expected, "as admin")
                self.assertEqual(search(self.rep, term), rep_expected, "as a rep")

    def test_one_chinese_character(self):
        both = self.zhang_wei | self.zhang_weiming
        self._assert_finds("张", both, self.zhang_wei)
        self._assert_finds("伟", both | self.zheng_wei, self.zhang_wei | self.zheng_wei)
        self._assert_finds("华", self.huaxin, self.huaxin)

    def test_two_chinese_characters(self):
        self._assert_finds("张伟", self.zhang_wei | self.zhang_weiming, self.zhang_wei)
        self._assert_finds("华信", self.huaxin, self.huaxin)
        self._assert_finds("伟明", self.zhang_weiming, self.env["res.partner"])

    def test_three_characters_and_more(self):
        self._assert_finds("张伟明", self.zhang_weiming, self.env["res.partner"])
        self._assert_finds("华信机电", self.huaxin, self.huaxin)

    def test_full_pinyin(self):
        self.assertEqual(self.zhang_wei.archive_name_pinyin, "zhangwei")
        self._assert_finds("zhangwei", self.zhang_wei | self.zhang_weiming, self.zhang_wei)
        self._assert_finds("Zhang Wei", self.zhang_wei | self.zhang_weiming, self.zhang_wei)
        self._assert_finds("huaxin", self.huaxin, self.huaxin)
        self._assert_finds("lina", self.li_na, self.li_na)

    def test_pinyin_initials(self):
        self.assertEqual(self.zhang_wei.archive_name_initials, "zw")
        # 张伟 and 郑伟 (zhengwei) are both zw; 张伟明 is zwm
        zw = self.zhang_wei | self.zhang_weiming | self.zheng_wei
        self._assert_finds("zw", zw, self.zhang_wei | self.zheng_wei)
        self._assert_finds("zwm", self.zhang_weiming, self.env["res.partner"])
        self._assert_finds("shhx", self.huaxin, self.huaxin)

    def test_odoo_fields_are_still_searched(self):
        """E-mail, reference and archive number, short and long, as Odoo's name search."""
        self._assert_finds("lina@", self.li_na, self.li_na)
        self._assert_finds("HX", self.huaxin, self.huaxin)
        self._assert_finds("hx-88", self.huaxin, self.huaxin)
        number = self.huaxin.archive_number
        self._assert_finds(number, self.huaxin, self.huaxin)
        self._assert_finds(number[-2:], self.huaxin, self.huaxin)

    def test_renamed_customer_found_by_the_new_name_only(self):
        self.zheng_wei.name = "郑和"
        self._assert_finds("郑和", self.zheng_wei, self.zheng_wei)
        self._assert_finds(
            "zh", self.zhang_wei | self.zhang_weiming | self.zheng_wei, self.zhang_wei | self.zheng_wei
        )
        self.assertNotIn(self.zheng_wei, self._name_search(self.rep, "伟"))

    def _plan(self, term):
        """The query plan of the name search when a sequential scan is the last resort."""
        Partner = self.env["res.partner"]
        query = Partner._search([("display_name", "ilike", term)])
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.env.cr.execute("SET LOCAL enable_seqscan = on")
        return plan

    def test_every_arm_is_indexed(self):
        """Each comparison of the search has an index: with sequential scans
        disabled, none is left in the plan (a single unindexed arm of the OR
        would force one)."""
        for term in ("张", "张伟", "zw", "张伟明", "zhangwei"):
            with self.subTest(term=term):
                plan = self._plan(term)
                self.assertNotIn("Seq Scan", plan)
        self.assertIn("res_partner_archive_search_grams_index", self._plan("张"))
        plan = self._plan("zhangwei")
        self.assertIn("res_partner_archive_name_pinyin_trigram_index", plan)
        self.assertIn("res_partner_complete_name_trigram_index", plan)

    def test_duplicate_check_finds_same_name_by_index(self):
        twin = self.create_archive("张 伟", self.rep, archive_department_id=self.sales_department.id)
        self.assertIn(self.zhang_wei, twin.archive_duplicate_ids)
        query = self.env["res.partner"]._search(twin._duplicate_domain())
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.env.cr.execute("SET LOCAL enable_seqscan = on")
        self.assertIn("res_partner__archive_duplicate_name_key_index", plan)
        self.assertNotIn("Seq Scan", plan)
