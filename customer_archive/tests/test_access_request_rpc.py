"""No enumeration of restricted archives (数据保护): a rep of another
department, over JSON-RPC as the web client calls the server, cannot list
or probe the archives they may not read, whatever context they send; they
ask for one archive by its number or full name, and each lookup is audited."""

import json

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common import ArchiveHttpCase

REQUEST_CONTEXT = {"customer_archive_access_request": True}


@tagged("post_install", "-at_install")
class TestAccessRequestOverJsonRpc(ArchiveHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # The rep of the branch asks for archives of the sales department,
        # whose rep is their responsible.
        sales = cls.sales_department
        owner = cls.rep
        cls.a_archives = env["res.partner"].create(
            [
                {
                    "name": f"甲级客户{index}",
                    "archive_tier": "a",
                    "archive_department_id": sales.id,
                    "user_id": owner.id,
                }
                for index in range(3)
            ]
        )
        cls.b_archive = env["res.partner"].create(
            {"name": "乙级客户", "archive_tier": "b", "archive_department_id": sales.id, "user_id": owner.id}
        )
        cls.hidden = cls.a_archives | cls.b_archive

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_access_error(self, model, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, args, kwargs)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")

    def test_rep_cannot_list_or_probe_archives(self):
        self.authenticate(self.other_rep.login, self.other_rep.login)
        names = set(self.hidden.mapped("name"))
        for context in ({}, REQUEST_CONTEXT):
            with self.subTest(context=context):
                found = self._call(
                    "res.partner", "name_search", [], {"name": "", "limit": 2000, "context": context}
                )
                self.assertFalse(names & {name for _id, name in found})
                found = self._call(
                    "res.partner", "name_search", [], {"name": "甲级", "limit": 2000, "context": context}
                )
                self.assertFalse(found)
                for partner in self.hidden:
                    self._assert_access_error(
                        "res.partner",
                        "web_read",
                        [partner.ids],
                        {"specification": {"display_name": {}}, "context": context},
                    )
                    self._assert_access_error(
                        "res.partner", "read", [partner.ids, ["display_name"]], {"context": context}
                    )
                # the request's onchange does not name archives by id either
                with self.assertRaises(JsonRpcException):
                    self._call(
                        "customer.archive.access.request",
                        "onchange",
                        [[], {"partner_ids": [[6, 0, self.hidden.ids]], "state": "draft"}, ["partner_ids"]],
                        {
                            "fields_spec": {"partner_ids": {"fields": {"display_name": {}}}},
                            "context": context,
                        },
                    )

    def test_rep_asks_for_one_archive_by_number_over_json_rpc(self):
        self.authenticate(self.other_rep.login, self.other_rep.login)
        target = self.a_archives[1]
        spec = {"reference": {}, "archive_number": {}, "archive_name": {}}
        # a prefix finds nothing, the exact number finds the one archive
        result = self._call(
            "customer.archive.access.request.line",
            "onchange",
            [[], {"reference": "甲级客户"}, ["reference"], spec],
        )
        self.assertIn("warning", result)
        result = self._call(
            "customer.archive.access.request.line",
            "onchange",
            [[], {"reference": target.archive_number}, ["reference"], spec],
        )
        self.assertEqual(result["value"]["archive_number"], target.archive_number)
        self.assertFalse(result["value"].get("archive_name"))
        saved = self._call(
            "customer.archive.access.request",
            "web_save",
            [[], {"line_ids": [[0, 0, {"reference": target.archive_number}]], "reason": "联合拜访"}],
            {
                "specification": {
                    "archive_labels": {},
                    "line_ids": {"fields": {"archive_number": {}, "archive_name": {}}},
                }
            },
        )
        self.assertEqual(saved[0]["archive_labels"], target.archive_number)
        request = self.env["customer.archive.access.request"].browse(saved[0]["id"])
        self.assertEqual(request.partner_ids, target)
        # the archive of the line is not readable by the requester
        with self.assertRaises(JsonRpcException):
            self._call(
                "customer.archive.access.request.line",
                "read",
                [request.line_ids.ids, ["partner_id"]],
            )
        # nor can a line be pointed at another archive afterwards
        with self.assertRaises(JsonRpcException):
            self._call(
                "customer.archive.access.request.line",
                "write",
                [request.line_ids.ids, {"partner_id": self.a_archives[0].id}],
            )
        lookups = self.env["customer.archive.audit.log"].search(
            [("operation", "=", "lookup"), ("user_id", "=", self.other_rep.id)]
        )
        self.assertEqual(len(lookups), 3)
        self.assertEqual(lookups.partner_id, target)

    def test_opening_an_archive_one_may_not_read(self):
        """The form's web_read of an archive the rep may not read: an
        AccessError the web client turns into the "no access" message, with
        the id it asked for and nothing of the archive, in the user's
        language."""
        self.other_rep.lang = "zh_CN"
        self.env["res.lang"]._activate_lang("zh_CN")
        self.authenticate(self.other_rep.login, self.other_rep.login)
        target = self.a_archives[0]
        response = self.url_open(
            "/web/dataset/call_kw/res.partner/web_read",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "res.partner",
                        "method": "web_read",
                        "args": [target.ids],
                        "kwargs": {"specification": {"name": {}, "phone": {}}, "context": {"lang": "zh_CN"}},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        error = response.json()["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertEqual(
            error["context"], {"exception_class": "customer_archive.no_access", "archive_id": target.id}
        )
        for text in (error["message"], error["debug"], json.dumps(error["arguments"], ensure_ascii=False)):
            self.assertNotIn(target.name, text)
            self.assertNotIn(target.archive_number, text)
        self.assertIn("客户档案", error["message"])
        # the button of the message prepares a request for that archive
        action = self._call("customer.archive.access.request", "action_request_archive_access", [target.id])
        self.assertEqual(action["res_model"], "customer.archive.access.request")
        [[_command, _virtual_id, values]] = action["context"]["default_line_ids"]
        self.assertEqual(values["reference"], target.archive_number)
        self.assertFalse(values["archive_name"])
