import os
import re
import shutil
import subprocess
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, TransactionCase, tagged

REPORT = "customer_archive.action_report_customer_archive_card"


class ArchiveCardCase:
    @classmethod
    def _create_archive(cls, env):
        Partner = env["res.partner"]
        company = Partner.create(
            {
                "name": "杭州天元精密机械有限公司",
                "is_company": True,
                "street": "滨江区江南大道 1888 号",
                "city": "杭州",
                "zip": "310051",
                "phone": "0571-86661234",
                "mobile": "13605711234",
                "email": "office@tianyuan.example.cn",
                "website": "https://tianyuan.example.cn",
                "archive_founding_date": date(2003, 5, 18),
                "archive_registered_capital": 50000000,
                "archive_main_shareholders": "天元控股集团 (60%)",
                "archive_bank_name": "中国工商银行杭州滨江支行",
                "archive_bank_account_number": "1202020109900012345",
                "archive_tier": "a",
                "archive_company_size": "medium",
                "archive_employee_count": 320,
                "archive_employee_count_domestic": 300,
                "archive_employee_count_foreign": 20,
                "archive_company_type": "sino_foreign_jv",
                "archive_industry_position": "influential",
                "archive_main_business": "数控机床零部件",
                "archive_additional_business": "设备维修服务",
                "archive_sales_last_year": 180000000,
                "archive_sales_two_years_ago": 150000000,
                "archive_sales_three_years_ago": 120000000,
                "archive_credit_rating": "aa",
                "archive_our_advantages": "交货及时,技术支持到位",
                "archive_our_weaknesses": "价格偏高:以年度框架协议锁定折扣",
                "archive_remarks": "每季度回访一次",
                "user_id": env.ref("base.user_admin").id,
            }
        )
        Partner.create(
            {
                "name": "周天元",
                "parent_id": company.id,
                "archive_key_person_role": "legal_representative",
                "function": "董事长",
                "archive_education": "master",
                "archive_birth_date": date(1968, 3, 12),
                "archive_hobbies": "围棋",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "call",
                "archive_family_situation": "已婚,一子",
            }
        )
        Partner.create(
            {
                "name": "钱晓燕",
                "parent_id": company.id,
                "archive_key_person_role": "main_contact",
                "function": "采购部经理",
                "archive_education": "bachelor",
            }
        )
        env["customer.archive.transaction"].create(
            [
                {
                    "name": "HT-2025-017",
                    "partner_id": company.id,
                    "date": date(2025, 6, 3),
                    "place": "杭州",
                    "amount": 1200000,
                    "note": "首批主轴订单",
                },
                {
                    "name": "HT-2026-004",
                    "partner_id": company.id,
                    "date": date(2026, 2, 20),
                    "place": "上海",
                    "amount": 800000,
                    "breach_of_contract": True,
                    "note": "延迟付款 15 天",
                },
            ]
        )
        return company


@tagged("post_install", "-at_install")
class TestArchiveCardReport(ArchiveCardCase, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.company = cls._create_archive(cls.env)

    def _render(self, partners, user=None, lang="en_US"):
        env = self.env(user=user or self.admin, context=dict(self.env.context, lang=lang))
        html, report_format = env["ir.actions.report"]._render_qweb_html(REPORT, partners.ids)
        self.assertEqual(report_format, "html")
        return html.decode()

    def test_report_is_in_the_print_menu_of_contacts(self):
        report = self.env.ref(REPORT)
        self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(report.binding_model_id.model, "res.partner")
        self.assertEqual(report.binding_type, "report")

    def test_card_shows_every_section_with_its_values(self):
        html = self._render(self.company)
        for label in (
            "Customer Archive Card",
            "Archive No.",
            "Basic Data",
            "Key Persons",
            "Business Data",
            "Transactions with Us",
            "Current Credit Rating",
            "Our Advantages",
            "Our Weaknesses and Countermeasures",
        ):
            self.assertIn(label, html)
        for value in (
            self.company.archive_number,
            "杭州天元精密机械有限公司",
            "310051",
            "+86 571 8666 1234",
            "+86 136 0571 1234",
            "office@tianyuan.example.cn",
            "天元控股集团 (60%)",
            "中国工商银行杭州滨江支行",
            "1202020109900012345",  # sensitive, shown to the admin
            # key persons, legal representative first
            "周天元",
            "董事长",
            "围棋",
            "已婚,一子",
            "钱晓燕",
            "采购部经理",
            # business data
            "320",
            "数控机床零部件",
            "设备维修服务",
            # transactions and their derived figures
            "HT-2025-017",
            "HT-2026-004",
            "延迟付款 15 天",
            "2,000,000.00",  # total
            "1,000,000.00",  # average
            "AA",
            "交货及时,技术支持到位",
            "价格偏高:以年度框架协议锁定折扣",
            "每季度回访一次",
        ):
            self.assertIn(value, html)
        self.assertLess(html.index("周天元"), html.index("钱晓燕"))
        self.assertLess(html.index("HT-2025-017"), html.index("HT-2026-004"))
        # Company type and industry position are ticked like the paper form.
        self.assertRegex(html, r'fa-check-square-o"[^<]*</i>\s*Sino-Foreign Joint Venture')
        self.assertRegex(html, r'fa-square-o"[^<]*</i>\s*Listed Company')
        self.assertRegex(html, r'fa-check-square-o"[^<]*</i>\s*Influential')

    def test_card_carries_document_control_and_revisions(self):
        """编制日期 / 审核日期 / 批准日期 and the revision record 修改标记 /
        修改处数 / 修改日期, from the archive's dates and tracked changes."""
        env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        company = self._create_archive(env)
        env.cr.precommit.run()  # the creation, before the changes are tracked
        with freeze_time("2026-02-10 03:00:00"):
            company.write({"archive_date": date(2026, 1, 5), "archive_last_review_date": date(2026, 4, 2)})
            company.write({"archive_state": "active"})
            env.cr.precommit.run()
        with freeze_time("2026-05-20 03:00:00"):
            company.write(
                {"archive_credit_rating": "a", "archive_company_size": "large", "archive_employee_count": 350}
            )
            env.cr.precommit.run()
        revisions = company._archive_card_revisions()
        self.assertEqual([r["changes"] for r in revisions][-2:], [2, 3])
        self.assertEqual(revisions[-1]["date"], date(2026, 5, 20))
        self.assertEqual(revisions[-1]["mark"], len(revisions))
        self.assertEqual(
            company._archive_card_document_control(),
            {"prepared": date(2026, 1, 5), "reviewed": date(2026, 4, 2), "approved": date(2026, 2, 10)},
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        html = self._render(company, lang="zh_CN")
        for label in ("编制日期", "审核日期", "批准日期", "修改标记", "修改处数", "修改日期"):
            self.assertIn(label, html)
        self.assertIn("2026年02月10日", html)
        self.assertIn("2026年05月20日", html)

    def test_archive_created_active_has_an_approval_date(self):
        """An archive created active (demo, import, a manager) was approved as
        it was prepared: its card shows its archive date as 批准日期."""
        env = self.env(context=dict(self.env.context, tracking_disable=False, mail_notrack=False))
        company = env["res.partner"].create(
            {
                "name": "直接在用公司",
                "is_company": True,
                "archive_state": "active",
                "archive_date": date(2024, 3, 4),
            }
        )
        env.cr.precommit.run()
        self.assertEqual(company._archive_card_document_control()["approved"], date(2024, 3, 4))
        company = env["res.partner"].create(
            {"name": "今天在用公司", "is_company": True, "archive_state": "active"}
        )
        env.cr.precommit.run()
        self.assertEqual(company._archive_card_document_control()["approved"], company.archive_date)
        draft = env["res.partner"].create({"name": "草稿公司", "is_company": True})
        env.cr.precommit.run()
        self.assertFalse(draft._archive_card_document_control()["approved"])

    def test_individual_card_shows_personal_data(self):
        person = self.env["res.partner"].create(
            {
                "name": "孙美玲",
                "archive_gender": "female",
                "archive_birth_date": date(1985, 9, 1),
                "archive_occupation": "医生",
                "archive_sensitive_consent_given": True,
                "archive_sensitive_consent_method": "call",
                "archive_family_situation": "已婚",
            }
        )
        html = self._render(person)
        for value in ("孙美玲", "Female", "医生", "已婚", "Occupation"):
            self.assertIn(value, html)
        self.assertNotIn("Business Data", html)
        self.assertIn("No transactions recorded.", html)

    def test_several_archives_in_one_print(self):
        other = self.env["res.partner"].create({"name": "宁波港联物流有限公司", "is_company": True})
        html = self._render(self.company | other)
        self.assertIn("杭州天元精密机械有限公司", html)
        self.assertIn("宁波港联物流有限公司", html)
        self.assertEqual(html.count("Customer Archive Card"), 2)


@tagged("post_install", "-at_install")
class TestArchiveCardPdf(ArchiveCardCase, HttpCase):
    """The PDF itself, rendered by wkhtmltopdf through the running server."""

    def test_card_renders_as_pdf(self):
        company = self._create_archive(self.env)
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_format = report._render_qweb_pdf(REPORT, company.ids)
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)

    def _pdf_text(self, pdf):
        """The text of the PDF as a reader copies it (pdftotext, poppler-utils)."""
        pdftotext = shutil.which("pdftotext")
        if not pdftotext:
            self.fail("pdftotext (Debian poppler-utils) is needed to read the PDF back")
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "card.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            if os.environ.get("CUSTOMER_ARCHIVE_KEEP_PDF"):
                shutil.copy(path, os.environ["CUSTOMER_ARCHIVE_KEEP_PDF"])
            return subprocess.run(
                [pdftotext, "-layout", "-enc", "UTF-8", path, "-"],
                capture_output=True,
                check=True,
                timeout=60,
            ).stdout.decode()

    def test_pdf_text_can_be_searched_and_copied(self):
        """Archive number, names and phones are real text in the PDF (not glyph
        shapes, not CJK radicals), and Odoo's header and footer are printed."""
        company = self._create_archive(self.env)
        self.env.company.name = "上海云档信息科技有限公司"
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True, lang="zh_CN")
        pdf, _format = report._render_qweb_pdf(REPORT, company.ids)
        text = self._pdf_text(pdf)
        compact = re.sub(r"\s+", "", text)
        for value in (
            company.archive_number,
            "杭州天元精密机械有限公司",
            "+8657186661234",  # stored as +86 571 8666 1234 (phone validation)
            "13605711234",
            "office@tianyuan.example.cn",
            "周天元",
            "钱晓燕",
            "HT-2025-017",
        ):
            self.assertIn(value, compact)
        # No Kangxi radicals (U+2F00-U+2FDF) nor CJK radicals supplement
        # (U+2E80-U+2EFF) instead of the ideographs a reader copies.
        self.assertFalse(re.findall(r"[\u2e80-\u2fdf]", text), "CJK text copies as radicals")
        # External layout: the company in the header, page x / y in the footer.
        self.assertIn("上海云档信息科技有限公司", compact)
        self.assertRegex(compact, r"1/1")
