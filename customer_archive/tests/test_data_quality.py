from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase
from .test_completeness_scheme import COMPANY_FIELDS
from .test_identity_validation import VALID_ID, VALID_USCC


@tagged("post_install", "-at_install")
class TestDataQuality(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # These tests are about the stored values, not the consent to them
        # (see test_privacy_compliance): no separate consent required here.
        cls.env["ir.config_parameter"].sudo().set_param("customer_archive.require_sensitive_consent", False)
        cls.admin = cls.archive_admin
        cls.Partner = cls.env["res.partner"].with_user(cls.rep)

    def test_valid_codes_are_normalised_and_fill_birth_date(self):
        company = self.Partner.create(
            {
                "name": "福建测试有限公司",
                "is_company": True,
                "archive_unified_social_credit_code": "91350100m000100y43",
            }
        )
        self.assertEqual(company.archive_unified_social_credit_code, VALID_USCC)
        person = self.Partner.create({"name": "王小红", "archive_resident_id_number": "11010519491231002x"})
        self.assertEqual(person.archive_resident_id_number, VALID_ID)
        self.assertEqual(str(person.archive_birth_date), "1949-12-31")
        self.assertEqual(person.archive_gender, "female")  # 17th digit 2: even

    def test_invalid_codes_raise_error_naming_the_field_and_keep_saved_value(self):
        company = self.Partner.create(
            {"name": "福建测试有限公司", "is_company": True, "archive_unified_social_credit_code": VALID_USCC}
        )
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            company.write({"archive_unified_social_credit_code": "91350100M000100Y44"})
        self.assertIn("Unified Social Credit Code", str(error.exception))
        self.assertIn("91350100M000100Y44", str(error.exception))
        company.invalidate_recordset()
        self.assertEqual(company.archive_unified_social_credit_code, VALID_USCC)

        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.Partner.create({"name": "张三", "archive_resident_id_number": "110105194912310021"})
        self.assertIn("Resident ID Number", str(error.exception))

    def test_birth_date_must_match_id_number(self):
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.Partner.create(
                {"name": "李四", "archive_resident_id_number": VALID_ID, "archive_birth_date": "1950-01-01"}
            )
        self.assertIn("Birth Date", str(error.exception))

    def test_phone_and_email_checked_on_archives(self):
        with self.assertRaises(ValidationError) as error, self.cr.savepoint():
            self.Partner.create({"name": "赵六", "phone": "not a phone"})
        self.assertIn("Phone", str(error.exception))
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.Partner.create({"name": "赵六", "email": "zhao@"})

    def test_completeness_lists_missing_fields(self):
        company = self.Partner.create({"name": "完整度测试公司", "is_company": True})
        self.assertLess(company.archive_completeness, 100)
        self.assertIn("Founding Date", company.archive_missing_fields)
        company.write(
            {
                **COMPANY_FIELDS,
                "user_id": self.rep.id,
                "archive_key_person_ids": [
                    (0, 0, {"name": "周经理", "archive_key_person_role": "main_contact"})
                ],
                "archive_transaction_ids": [(0, 0, {"amount": 1000})],
            }
        )
        self.assertEqual(company.archive_completeness, 100)
        self.assertFalse(company.archive_missing_fields)
        # the rules are data: requiring one more field lowers the score
        self.env["customer.archive.required.field"].create(
            {"field_id": self.env.ref("base.field_res_partner__website").id, "applies_to": "company"}
        )
        self.assertLess(company.archive_completeness, 100)
        self.assertIn("Website", company.archive_missing_fields)

    def test_missing_fields_in_the_readers_language(self):
        """Saved by an English-speaking user, read by a Chinese one: the list
        of missing fields follows the reader's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_archive"], ["zh_CN"], overwrite=True)
        company = self.Partner.with_context(lang="en_US").create({"name": "语言测试公司", "is_company": True})
        self.assertIn("Founding Date", company.archive_missing_fields)
        self.assertIn("archive_founding_date", company.archive_missing_field_names.split(","))
        self.assertIn("成立日期", company.with_context(lang="zh_CN").archive_missing_fields)

    def test_duplicate_warning_while_typing_in_the_form(self):
        existing = self.Partner.create(
            {"name": "深圳前海物流有限公司", "is_company": True, "phone": "0755 8888 6666"}
        )
        form = Form(self.Partner)
        form.company_type = "company"
        form.name = "新客户"
        self.assertEqual(form.archive_duplicate_count, 0)
        form.phone = "+86 755 88886666"
        self.assertEqual(form.archive_duplicate_count, 1)
        self.assertEqual(form.archive_duplicate_ids[:], existing)
        form.save()

    def test_duplicates_detected_by_each_key(self):
        original = self.Partner.create(
            {
                "name": "杭州西湖茶叶有限公司",
                "is_company": True,
                "phone": "+86 571 8888 1234",
                "email": "Tea@XiHu.example.com",
                "archive_unified_social_credit_code": VALID_USCC,
            }
        )
        same_name = self.Partner.create({"name": "杭州西湖茶叶 有限公司", "is_company": True})
        same_phone = self.Partner.create({"name": "西湖茶业", "is_company": True, "mobile": "0571-88881234"})
        same_email = self.Partner.create({"name": "西湖茶叶(杭州)", "email": " tea@xihu.example.com"})
        unrelated = self.Partner.create({"name": "北京烤鸭店", "phone": "010 6512 3456"})
        self.assertEqual(original.archive_duplicate_ids, same_name | same_phone | same_email)
        self.assertEqual(original.archive_duplicate_count, 3)
        self.assertEqual(same_phone.archive_duplicate_ids, original)
        self.assertFalse(unrelated.archive_duplicate_ids)
        flagged = self.env["res.partner"].search([("archive_duplicate_ids", "!=", False)])
        self.assertIn(original, flagged)
        self.assertIn(same_phone, flagged)
        self.assertNotIn(unrelated, flagged)
        person = self.Partner.create({"name": "王五", "archive_resident_id_number": VALID_ID})
        twin = self.Partner.create({"name": "王 五", "archive_resident_id_number": VALID_ID})
        self.assertIn(twin, person.archive_duplicate_ids)

    def test_duplicate_search_sees_pending_changes(self):
        original = self.Partner.create(
            {"name": "苏州园林设计院", "is_company": True, "phone": "+86 512 6522 1234"}
        )
        other = self.Partner.create({"name": "拙政园文创", "is_company": True, "phone": "+86 512 6777 0000"})
        self.env.flush_all()
        # Not yet flushed: the duplicate key of the new number is computed at the next flush.
        other.phone = "+86 512 6522 1234"
        flagged = self.env["res.partner"].search(
            [("archive_duplicate_ids", "!=", False), ("id", "in", (original | other).ids)]
        )
        self.assertEqual(flagged, original | other)

    def test_merge_keeps_transactions_feedback_and_children(self):
        keep = self.env["res.partner"].create(
            {"name": "重复公司", "is_company": True, "email": "dup@example.com"}
        )
        merged = self.env["res.partner"].create(
            {"name": "重复公司", "is_company": True, "email": "dup@example.com"}
        )
        contact = self.env["res.partner"].create(
            {"name": "联系人", "parent_id": merged.id, "archive_key_person_role": "main_contact"}
        )
        transaction = self.env["customer.archive.transaction"].create(
            {"name": "HT-9", "partner_id": merged.id, "amount": 700}
        )
        feedback = self.env["customer.archive.feedback"].create({"name": "表扬", "partner_id": merged.id})
        merged.message_post(body="来访记录")
        doc_type = self.env.ref("customer_archive.document_type_contract")
        kept_document = self.env["customer.archive.document"].create(
            {"name": "保留的合同", "partner_id": keep.id, "type_id": doc_type.id, "page_count": 4}
        )
        moved_document = self.env["customer.archive.document"].create(
            {"name": "被合并的合同", "partner_id": merged.id, "type_id": doc_type.id, "page_count": 2}
        )
        interaction = self.env["customer.archive.interaction"].create(
            {
                "partner_id": merged.id,
                "summary": "拜访",
                "interaction_type": "visit",
                "person_met_id": contact.id,
            }
        )
        self.assertEqual(keep.archive_duplicate_ids, merged)
        action = keep.with_user(self.rep).action_merge_duplicates()
        wizard = self.env[action["res_model"]].with_user(self.rep).browse(action["res_id"])
        self.assertEqual(wizard.dst_partner_id, keep)
        self.assertEqual(wizard.partner_ids, keep | merged)
        wizard.action_merge()
        self.assertFalse(merged.exists())
        self.assertEqual(transaction.partner_id, keep)
        self.assertEqual(feedback.partner_id, keep)
        self.assertEqual(contact.parent_id, keep)
        self.assertEqual(keep.archive_transaction_total, 700)
        self.assertEqual(moved_document.partner_id, keep)
        self.assertEqual(interaction.partner_id, keep)
        self.assertEqual(interaction.person_met_id, contact)
        self.assertEqual(keep.archive_interaction_count, 1)
        # the documents of the surviving archive are numbered as one file
        self.assertEqual(
            [(d.filing_sequence, d.start_page) for d in kept_document | moved_document], [(1, 1), (2, 5)]
        )
        self.assertTrue(keep.message_ids.filtered(lambda m: "来访记录" in (m.body or "")))

    def test_reps_cannot_hard_delete_archives(self):
        partner = self.Partner.create({"name": "不可删除的客户"})
        with self.assertRaises(AccessError) as error:
            partner.unlink()
        self.assertIn("close the archive", str(error.exception))
        self.assertTrue(partner.exists())
        # closing and archiving are the way out
        partner.write({"archive_state": "closed", "active": False})
        self.assertFalse(partner.active)
        partner.with_user(self.admin).unlink()
        self.assertFalse(partner.exists())

    def test_non_archive_contacts_can_still_be_deleted(self):
        company = self.env["res.partner"].create({"name": "母公司", "is_company": True})
        contact = self.Partner.create({"name": "临时联系人", "parent_id": company.id})
        contact.unlink()
        self.assertFalse(contact.exists())
