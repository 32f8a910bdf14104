import importlib.util
import os
import threading
from unittest.mock import patch

import polib

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import file_path
from odoo.tools.translate import TranslationModuleReader


def untranslated_terms(env, module, lang="zh_CN"):
    """Return the terms of ``module`` (fields, selections, views, menus,
    errors in the code...) that have no translation in its ``i18n/<lang>.po``.

    The terms are read the way ``--i18n-export`` reads them, from the installed
    module, so a label added without a translation is found.
    """
    po_path = os.path.join(get_module_path(module), "i18n", f"{lang}.po")
    translated = {entry.msgid for entry in polib.pofile(po_path) if entry.msgstr.strip()}
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {row[4] for row in reader if row[0] == module and row[4]}
    return sorted(sources - translated)


def load_migration(version, name, module="customer_archive"):
    """The migration script ``<module>/migrations/<version>/<name>.py`` as a
    Python module, to call its ``migrate(cr, version)`` as an upgrade does."""
    path = file_path(f"{module}/migrations/{version}/{name}.py")
    spec = importlib.util.spec_from_file_location(f"{module}_{name}", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def call_kw_is_readonly(env, model, method):
    """Whether /web/dataset/call_kw serves ``model.method`` from a read-only
    cursor: the first ``_readonly`` mark along the model's MRO, as
    odoo.addons.web.controllers.dataset.DataSet._call_kw_readonly decides."""
    for cls in type(env[model]).mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


ARCHIVE_USER = "customer_archive.group_archive_user"
SERVICE = "customer_archive.group_archive_service"
SERVICE_MANAGER = "customer_archive.group_archive_service_manager"
MARKETING_MANAGER = "customer_archive.group_archive_marketing_manager"
ARCHIVE_ADMIN = "customer_archive.group_archive_admin"
SENSITIVE = "customer_archive.group_archive_sensitive"
PARTNER_MANAGER = "base.group_partner_manager"
ALLOW_EXPORT = "base.group_allow_export"


class ArchiveUsers:
    """One user per archive role, each an employee of a department, and
    helpers that make more users and archives: the users of the core addon's
    tests are made here (as ``InsuranceCase`` does for the insurance addon),
    not in each test class. Mixed into ``ArchiveCase`` (TransactionCase) and
    ``ArchiveHttpCase`` (HttpCase: tours, JSON-RPC).

    ``rep`` (sales department), ``other_rep`` (branch), ``service`` and
    ``service_manager`` (customer service), ``marketing_manager``
    (marketing), ``archive_admin`` (customer service, sensitive data), and
    ``no_department_rep`` (an archive user who is no employee). Reps may
    create contacts (Contact Creation), as in the demo. Their passwords are
    their logins padded with ``x`` to 8 characters (``new_test_user``).

    The users are made without mail tracking; the tests run with the
    environment's own context (tracking on), as a user would.
    """

    @classmethod
    def setup_archive_users(cls):
        env = cls.env
        cls.env = env(context=dict(env.context, tracking_disable=True))
        Department = cls.env["hr.department"]
        cls.sales_department = Department.create({"name": "测试销售部"})
        cls.branch_department = Department.create({"name": "测试分公司"})
        cls.service_department = Department.create({"name": "测试客户服务部"})
        cls.marketing_department = Department.create({"name": "测试市场营销部"})
        cls.rep = cls.create_archive_user(
            "case_rep", "销售代表", f"{ARCHIVE_USER},{PARTNER_MANAGER}", cls.sales_department
        )
        cls.other_rep = cls.create_archive_user(
            "case_other_rep", "分公司销售", f"{ARCHIVE_USER},{PARTNER_MANAGER}", cls.branch_department
        )
        cls.service = cls.create_archive_user("case_service", "客服专员", SERVICE, cls.service_department)
        cls.service_manager = cls.create_archive_user(
            "case_service_manager", "客服经理", SERVICE_MANAGER, cls.service_department
        )
        cls.marketing_manager = cls.create_archive_user(
            "case_marketing_manager",
            "市场经理",
            f"{MARKETING_MANAGER},{PARTNER_MANAGER}",
            cls.marketing_department,
        )
        cls.archive_admin = cls.create_archive_user(
            "case_archive_admin", "档案管理员", f"{ARCHIVE_ADMIN},{PARTNER_MANAGER}", cls.service_department
        )
        cls.no_department_rep = cls.create_archive_user(
            "case_rep_without_department", "无部门销售", f"{ARCHIVE_USER},{PARTNER_MANAGER}"
        )
        cls.env = env

    @classmethod
    def create_archive_user(cls, login, name, groups, department=None, **values):
        """A user of ``groups`` (comma-separated xml ids; ``values`` go to the
        user: ``lang``, ``password``…); with ``department``, also its
        employee there (a user's department is their employee's)."""
        user = new_test_user(cls.env, login=login, name=name, groups=groups, **values)
        if department:
            cls.env["hr.employee"].create({"name": name, "user_id": user.id, "department_id": department.id})
        return user

    @classmethod
    def add_groups(cls, users, groups):
        """Give ``users`` the comma-separated ``groups`` too (e.g. Export)."""
        users.write(
            {"groups_id": [Command.link(cls.env.ref(group.strip()).id) for group in groups.split(",")]}
        )

    @classmethod
    def setup_chinese(cls, *users, modules=("customer_archive",)):
        """简体中文 active with the zh_CN terms of ``modules`` loaded, and
        ``users`` working in it."""
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(list(modules), ["zh_CN"], overwrite=True)
        for user in users:
            user.lang = "zh_CN"

    @classmethod
    def create_archive(cls, name, rep=None, **values):
        """An archive (tier B unless given) whose responsible rep is ``rep``."""
        values = {"name": name, "archive_tier": "b", **values}
        if rep:
            values["user_id"] = rep.id
        return cls.env["res.partner"].create(values)


class ArchiveCase(ArchiveUsers, TransactionCase):
    """``ArchiveUsers`` for TransactionCase tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_archive_users()


class JsonRpcCalls:
    """For HttpCase tests: call the server as the web client does, and see
    how the audit rows of the reads are written. Mixed into
    ``ArchiveHttpCase``; the insurance addon's HttpCase tests use it too."""

    def call_kw(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over JSON-RPC, at the web
        client's /web/dataset/call_kw, as the authenticated user."""
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def spy_audit_log(self):
        """``(seen, patcher)``: while ``patcher`` is active, ``seen`` records,
        for each audit row written, the request's cursor mode ('ro': read-only
        and not retried; 'ro->rw': retried read-write after a write in the
        read-only transaction) and whether the writing cursor is read-only."""
        seen = []
        Log = type(self.env["customer.archive.audit.log"])
        original = Log.create

        def spy(log, *args, **kwargs):
            seen.append((threading.current_thread().cursor_mode, log.env.cr.readonly))
            return original(log, *args, **kwargs)

        return seen, patch.object(Log, "create", spy)

    def audited_call_kw(self, login, model, method, *args, **kwargs):
        """``call_kw`` logged in as ``login`` (password = login), with no
        warning of the HTTP layer: ``(result, seen)``, ``seen`` as in
        :meth:`spy_audit_log`."""
        self.authenticate(login, login)
        seen, spy = self.spy_audit_log()
        with spy, self.assertNoLogs("odoo.http", "WARNING"):
            result = self.call_kw(model, method, *args, **kwargs)
        return result, seen


class ArchiveHttpCase(ArchiveUsers, JsonRpcCalls, HttpCase):
    """``ArchiveUsers`` and ``JsonRpcCalls`` for HttpCase tests (tours, JSON-RPC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_archive_users()
