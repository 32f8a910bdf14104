import base64
import io
from datetime import date

import openpyxl

from odoo.tests import tagged

from .common import InsuranceCase


@tagged("post_install", "-at_install")
class TestInsuranceReports(InsuranceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy.action_activate()
        cls.life = cls.create_policy(
            cls.other_client, cls.other_agent, name="P-LIFE", product_type="life", base_premium=4000
        )
        cls.life.action_activate()
        claim = cls.env["insurance.claim"].create(
            {
                "policy_id": cls.policy.id,
                "incident_date": date(2026, 2, 1),
                "description": "住院",
                "amount_claimed": 600,
                "amount_approved": 500,
            }
        )
        claim.state = "approved"
        claim.action_pay()

    def test_claims_ratio_per_product_type(self):
        domain = [("policy_id", "in", (self.policy | self.life).ids)]
        groups = self.env["insurance.report"].read_group(
            domain, ["premium:sum", "amount_paid:sum", "claims_ratio:avg"], ["product_type"]
        )
        by_type = {group["product_type"]: group for group in groups}
        self.assertEqual(by_type["medical"]["premium"], 1000.0)
        self.assertEqual(by_type["medical"]["amount_paid"], 500.0)
        self.assertAlmostEqual(by_type["medical"]["claims_ratio"], 50.0)
        self.assertAlmostEqual(by_type["life"]["claims_ratio"], 0.0)
        # Over both: 500 / 5000 = 10 %, not the average 25 % of the two ratios.
        total = self.env["insurance.report"].read_group(domain, ["claims_ratio"], [])
        self.assertAlmostEqual(total[0]["claims_ratio"], 10.0)

    def test_agent_sees_own_figures(self):
        rows = self.env["insurance.report"].with_user(self.agent).search([])
        self.assertIn(self.policy, rows.policy_id)
        self.assertNotIn(self.life, rows.policy_id)

    def test_policy_register_xlsx(self):
        wizard = (
            self.env["insurance.policy.register.export"].with_user(self.manager).create({"state": "in_force"})
        )
        action = wizard.action_export()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        self.assertEqual(sheet["A1"].value, "Policy Register")
        self.assertEqual(sheet["A2"].value, "Policy Number")
        numbers = [row[0].value for row in sheet.iter_rows(min_row=3)]
        self.assertIn("P-0001", numbers)
        self.assertIn("P-LIFE", numbers)
        row = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "P-0001")
        headers = [cell.value for cell in sheet[2]]
        values = dict(zip(headers, [cell.value for cell in row], strict=True))
        self.assertEqual(values["Insurer"], "测试人寿保险公司")
        self.assertEqual(values["Status"], "In Force")
        self.assertEqual(values["Claims Paid"], 500)
        self.assertEqual(values["Start Date"].date(), date(2026, 1, 1))

    def test_register_amounts_carry_the_currency_sign(self):
        """Amounts show the company's currency, ¥ in the (Chinese) demo company."""
        wizard = self.env["insurance.policy.register.export"].with_user(self.manager).create({})
        book = openpyxl.load_workbook(io.BytesIO(wizard._generate_xlsx()))
        sheet = book.active
        headers = [cell.value for cell in sheet[2]]
        row = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "P-0001")
        premium = row[headers.index("Premium")]
        self.assertEqual(premium.value, 1000)
        self.assertIn(f'"{self.env.company.currency_id.symbol}"', premium.number_format)
        self.assertIn("#,##0.00", premium.number_format)

    def test_register_respects_agent_access(self):
        wizard = self.env["insurance.policy.register.export"].with_user(self.agent).create({})
        book = openpyxl.load_workbook(io.BytesIO(wizard._generate_xlsx()))
        numbers = [row[0].value for row in book.active.iter_rows(min_row=3)]
        self.assertIn("P-0001", numbers)
        self.assertNotIn("P-LIFE", numbers)
