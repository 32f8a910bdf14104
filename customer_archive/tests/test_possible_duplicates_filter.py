from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPossibleDuplicatesFilter(TransactionCase):
    """The "Possible Duplicates" filter reads a flag that follows every
    change of a key: it gives what grouping all archives by their keys gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.Partner = Partner
        cls.tea = Partner.create(
            {"name": "杭州西湖茶叶有限公司", "is_company": True, "phone": "+86 571 8888 1234"}
        )
        cls.tea_twin = Partner.create({"name": "杭州西湖茶叶 有限公司", "is_company": True})
        cls.tea_mobile = Partner.create({"name": "西湖茶业", "mobile": "0571-88881234"})
        cls.mail_a = Partner.create({"name": "周杰", "email": "Zhou@Example.cn"})
        cls.mail_b = Partner.create({"name": "周 杰伦", "email": " zhou@example.cn"})
        cls.alone = Partner.create({"name": "北京烤鸭店", "phone": "010 6512 3456"})
        cls.not_archive = Partner.with_context(customer_archive_skip=True).create(
            {"name": "北京烤鸭店", "phone": "010 6512 3456"}
        )
        cls.ours = (
            cls.tea | cls.tea_twin | cls.tea_mobile | cls.mail_a | cls.mail_b | cls.alone | cls.not_archive
        )

    def _flagged(self):
        return self.Partner.search([("archive_duplicate_ids", "!=", False), ("id", "in", self.ours.ids)])

    def _grouped(self):
        """The answer of the whole-table grouping query the filter replaces."""
        self.env.flush_all()
        self.env.cr.execute(self.Partner._archive_duplicate_ids_query())
        return self.Partner.browse([row[0] for row in self.env.cr.fetchall()]) & self.ours

    def _assert_flagged(self, expected):
        def names(partners):
            return sorted(partners.with_context(active_test=False).mapped("display_name"))

        self.assertEqual(names(self._flagged()), names(expected), "filter")
        self.assertEqual(names(self._grouped()), names(expected), "grouping query")
        unflagged = self.Partner.search([("archive_duplicate_ids", "=", False), ("id", "in", self.ours.ids)])
        self.assertEqual(
            names(unflagged), names(self.ours.exists().filtered("active") - expected), "negated filter"
        )

    def test_known_answers(self):
        # name (spaces ignored), phone against mobile, e-mail (case and spaces ignored)
        self._assert_flagged(self.tea | self.tea_twin | self.tea_mobile | self.mail_a | self.mail_b)

    def test_flags_follow_key_changes(self):
        self.tea_twin.name = "杭州龙井茶社"
        self.tea_mobile.mobile = "0571-88889999"
        self._assert_flagged(self.mail_a | self.mail_b)
        # the last one sharing a key goes: its former duplicate is no duplicate any more
        self.alone.phone = "+86 571 8888 1234"
        self._assert_flagged(self.tea | self.alone | self.mail_a | self.mail_b)
        self.mail_b.action_archive()
        self._assert_flagged(self.tea | self.alone)
        self.alone.unlink()
        self._assert_flagged(self.env["res.partner"])
        self.mail_b.action_unarchive()
        self._assert_flagged(self.mail_a | self.mail_b)

    def test_refresh_of_every_flag_gives_the_same(self):
        self.env.cr.execute(
            "UPDATE res_partner SET archive_has_duplicates = NULL WHERE id IN %s", [tuple(self.ours.ids)]
        )
        self.Partner.invalidate_model(["archive_has_duplicates"])
        self.assertFalse(self._flagged())
        self.Partner._archive_refresh_all_duplicate_flags()
        self._assert_flagged(self.tea | self.tea_twin | self.tea_mobile | self.mail_a | self.mail_b)
