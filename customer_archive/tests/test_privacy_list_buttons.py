"""The buttons of the privacy lists' control panel (display="always"), pressed
as the web client presses them: /web/dataset/call_button with no selected row."""

from odoo.tests import tagged

from .common import ArchiveHttpCase


@tagged("post_install", "-at_install")
class TestPrivacyListButtons(ArchiveHttpCase):
    def _press(self, model, method):
        self.authenticate(self.archive_admin.login, self.archive_admin.login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [[]], "kwargs": {"context": {}}},
        )

    def test_expiring_next_month_button(self):
        action = self._press("customer.archive.retention.rule", "action_open_expiring_next_month")
        self.assertEqual(action["res_model"], "customer.archive.retention.forecast")

    def test_verify_audit_trail_button(self):
        action = self._press("customer.archive.audit.log", "action_verify_chain")
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["params"]["type"], "success")
