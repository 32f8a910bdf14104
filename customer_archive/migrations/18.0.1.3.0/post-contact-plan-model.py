"""The contact plan moved from mail.activity to its own model
(customer.contact.plan): the plan job's cron record (noupdate, so the update
leaves it as it was) runs the new model's ``_cron_run``."""

from odoo import SUPERUSER_ID, api

OLD_CODE = "model._cron_archive_contact_plan()"
NEW_CODE = "model._cron_run()"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("customer_archive.ir_cron_customer_contact_plan", raise_if_not_found=False)
    if not cron:
        return
    # the old method is gone: a record still on mail.activity, or with the old
    # code, would fail every night
    if cron.model_id.model == "mail.activity" or (cron.code or "").strip() == OLD_CODE:
        cron.write({"model_id": env["ir.model"]._get_id("customer.contact.plan"), "code": NEW_CODE})
