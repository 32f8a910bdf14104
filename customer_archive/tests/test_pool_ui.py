from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPoolTour(HttpCase):
    def test_rep_claims_a_customer_from_my_pool_and_sees_its_phone(self):
        """A rep opens My Pool, opens a customer (phone masked), claims it
        and sees its phone."""
        self.assertIn("customer_archive", http.root.statics)
        env = self.env
        department = env["hr.department"].create({"name": "公海界面部门"})
        rep = new_test_user(
            env,
            login="pool_tour_rep",
            groups="customer_archive.group_archive_user,base.group_partner_manager",
            lang="en_US",
        )
        env["hr.employee"].create({"name": "公海界面销售", "user_id": rep.id, "department_id": department.id})
        env["customer.archive.pool"].create(
            {"name": "界面公海", "member_department_ids": [(6, 0, department.ids)]}
        )
        customer = env["res.partner"].create(
            {
                "name": "池中客户测试有限公司",
                "is_company": True,
                "archive_tier": "c",
                "archive_department_id": department.id,
                "user_id": False,
                "phone": "+86 21 5888 1234",
            }
        )
        self.start_tour("/odoo/customer-pool", "customer_archive_pool_tour", login="pool_tour_rep")
        self.assertEqual(customer.user_id, rep)
        self.assertEqual(customer.archive_pool_log_ids.action, "claim")
