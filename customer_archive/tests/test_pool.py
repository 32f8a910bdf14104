import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ArchiveCase

PHONE = "+86 21 5888 1234"
PHONE_MASKED = "021****1234"


@tagged("post_install", "-at_install")
class TestCustomerPool(ArchiveCase):
    """The customer pool (公海) as its members and managers use it: claims
    within the limits, cool-down, automatic return, masking, history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Pool = cls.env["customer.archive.pool"]
        cls.Log = cls.env["customer.archive.pool.log"]
        # the sales department's pool; the branch rep is a member by name
        cls.pool = cls.Pool.create(
            {
                "name": "测试公海",
                "member_department_ids": [(6, 0, cls.sales_department.ids)],
                "member_user_ids": [(6, 0, cls.other_rep.ids)],
                "manager_id": cls.marketing_manager.id,
                "claim_limit": 3,
                "claim_limit_counts_won": True,
                "daily_claim_limit": 2,
                "cooldown_days": 10,
                "return_days_without_followup": 30,
                "return_days_without_transaction": 90,
                "warning_days": 3,
            }
        )

    def pool_archive(self, name, **values):
        """An archive of the sales department waiting in the pool."""
        values = {
            "archive_department_id": self.sales_department.id,
            "phone": PHONE,
            "email": "buyer@pool-test.example.com",
            "is_company": True,
            **values,
        }
        values.setdefault("user_id", False)
        partner = self.create_archive(name, **values)
        # the clock starts today (also under freeze_time): computed now, not at the next flush
        self.env.flush_all()
        return partner

    def run_job(self):
        return self.pool._auto_return()

    # ------------------------------------------------------------------
    # The pool of a department, the read scope of its members
    # ------------------------------------------------------------------
    def test_archives_of_member_department_belong_to_its_pool(self):
        partner = self.pool_archive("公海归属客户")
        self.assertEqual(partner.archive_pool_id, self.pool)
        self.assertEqual(partner.archive_pool_open_id, self.pool, "without a rep it waits in the pool")
        partner.user_id = self.rep
        self.assertFalse(partner.archive_pool_open_id)
        with self.assertRaises(ValidationError):
            self.Pool.create(
                {"name": "第二个公海", "member_department_ids": [(6, 0, self.sales_department.ids)]}
            )

    def test_members_read_pool_customers_but_not_a_class_nor_write(self):
        b_class = self.pool_archive("公海乙级客户")
        a_class = self.pool_archive("公海甲级客户", archive_tier="a")
        other_rep = self.other_rep  # branch department, a member by name
        Partner = self.env["res.partner"].with_user(other_rep)
        self.assertEqual(
            Partner.search([("id", "in", (b_class | a_class).ids)]), b_class.with_user(other_rep)
        )
        with self.assertRaises(AccessError):
            a_class.with_user(other_rep).read(["name"])
        with self.assertRaises(AccessError):
            a_class.with_user(other_rep).action_archive_pool_claim()
        with self.assertRaises(AccessError):
            b_class.with_user(other_rep).write({"name": "改名"})
        # a user who is no member does not read it
        self.assertFalse(
            self.env["res.partner"].with_user(self.no_department_rep).search([("id", "=", b_class.id)])
        )

    # ------------------------------------------------------------------
    # Claims and their limits
    # ------------------------------------------------------------------
    def test_claim_within_and_over_the_total_limit(self):
        held = self.create_archive("已持有客户", rep=self.rep, archive_department_id=self.sales_department.id)
        self.assertEqual(held.archive_pool_id, self.pool)
        first, second, third = (self.pool_archive(f"公海客户{index}") for index in range(3))
        (first | second).with_user(self.rep).action_archive_pool_claim()
        self.assertEqual((first | second).user_id, self.rep)
        self.assertFalse(first.archive_pool_open_id)
        # three held, the limit is three
        with self.assertRaisesRegex(UserError, "limit is 3 per rep"):
            third.with_user(self.rep).action_archive_pool_claim()
        self.assertFalse(third.user_id)
        # won customers do not count when the pool says so
        self.env["customer.archive.transaction"].create(
            {"partner_id": held.id, "amount": 1000, "date": datetime.date.today()}
        )
        self.pool.claim_limit_counts_won = False
        self.pool.daily_claim_limit = 0
        third.with_user(self.rep).action_archive_pool_claim()
        self.assertEqual(third.user_id, self.rep)

    def test_claim_over_the_daily_limit(self):
        self.pool.claim_limit = 0
        partners = [self.pool_archive(f"每日限领{index}") for index in range(3)]
        with freeze_time("2026-05-04 09:00:00"):
            partners[0].with_user(self.rep).action_archive_pool_claim()
            partners[1].with_user(self.rep).action_archive_pool_claim()
            with self.assertRaisesRegex(UserError, "today"):
                partners[2].with_user(self.rep).action_archive_pool_claim()
            # another rep has a limit of their own
            partners[2].with_user(self.other_rep).action_archive_pool_claim()
        self.assertEqual(partners[2].user_id, self.other_rep)
        partners[2].with_user(self.other_rep)._archive_pool_return("测试交回")
        with freeze_time("2026-05-05 09:00:00"):
            partners[2].with_user(self.rep).action_archive_pool_claim()
        self.assertEqual(partners[2].user_id, self.rep)

    def test_claimed_customer_is_no_longer_claimable(self):
        partner = self.pool_archive("已被领取客户")
        partner.with_user(self.rep).action_archive_pool_claim()
        with self.assertRaises(AccessError):
            partner.with_user(self.other_rep).action_archive_pool_claim()
        # a colleague of the same department still reads it, and finds it claimed
        colleague = self.create_archive_user(
            "pool_colleague", "同部门销售", "customer_archive.group_archive_user", self.sales_department
        )
        with self.assertRaisesRegex(UserError, "not waiting in a customer pool"):
            partner.with_user(colleague).action_archive_pool_claim()
        self.assertEqual(partner.user_id, self.rep)

    def test_cool_down_after_losing_a_customer(self):
        partner = self.pool_archive("冷却期客户")
        with freeze_time("2026-06-01"):
            partner.with_user(self.rep).action_archive_pool_claim()
            partner.with_user(self.rep)._archive_pool_return("客户暂无需求")
        with freeze_time("2026-06-10"):
            with self.assertRaisesRegex(UserError, "2026-06-11"):
                partner.with_user(self.rep).action_archive_pool_claim()
            # the cool-down is the losing rep's only
            partner.with_user(self.other_rep).action_archive_pool_claim()
            partner.with_user(self.other_rep)._archive_pool_return("转回公海")
        with freeze_time("2026-06-11"):
            partner.with_user(self.rep).action_archive_pool_claim()
        self.assertEqual(partner.user_id, self.rep)

    def test_assign_only_pool_refuses_claims_manager_assigns(self):
        self.pool.mode = "assign"
        partner = self.pool_archive("只分配客户")
        with self.assertRaisesRegex(UserError, "assign only"):
            partner.with_user(self.rep).action_archive_pool_claim()
        with self.assertRaises(AccessError):
            partner.with_user(self.rep)._archive_pool_assign(self.rep)
        wizard = (
            self.env["customer.archive.pool.assign"]
            .with_user(self.marketing_manager)
            .create({"partner_ids": [(6, 0, partner.ids)], "user_id": self.rep.id, "reason": "重点跟进"})
        )
        wizard.action_assign()
        self.assertEqual(partner.user_id, self.rep)
        log = partner.archive_pool_log_ids
        self.assertEqual(log.action, "assign")
        self.assertEqual(log.create_uid, self.marketing_manager)
        self.assertEqual(log.reason, "重点跟进")

    def test_manual_return_needs_the_rep_or_a_manager_and_a_reason(self):
        partner = self.pool_archive("手动交回客户", user_id=self.rep.id)
        with self.assertRaises(UserError):
            partner.with_user(self.rep)._archive_pool_return(" ")
        with self.assertRaises(AccessError):
            partner.with_user(self.other_rep)._archive_pool_return("不是我的客户")
        self.env["customer.archive.pool.return"].with_user(self.rep).create(
            {"partner_ids": [(6, 0, partner.ids)], "reason": "客户已转行"}
        ).action_return()
        self.assertFalse(partner.user_id)
        self.assertEqual(partner.archive_pool_open_id, self.pool)

    # ------------------------------------------------------------------
    # Masking
    # ------------------------------------------------------------------
    def test_contact_details_masked_until_claimed(self):
        partner = self.pool_archive("脱敏公海客户")
        person = self.env["res.partner"].create(
            {
                "name": "王经理",
                "parent_id": partner.id,
                "archive_key_person_role": "main_contact",
                "mobile": PHONE,
            }
        )
        for member in (self.rep, self.other_rep):
            member.groups_id |= self.env.ref("base.group_allow_export")
            values = partner.with_user(member).read(["phone", "email"])[0]
            self.assertEqual(values["phone"], PHONE_MASKED)
            self.assertEqual(values["email"], "b***@pool-test.example.com")
            self.assertEqual(person.with_user(member).read(["mobile"])[0]["mobile"], PHONE_MASKED)
            self.assertTrue(partner.with_user(member).archive_pool_masked)
            exported = partner.with_user(member).export_data(
                ["name", "phone", "archive_key_person_ids/mobile"]
            )
            self.assertNotIn(PHONE, str(exported["datas"]))
        # the web client's read (form, list) is masked as well
        web = partner.with_user(self.other_rep).web_read(
            {"phone": {}, "archive_key_person_ids": {"fields": {"mobile": {}}}}
        )
        self.assertEqual(web[0]["phone"], PHONE_MASKED)
        self.assertEqual(web[0]["archive_key_person_ids"][0]["mobile"], PHONE_MASKED)
        # the manager reads in clear
        self.assertEqual(partner.with_user(self.marketing_manager).read(["phone"])[0]["phone"], PHONE)
        partner.with_user(self.other_rep).action_archive_pool_claim()
        self.assertEqual(partner.with_user(self.other_rep).read(["phone"])[0]["phone"], PHONE)
        self.assertEqual(person.with_user(self.other_rep).read(["mobile"])[0]["mobile"], PHONE)
        self.assertFalse(partner.with_user(self.other_rep).archive_pool_masked)

    # ------------------------------------------------------------------
    # Automatic return
    # ------------------------------------------------------------------
    def test_auto_return_after_days_without_follow_up_a_follow_up_resets_the_clock(self):
        with freeze_time("2026-01-01"):
            idle = self.pool_archive("无跟进客户", user_id=self.rep.id)
            followed = self.pool_archive("有跟进客户", user_id=self.rep.id)
        self.assertEqual(idle.archive_pool_owner_date, datetime.date(2026, 1, 1))
        with freeze_time("2026-01-20"):
            self.env["customer.archive.interaction"].create(
                {"partner_id": followed.id, "summary": "电话回访", "user_id": self.rep.id}
            )
        with freeze_time("2026-01-30"):
            self.assertFalse(self.run_job(), "30 days are not over")
            self.assertEqual(idle.user_id, self.rep)
        with freeze_time("2026-01-31"):
            returned = self.run_job()
        self.assertEqual(returned, idle)
        self.assertFalse(idle.user_id)
        self.assertEqual(idle.archive_pool_open_id, self.pool)
        self.assertFalse(idle.archive_access_user_id, "the rep loses the access through the rep column")
        self.assertEqual(idle.archive_pool_owner_date, datetime.date(2026, 1, 31))
        self.assertEqual(followed.user_id, self.rep, "the follow-up of 20 January resets the clock")
        with freeze_time("2026-02-19"):
            self.assertEqual(self.run_job(), followed)

    def test_auto_return_after_days_without_transaction(self):
        self.pool.return_days_without_followup = 0
        with freeze_time("2026-01-01"):
            partner = self.pool_archive("无成交客户", user_id=self.rep.id)
            won = self.pool_archive("有成交客户", user_id=self.rep.id)
        self.env["customer.archive.transaction"].create(
            {"partner_id": won.id, "amount": 5000, "date": datetime.date(2026, 3, 1)}
        )
        with freeze_time("2026-04-01"):
            self.assertEqual(self.run_job(), partner)
        self.assertEqual(won.user_id, self.rep)

    def test_warning_activity_k_days_before(self):
        with freeze_time("2026-01-01"):
            partner = self.pool_archive("预警客户", user_id=self.rep.id)
        warning_type = self.env.ref("customer_archive.mail_activity_type_pool_warning")

        def warnings():
            return self.env["mail.activity"].search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("activity_type_id", "=", warning_type.id),
                ]
            )

        with freeze_time("2026-01-27"):
            self.run_job()
            self.assertFalse(warnings(), "4 days before: no warning yet")
        with freeze_time("2026-01-28"):
            self.run_job()
            self.run_job()
        activity = warnings()
        self.assertEqual(len(activity), 1, "one warning, also after two runs")
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 1, 31))
        self.assertIn("测试公海", activity.summary)
        with freeze_time("2026-01-31"):
            self.run_job()
        self.assertFalse(warnings(), "the warning goes with the customer")

    def test_a_class_customer_is_not_auto_returned_without_confirmation(self):
        with freeze_time("2026-01-01"):
            partner = self.pool_archive("甲级重点客户", user_id=self.rep.id, archive_tier="a")
        confirm_type = self.env.ref("customer_archive.mail_activity_type_pool_confirm")
        with freeze_time("2026-02-15"):
            self.assertFalse(self.run_job())
            self.run_job()
        self.assertEqual(partner.user_id, self.rep)
        confirmation = self.env["mail.activity"].search(
            [
                ("res_id", "=", partner.id),
                ("res_model", "=", "res.partner"),
                ("activity_type_id", "=", confirm_type.id),
            ]
        )
        self.assertEqual(confirmation.user_id, self.marketing_manager, "one activity for the pool manager")
        # the manager confirms: a return with a reason
        partner.with_user(self.marketing_manager)._archive_pool_return("经理确认交回公海")
        self.assertFalse(partner.user_id)
        self.assertFalse(confirmation.exists())
        # without the confirmation setting, A-class customers go back as the others
        self.pool.a_class_confirmation = False
        with freeze_time("2026-03-01"):
            other = self.pool_archive("甲级客户二", user_id=self.rep.id, archive_tier="a")
        with freeze_time("2026-04-15"):
            self.assertEqual(self.run_job(), other)

    # ------------------------------------------------------------------
    # History
    # ------------------------------------------------------------------
    def test_history_rows_and_chatter_lines(self):
        with freeze_time("2026-01-01"):
            partner = self.pool_archive("历史记录客户")
            partner.with_user(self.rep).action_archive_pool_claim()
        with freeze_time("2026-02-01"):
            self.run_job()
        with freeze_time("2026-03-01"):
            partner.with_user(self.other_rep).action_archive_pool_claim()
            partner.with_user(self.other_rep)._archive_pool_return("客户搬迁")
        rows = partner.archive_pool_log_ids.sorted("id")
        self.assertEqual(rows.mapped("action"), ["claim", "return_auto", "claim", "return_manual"])
        self.assertEqual(rows.mapped("rep_id"), self.rep | self.rep | self.other_rep | self.other_rep)
        self.assertEqual(rows[0].create_uid, self.rep)
        self.assertEqual(rows[1].previous_user_id, self.rep)
        self.assertEqual(rows[3].reason, "客户搬迁")
        self.assertEqual(rows[0].day, datetime.date(2026, 1, 1))
        bodies = partner.message_ids.mapped("body")
        self.assertTrue(any("客户搬迁" in body for body in bodies))
        self.assertTrue(any("automatically" in body or "自动" in body for body in bodies))
        # the rep reads the history of their customers; the pool statistics count per rep
        self.assertEqual(len(self.Log.with_user(self.other_rep).search([("partner_id", "=", partner.id)])), 4)
        stats = dict(
            self.Log.with_user(self.marketing_manager)._read_group(
                [("partner_id", "=", partner.id), ("action", "=", "claim")], ["rep_id"], ["__count"]
            )
        )
        self.assertEqual(stats, {self.rep: 1, self.other_rep: 1})
        self.assertEqual(self.pool.customer_count, 1)

    def test_import_puts_archives_without_rep_into_the_pool_of_their_department(self):
        Partner = self.env["res.partner"]
        imported = Partner.create(
            [
                {"name": "导入客户一", "archive_department_id": self.sales_department.id, "user_id": False},
                {
                    "name": "导入客户二",
                    "archive_department_id": self.sales_department.id,
                    "user_id": self.rep.id,
                },
                {"name": "导入客户三", "archive_department_id": self.branch_department.id, "user_id": False},
            ]
        )
        placed = imported._archive_pool_assign_unowned()
        self.assertEqual(placed, imported[0])
        self.assertEqual(imported[0].archive_pool_open_id, self.pool)
        self.assertEqual(imported[0].archive_pool_log_ids.action, "placed")
        self.assertFalse(imported[1].archive_pool_log_ids)
        self.assertFalse(imported[2].archive_pool_id, "the branch has no pool")

    def test_job_returns_in_batches_the_next_run_takes_the_rest(self):
        with freeze_time("2026-01-01"):
            partners = [self.pool_archive(f"分批退回客户{index}", user_id=self.rep.id) for index in range(3)]
        with freeze_time("2026-02-15"):
            first = self.pool._auto_return(limit=2)
            second = self.pool._auto_return(limit=2)
            third = self.pool._auto_return(limit=2)
        self.assertEqual(len(first), 2)
        self.assertEqual(len(second), 1)
        self.assertFalse(third)
        self.assertEqual(first | second, self.env["res.partner"].concat(*partners))
        self.assertEqual(len(self.Log.search([("partner_id", "in", (first | second).ids)])), 3)
