from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestTierDistributionOverTime(ArchiveCase):
    """Tiers (ABC分类) over time: per month, the archives of each tier at its
    end, rebuilt from the tier history. The database's clock decides the
    months (a view cannot be frozen), so the history is written relative to
    today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month0 = fields.Date.today().replace(day=1)
        History = cls.env["customer.tier.history"].sudo()
        # The rep's archive: C five months ago, B three months ago, A last month.
        cls.moving = cls.create_archive("分布测试甲公司", rep=cls.rep, archive_tier="c")
        # An archive of the branch whose tier never changed since its creation two months ago.
        cls.steady = cls.create_archive("分布测试乙公司", rep=cls.other_rep, archive_tier="b")
        # An A-class archive of the branch, A since four months.
        cls.restricted = cls.create_archive("分布测试丙公司", rep=cls.other_rep, archive_tier="a")
        archives = cls.moving | cls.steady | cls.restricted
        History.search([("partner_id", "in", archives.ids)]).unlink()
        for partner, tier_from, tier_to, months_ago, day in (
            (cls.moving, False, "c", 5, 15),
            (cls.moving, "c", "b", 3, 1),
            (cls.moving, "b", "a", 1, 28),
            (cls.restricted, False, "a", 4, 10),
        ):
            moment = fields.Datetime.to_datetime(cls.month0 - relativedelta(months=months_ago))
            History.create(
                {
                    "partner_id": partner.id,
                    "tier_from": tier_from,
                    "tier_to": tier_to,
                    "date": moment.replace(day=day, hour=3),
                }
            )
        cls.moving.write({"archive_tier": "a"})  # its tier of today; the write's own history row goes
        History.search([("partner_id", "=", cls.moving.id), ("date", ">=", cls.month0)]).unlink()
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE res_partner SET create_date = %s WHERE id = %s",
                fields.Datetime.to_datetime(cls.month0 - relativedelta(months=2)).replace(day=20),
                cls.steady.id,
            )
        )
        cls.archives = archives
        cls.env["customer.archive.tier.snapshot"]._refresh(full=True)

    def _distribution(self, user=None):
        """{months ago: {partner: tier}} as ``user`` reads it."""
        Distribution = self.env["customer.archive.tier.distribution"]
        if user:
            Distribution = Distribution.with_user(user)
        result = {}
        for row in Distribution.search([("partner_id", "in", self.archives.ids)]):
            months_ago = (self.month0.year - row.month.year) * 12 + self.month0.month - row.month.month
            result.setdefault(months_ago, {})[row.partner_id] = row.tier
        return result

    def test_tier_at_each_month_end_from_the_history(self):
        distribution = self._distribution(self.marketing_manager)
        self.assertEqual(
            {months_ago: tiers.get(self.moving) for months_ago, tiers in distribution.items()},
            {5: "c", 4: "c", 3: "b", 2: "b", 1: "a", 0: "a", **{m: None for m in distribution if m > 5}},
        )
        self.assertNotIn(6, distribution, "nothing before the first tier")
        # The steady archive counts with its present tier from its creation on.
        self.assertEqual(
            sorted(m for m, tiers in distribution.items() if self.steady in tiers),
            [0, 1, 2],
            "months of the steady one",
        )
        self.assertEqual({distribution[m][self.steady] for m in (0, 1, 2)}, {"b"})
        self.assertEqual(
            sorted(m for m, tiers in distribution.items() if self.restricted in tiers), [0, 1, 2, 3, 4]
        )

    def test_counts_per_month_and_tier_for_the_graph(self):
        rows = (
            self.env["customer.archive.tier.distribution"]
            .with_user(self.marketing_manager)
            ._read_group(
                [("partner_id", "in", self.archives.ids)], ["month:month", "tier"], ["archive_count:sum"]
            )
        )
        counts = {(month, tier): count for month, tier, count in rows}
        self.assertEqual(counts[(self.month0, "a")], 2)
        self.assertEqual(counts[(self.month0, "b")], 1)
        three_months_ago = self.month0 - relativedelta(months=3)
        self.assertEqual(counts[(three_months_ago, "b")], 1)
        self.assertEqual(counts[(three_months_ago, "a")], 1)
        self.assertNotIn((three_months_ago, "c"), counts)

    def test_a_rep_counts_only_the_archives_they_may_read(self):
        """The rep of the sales department sees their own archive and the
        branch's B-class one, never the branch's A-class archive."""
        distribution = self._distribution(self.rep)
        seen = {partner for tiers in distribution.values() for partner in tiers}
        self.assertEqual(seen, {self.moving, self.steady})
        readable = self.env["res.partner"].with_user(self.rep).search([("id", "in", self.archives.ids)])
        self.assertEqual(readable, self.moving | self.steady, "the rules of the archives themselves agree")
        # The branch rep, the A-class archive's own rep, sees it.
        seen = {partner for tiers in self._distribution(self.other_rep).values() for partner in tiers}
        self.assertIn(self.restricted, seen)

    def test_the_months_shown_are_a_setting(self):
        settings = self.env["res.config.settings"].create({"archive_tier_distribution_months": 3})
        settings.execute()
        # the nightly job drops the months beyond the new horizon
        self.env["res.partner"]._cron_archive_compute_analysis()
        self.assertEqual(sorted(self._distribution(self.marketing_manager)), [0, 1, 2])
        with self.assertRaisesRegex(ValidationError, "Months Shown"):
            self.env["res.config.settings"].create({"archive_tier_distribution_months": 0})

    def test_the_nightly_refresh_adds_the_month_just_closed_once(self):
        Snapshot = self.env["customer.archive.tier.snapshot"]
        last_month = self.month0 - relativedelta(months=1)
        before = Snapshot.search_count([("month", "=", last_month)])
        self.assertTrue(before)
        # as on the first night of a month: the month just closed has no rows yet
        Snapshot.search([("month", "=", last_month)]).unlink()
        self.assertEqual(Snapshot._refresh(), before)
        self.assertEqual(self._distribution(self.marketing_manager)[1][self.moving], "a")
        self.assertEqual(Snapshot._refresh(), 0, "nothing twice")
        self.assertEqual(Snapshot.search_count([("month", "=", last_month)]), before)

    def test_drill_down_opens_the_archives(self):
        rows = (
            self.env["customer.archive.tier.distribution"]
            .with_user(self.marketing_manager)
            .search(
                [("partner_id", "in", self.archives.ids), ("month", "=", self.month0), ("tier", "=", "a")]
            )
        )
        action = rows.action_open_archives()
        self.assertEqual(
            self.env["res.partner"].with_user(self.marketing_manager).search(action["domain"]),
            self.moving | self.restricted,
        )


@tagged("post_install", "-at_install")
class TestTierDistributionTour(HttpCase):
    def test_manager_reads_the_tiers_over_time(self):
        """The demo shows how the tiers moved: more than a year of months,
        every tier in the past ones; the demo marketing manager follows the
        dashboard's link to the graph, the pivot and the list."""
        manager = self.env.ref("customer_archive.user_marketing_manager_chen")
        rows = (
            self.env["customer.archive.tier.distribution"]
            .with_user(manager)
            ._read_group([], ["month:month", "tier"], ["archive_count:sum"])
        )
        months = {month for month, _tier, _count in rows}
        self.assertGreaterEqual(len(months), 12)
        last_year = fields.Date.today().replace(day=1) - relativedelta(months=6)
        self.assertEqual({tier for month, tier, _count in rows if month == last_year}, {"a", "b", "c"})
        self.start_tour("/odoo/contacts", "customer_archive_tier_distribution_tour", login=manager.login)
