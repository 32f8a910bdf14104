from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from .common import load_migration


@tagged("post_install", "-at_install")
class TestMigration(TransactionCase):
    def test_upgrade_to_1_1_gives_existing_requests_their_lines(self):
        """A request of 18.0.1.0.0 has its archives in partner_ids only (the
        update keeps that column): the post-migration adds the lines the
        requester reads, and the archives stay the same."""
        archives = self.env["res.partner"].create([{"name": "迁移客户甲"}, {"name": "迁移客户乙"}])
        request = self.env["customer.archive.access.request"].create(
            {"partner_ids": [(6, 0, archives.ids)], "reason": "旧版申请"}
        )
        # as 18.0.1.0.0 left it: no lines
        self.env.cr.execute(
            SQL("DELETE FROM customer_archive_access_request_line WHERE request_id = %s", request.id)
        )
        self.env.invalidate_all()
        self.assertFalse(request.line_ids)
        self.assertEqual(request.partner_ids, archives)

        load_migration("18.0.1.1.0", "post-access-request-lines").migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(request.line_ids.partner_id, archives)
        self.assertEqual(
            set(request.line_ids.mapped("archive_number")), set(archives.mapped("archive_number"))
        )
        self.assertEqual(set(request.line_ids.mapped("archive_name")), {"迁移客户甲", "迁移客户乙"})
        self.assertEqual(request.partner_ids, archives)
        # run twice (or on a fresh install) it adds nothing
        load_migration("18.0.1.1.0", "post-access-request-lines").migrate(self.env.cr, "18.0.1.0.0")
        load_migration("18.0.1.1.0", "post-access-request-lines").migrate(self.env.cr, None)
        self.env.invalidate_all()
        self.assertEqual(len(request.line_ids), 2)


@tagged("post_install", "-at_install")
class TestMigrationSensitiveConsent(TransactionCase):
    def test_upgrade_to_1_2_keeps_an_existing_consent_parameter(self):
        """A database of 18.0.1.1.0 with the parameter set by hand (no xml
        id): the pre-migration binds it to the data record, so the update
        keeps its value instead of creating a second key."""
        param = self.env.ref("customer_archive.config_require_sensitive_consent")
        self.env.cr.execute(
            SQL(
                "DELETE FROM ir_model_data WHERE module = 'customer_archive' AND name = %s",
                "config_require_sensitive_consent",
            )
        )
        param.value = "kept"
        self.env.registry.clear_cache()
        self.assertFalse(self.env.ref("customer_archive.config_require_sensitive_consent", False))

        migration = load_migration("18.0.1.2.0", "pre-bind-sensitive-consent-parameter")
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.registry.clear_cache()
        self.assertEqual(self.env.ref("customer_archive.config_require_sensitive_consent"), param)
        self.assertEqual(param.value, "kept")
        # Run twice (or on a fresh install): nothing changes.
        migration.migrate(self.env.cr, "18.0.1.1.0")
        migration.migrate(self.env.cr, None)
        self.assertEqual(
            self.env["ir.model.data"].search_count(
                [("module", "=", "customer_archive"), ("name", "=", "config_require_sensitive_consent")]
            ),
            1,
        )
