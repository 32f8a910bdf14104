from odoo.tests import TransactionCase, tagged

from .test_migration import load_migration


@tagged("post_install", "-at_install")
class TestMigrationContactPlanModel(TransactionCase):
    def test_upgrade_to_1_3_moves_the_plan_cron_to_its_model(self):
        """A database of 18.0.1.2.0 has the plan job's cron (noupdate) on
        mail.activity, calling a method that is gone: the post-migration
        points it to customer.contact.plan and its ``_cron_run``."""
        cron = self.env.ref("customer_archive.ir_cron_customer_contact_plan")
        cron.write({"model_id": self.env["ir.model"]._get_id("mail.activity")})
        cron.code = "model._cron_archive_contact_plan()"
        self.assertEqual(cron.model_id.model, "mail.activity")

        migration = load_migration("18.0.1.3.0", "post-contact-plan-model")
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(cron.model_id.model, "customer.contact.plan")
        self.assertEqual(cron.code, "model._cron_run()")
        # the job runs from the record as the cron worker runs it
        cron.method_direct_trigger()
        self.assertEqual(self.env["customer.contact.plan"].search([], limit=1).state, "done")
        # run twice (or on a fresh install) it changes nothing
        cron.code = "model._cron_run()  # tuned"
        migration.migrate(self.env.cr, "18.0.1.2.0")
        migration.migrate(self.env.cr, None)
        self.assertEqual(cron.code, "model._cron_run()  # tuned")
