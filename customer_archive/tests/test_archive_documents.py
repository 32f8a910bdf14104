from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestArchiveDocuments(ArchiveCase):
    """立档和归档: filing order, page numbers and required documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(user=cls.rep)
        cls.Document = cls.env["customer.archive.document"]
        cls.company = cls.env["res.partner"].create({"name": "苏州恒远精密机械有限公司", "is_company": True})
        cls.person = cls.env["res.partner"].create({"name": "周敏", "is_company": False})
        ref = cls.env.ref
        cls.type_form = ref("customer_archive.document_type_archive_form")
        cls.type_licence = ref("customer_archive.document_type_business_licence")
        cls.type_id_card = ref("customer_archive.document_type_id_card")
        cls.type_contract = ref("customer_archive.document_type_contract")
        cls.type_letter = ref("customer_archive.document_type_correspondence")

    def _document(self, name, doc_type, pages=1, parent=None, partner=None, **vals):
        """A document of ``partner`` (the company), filed with ``parent`` if given."""
        if parent:
            vals["parent_id"] = parent.id
        partner = partner or self.company
        return self.Document.create(
            {"name": name, "partner_id": partner.id, "type_id": doc_type.id, "page_count": pages, **vals}
        )

    def _filed(self, partner):
        documents = self.Document.search([("partner_id", "=", partner.id)], order="filing_sequence")
        return [(doc.name, doc.filing_sequence, doc.start_page, doc.end_page) for doc in documents]

    def test_filing_order_follows_the_three_rules_and_numbers_pages(self):
        # created in the wrong order on purpose
        request = self._document(
            "价格调整请示", self.type_letter, 2, is_request=True, document_date="2026-03-01"
        )
        self._document(
            "价格调整批复", self.type_letter, 1, request, is_reply=True, document_date="2026-03-10"
        )
        contract = self._document("采购合同", self.type_contract, 8, document_date="2026-01-15")
        self._document("合同附件", self.type_contract, 3, contract, is_main=False, document_date="2026-01-15")
        self._document(
            "合同定稿", self.type_contract, 8, contract, is_printed=False, document_date="2026-01-10"
        )
        self._document("营业执照复印件", self.type_licence, 1)
        self._document("客户档案表", self.type_form, 2)
        self.assertEqual(
            self._filed(self.company),
            [
                ("客户档案表", 1, 1, 2),
                ("营业执照复印件", 2, 3, 3),
                ("采购合同", 3, 4, 11),  # printed main document first
                ("合同定稿", 4, 12, 19),  # then its draft
                ("合同附件", 5, 20, 22),  # the attachment after the main document
                ("价格调整批复", 6, 23, 23),  # the reply before the request
                ("价格调整请示", 7, 24, 25),
            ],
        )

    def test_numbering_follows_changes_and_deletions(self):
        form = self._document("客户档案表", self.type_form, 2)
        licence = self._document("营业执照复印件", self.type_licence, 1)
        contract = self._document("采购合同", self.type_contract, 5)
        self.assertEqual((contract.start_page, contract.end_page), (4, 8))
        form.page_count = 4
        self.assertEqual((licence.start_page, contract.start_page, contract.end_page), (5, 6, 10))
        # deleting a filed document is the archive administrator's right
        licence.with_user(self.env.ref("base.user_admin")).unlink()
        self.assertEqual((contract.filing_sequence, contract.start_page), (2, 5))
        # moving a type forward in the configuration moves its documents
        self.type_contract.sudo().sequence = 0
        self.assertEqual((contract.filing_sequence, contract.start_page, form.start_page), (1, 1, 6))
        # another archive has its own numbering
        other = self.env["res.partner"].create({"name": "其他客户", "is_company": True})
        moved = self._document("另一份合同", self.type_contract, 2, partner=other)
        self.assertEqual((moved.filing_sequence, moved.start_page), (1, 1))

    def test_required_documents_per_kind_of_customer(self):
        self.assertFalse(self.company.archive_documents_complete)
        self.assertEqual(self.company.archive_missing_document_type_ids, self.type_form | self.type_licence)
        self.assertEqual(self.person.archive_missing_document_type_ids, self.type_form | self.type_id_card)
        self._document("客户档案表", self.type_form)
        self.assertEqual(self.company.archive_missing_document_type_ids, self.type_licence)
        self._document("营业执照复印件", self.type_licence)
        self.assertTrue(self.company.archive_documents_complete)
        self.assertIn(
            self.company, self.env["res.partner"].search([("archive_documents_complete", "=", True)])
        )
        # the administrator requires one more type: the verdict follows
        self.type_contract.sudo().required_company = True
        self.assertFalse(self.company.archive_documents_complete)
        self.assertEqual(self.company.archive_missing_document_type_ids, self.type_contract)
        # individuals are not concerned by company requirements
        self._document("档案表", self.type_form, partner=self.person)
        self._document("身份证复印件", self.type_id_card, partner=self.person)
        self.assertTrue(self.person.archive_documents_complete)
        self.assertEqual(self.person.archive_document_count, 2)

    def test_invalid_filing_data_is_refused(self):
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self._document("既是请示又是批复", self.type_letter, is_reply=True, is_request=True)
        self.assertIn("Reply Document and Request Document", str(error.exception))
        foreign = self._document("他人的请示", self.type_letter, partner=self.person)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._document("批复", self.type_letter, parent=foreign, is_reply=True)
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self._document("零页文件", self.type_letter, pages=0)
        self.assertIn("Pages", str(error.exception))

    def test_smart_button_opens_the_archive_documents(self):
        document = self._document("客户档案表", self.type_form)
        action = self.company.action_open_archive_documents()
        self.assertEqual(self.Document.search(action["domain"]), document)
        self.assertEqual(action["context"]["default_partner_id"], self.company.id)

    def test_filing_documents_from_the_archive_form(self):
        self._document("采购合同", self.type_contract, 5)
        with Form(self.company) as form:
            self.assertEqual(form.archive_missing_document_type_ids[:], self.type_form | self.type_licence)
            with form.archive_document_ids.new() as line:
                line.name = "客户档案表"
                line.type_id = self.type_form
                line.page_count = 2
            with form.archive_document_ids.new() as line:
                line.name = "营业执照复印件"
                line.type_id = self.type_licence
            # the verdict follows the unsaved lines
            self.assertFalse(form.archive_missing_document_type_ids)
            self.assertTrue(form.archive_documents_complete)
        self.assertEqual(
            self._filed(self.company),
            [("客户档案表", 1, 1, 2), ("营业执照复印件", 2, 3, 3), ("采购合同", 3, 4, 8)],
        )
