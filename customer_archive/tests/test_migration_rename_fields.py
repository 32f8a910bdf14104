# rename_fields: skip file (it names the fields of 18.0.1.2.0 on purpose)
import unittest

from odoo.tests import TransactionCase, tagged

from .common import load_migration

VALID_ID = "11010519491231002X"


@tagged("post_install", "-at_install")
class TestMigrationRenameFields(TransactionCase):
    """A database of 18.0.1.2.0 has the archive's fields under their names
    without prefix: the pre-migration of 18.0.1.3.0 moves columns, fields,
    xml ids and saved filters to the ``archive_`` names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_migration("18.0.1.3.0", "pre-rename-archive-fields")
        cls.Partner = cls.env["res.partner"]
        if "archive_gender" not in cls.Partner._fields:
            raise unittest.SkipTest("the fields are not renamed yet (rename_fields.py not applied)")
        cls.env["ir.config_parameter"].sudo().set_param("customer_archive.require_sensitive_consent", False)
        cls.person = cls.Partner.create(
            {
                "name": "迁移个人",
                "is_customer_archive": True,
                "archive_gender": "female",
                "archive_birth_date": "1949-12-31",
                "archive_resident_id_number": VALID_ID,
                "archive_family_situation": "已婚",
                "archive_bank_account_number": "6222 0000 1111 2222",
                "archive_occupation": "医生",
            }
        )
        cls.company = cls.Partner.create(
            {
                "name": "迁移公司",
                "is_company": True,
                "is_customer_archive": True,
                "archive_registered_capital": 5000000,
                "archive_employee_count": 42,
                "archive_credit_rating": "aa",
            }
        )

    def _as_before(self):
        """Put the schema back as 18.0.1.2.0 left it, inside the test transaction."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'res_partner'")
        columns = {row[0] for row in cr.fetchall()}
        field_ids = {}
        for old, new in self.migration.RENAMES.items():
            if new in columns:
                # the migration's own rename, backwards (checked below)
                self.migration._rename_column(cr, new, old)
            cr.execute(
                "UPDATE ir_model_fields SET name = %s WHERE model = 'res.partner' AND name = %s RETURNING id",
                [old, new],
            )
            field_ids[old] = cr.fetchone()[0]
            cr.execute(
                "UPDATE ir_model_data SET name = %s WHERE model = 'ir.model.fields' AND name = %s",
                [f"field_res_partner__{old}", f"field_res_partner__{new}"],
            )
            cr.execute(
                """UPDATE ir_model_data SET name = replace(name, %s, %s)
                    WHERE model = 'ir.model.fields.selection' AND name LIKE %s""",
                [f"__{new}__", f"__{old}__", f"selection__res_partner__{new}__%".replace("_", r"\_")],
            )
        self.assertFalse(
            set(self.migration.RENAMES.values()) & self.migration._columns(cr),
            "the columns are under their 18.0.1.2.0 names",
        )
        return field_ids

    def test_upgrade_renames_columns_fields_and_filters(self):
        old_filter = self.env["ir.filters"].create(
            {
                "name": "女性医生",
                "model_id": "res.partner",
                "domain": "[('gender', '=', 'female'), ('key_person_ids.birth_date', '!=', False)]",
                "context": "{'group_by': ['first_transaction_date:year', 'credit_rating'], 'default_gender': 'female'}",
                "sort": '["birth_date desc", "name"]',
            }
        )
        other_model_filter = self.env["ir.filters"].create(
            {"name": "健康记录年龄", "model_id": "res.users", "domain": "[('age', '>', 60)]"}
        )
        export = self.env["ir.exports"].create(
            {
                "name": "旧导出",
                "resource": "res.partner",
                "export_fields": [(0, 0, {"name": "gender"}), (0, 0, {"name": "key_person_ids/education"})],
            }
        )
        field_ids = self._as_before()
        # the stored view of 18.0.1.2.0 (the update validates it when it rewrites its parent)
        masking = self.env.ref("customer_archive.view_res_partner_form_masking")
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = replace(arch_db::text, 'archive_resident_id_number', 'resident_id_number')::jsonb"
            " WHERE id = %s RETURNING arch_db->>'en_US'",
            [masking.id],
        )
        self.assertIn("@name='resident_id_number'", self.env.cr.fetchone()[0])
        self.env.cr.execute("SELECT gender, employee_count FROM res_partner WHERE id = %s", [self.person.id])
        self.assertEqual(self.env.cr.fetchone()[0], "female")  # the database as it was

        self.migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.env.registry.clear_cache()

        # values, read through the ORM under the new names
        self.assertEqual(self.person.archive_gender, "female")
        self.assertEqual(str(self.person.archive_birth_date), "1949-12-31")
        self.assertEqual(self.person.archive_occupation, "医生")
        self.assertEqual(self.person.archive_resident_id_number, VALID_ID)  # ciphertext kept
        self.assertEqual(self.person.archive_family_situation, "已婚")
        self.assertEqual(self.person.archive_bank_account_number, "6222 0000 1111 2222")
        self.assertEqual(self.Partner.search([("archive_resident_id_number", "=", VALID_ID)]), self.person)
        self.assertEqual(self.company.archive_employee_count, 42)
        self.assertEqual(self.company.archive_credit_rating, "aa")
        # the same field records (tracking values keep their field), their xml ids
        for old, new in self.migration.RENAMES.items():
            field = self.env["ir.model.fields"]._get("res.partner", new)
            self.assertEqual(field.id, field_ids[old], new)
            self.assertEqual(self.env.ref(f"customer_archive.field_res_partner__{new}"), field)
        self.assertEqual(
            self.env.ref("customer_archive.selection__res_partner__archive_gender__female").field_id.name,
            "archive_gender",
        )
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner'")
        indexes = {row[0] for row in self.env.cr.fetchall()}
        self.assertIn("res_partner__archive_resident_id_number_blind_index_index", indexes)
        # the stored view
        masking.invalidate_recordset()
        self.assertIn("@name='archive_resident_id_number'", masking.arch_db)
        self.assertNotIn("'resident_id_number'", masking.arch_db)
        # saved filter and export template
        self.assertEqual(
            old_filter.domain,
            "[('archive_gender', '=', 'female'), ('archive_key_person_ids.archive_birth_date', '!=', False)]",
        )
        self.assertEqual(
            old_filter.context,
            "{'group_by': ['archive_first_transaction_date:year', 'archive_credit_rating'],"
            " 'default_archive_gender': 'female'}",
        )
        self.assertEqual(old_filter.sort, '["archive_birth_date desc", "name"]')
        self.assertEqual(
            self.Partner.search([*old_filter._get_eval_domain(), ("id", "=", self.person.id)]), self.Partner
        )
        self.assertEqual(
            self.Partner.search([("archive_gender", "=", "female"), ("id", "=", self.person.id)]), self.person
        )
        self.assertEqual(other_model_filter.domain, "[('age', '>', 60)]")  # another model's field
        self.assertEqual(
            export.export_fields.mapped("name"),
            ["archive_gender", "archive_key_person_ids/archive_education"],
        )

    def test_fresh_install_and_second_run_change_nothing(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM ir_model_fields WHERE model = 'res.partner'")
        count = self.env.cr.fetchone()[0]
        self.migration.migrate(self.env.cr, None)
        self.migration.migrate(self.env.cr, "18.0.1.2.0")  # already renamed: nothing left to rename
        self.env.invalidate_all()
        self.env.cr.execute("SELECT count(*) FROM ir_model_fields WHERE model = 'res.partner'")
        self.assertEqual(self.env.cr.fetchone()[0], count)
        self.assertEqual(self.person.archive_gender, "female")
        self.assertEqual(self.person.archive_resident_id_number, VALID_ID)
