from odoo.tests import HttpCase, new_test_user, tagged

from .common import JsonRpcCalls

PHONE = "+86 21 5888 1234"
PHONE_MASKED = "021****1234"


@tagged("post_install", "-at_install")
class TestPoolMaskingOverJsonRpc(JsonRpcCalls, HttpCase):
    """What a pool member's browser receives: the contact details of a
    customer waiting in the pool masked until the member claims it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        department = env["hr.department"].create({"name": "公海接口部门"})
        cls.member = new_test_user(
            env, login="pool_rpc_rep", groups="customer_archive.group_archive_user,base.group_partner_manager"
        )
        env["hr.employee"].create(
            {"name": "公海接口销售", "user_id": cls.member.id, "department_id": department.id}
        )
        env["customer.archive.pool"].create(
            {"name": "接口公海", "member_department_ids": [(6, 0, department.ids)], "claim_limit": 0}
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "接口公海客户",
                "is_company": True,
                "archive_tier": "b",
                "archive_department_id": department.id,
                "user_id": False,
                "phone": PHONE,
                "email": "buyer@rpc-pool.example.com",
            }
        )
        cls.person = env["res.partner"].create(
            {
                "name": "接口联系人",
                "parent_id": cls.customer.id,
                "archive_key_person_role": "main_contact",
                "mobile": PHONE,
            }
        )

    def _form(self):
        spec = {"phone": {}, "email": {}, "archive_key_person_ids": {"fields": {"mobile": {}}}}
        return self.call_kw("res.partner", "web_read", [self.customer.id], specification=spec)[0]

    def test_masked_before_and_plain_after_the_claim(self):
        self.authenticate("pool_rpc_rep", "pool_rpc_rep")
        form = self._form()
        self.assertEqual(form["phone"], PHONE_MASKED)
        self.assertEqual(form["email"], "b***@rpc-pool.example.com")
        self.assertEqual(form["archive_key_person_ids"][0]["mobile"], PHONE_MASKED)
        rows = self.call_kw(
            "res.partner", "search_read", [("id", "=", self.customer.id)], fields=["phone", "mobile", "email"]
        )
        self.assertEqual(rows[0]["phone"], PHONE_MASKED)
        # a context key sent by the client does not unmask
        rows = self.call_kw(
            "res.partner", "read", [self.customer.id], ["phone"], context={"active_test": False, "su": True}
        )
        self.assertEqual(rows[0]["phone"], PHONE_MASKED)
        self.call_kw("res.partner", "action_archive_pool_claim", [self.customer.id])
        form = self._form()
        self.assertEqual(form["phone"], PHONE)
        self.assertEqual(form["email"], "buyer@rpc-pool.example.com")
        self.assertEqual(form["archive_key_person_ids"][0]["mobile"], PHONE)
        self.assertEqual(self.customer.user_id, self.member)
