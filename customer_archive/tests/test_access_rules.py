"""Who may see what: the role × archive matrix, through the ORM and through
JSON-RPC over HTTP (the web client's path)."""

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tests.common import JsonRpcException

from .common import ALLOW_EXPORT, ARCHIVE_USER, PARTNER_MANAGER, ArchiveUsers
from .test_tier_scoring import STRONGEST_FIGURES

# Columns of the matrix: archives by tier, department and grant.
ARCHIVES = ("a_own", "a_other", "b_same", "b_other", "b_no_department", "granted", "expired", "revoked")

# Rows: role → archives it may read / change. Nobody but the archive
# administrator deletes archives (no hard delete).
READ = {
    "rep_own": {"a_own", "b_same", "b_no_department", "granted"},
    "rep_other": {"b_no_department", "granted"},
    "service": {"b_no_department", "granted"},
    "service_manager": {"b_same", "b_other", "b_no_department", "granted"},
    "marketing_manager": set(ARCHIVES),
    "admin": set(ARCHIVES),
    "finance": {"b_no_department", "granted"},
}
WRITE = {
    "rep_own": {"a_own", "b_same", "b_no_department"},
    "rep_other": {"b_no_department"},
    "service": {"b_no_department"},
    "service_manager": {"b_no_department"},
    "marketing_manager": set(ARCHIVES),
    "admin": set(ARCHIVES),
    "finance": {"b_no_department"},
}
UNLINK = {role: set() for role in READ} | {"admin": set(ARCHIVES)}


class AccessMatrixMixin(ArchiveUsers):
    @classmethod
    def _setup_access_matrix(cls):
        env = cls.env
        cls.setup_archive_users()
        Department = env["hr.department"]
        cls.departments = {
            "sales": cls.sales_department,
            "branch": cls.branch_department,
            "service": cls.service_department,
            "marketing": cls.marketing_department,
            "finance": Department.create({"name": "测试财务部"}),
            "project": Department.create({"name": "测试项目部"}),
        }
        # Rows of the matrix: the users of ArchiveUsers, plus an archive user
        # of finance (a department with no role in the archive).
        cls.users = {
            "rep_own": cls.rep,
            "rep_other": cls.other_rep,
            "service": cls.service,
            "service_manager": cls.service_manager,
            "marketing_manager": cls.marketing_manager,
            "admin": cls.archive_admin,
            "finance": cls.create_archive_user(
                "access_finance", "财务人员", f"{ARCHIVE_USER},{PARTNER_MANAGER}", cls.departments["finance"]
            ),
        }
        users = env["res.users"].union(*cls.users.values())
        cls.add_groups(users, f"{PARTNER_MANAGER},{ALLOW_EXPORT}")
        cls.departments["service"].manager_id = cls.users["service_manager"].employee_id
        cls.departments["sales"].manager_id = cls.users["marketing_manager"].employee_id
        other_rep = cls.create_archive_user("access_rep_nobody", "无部门代表", ARCHIVE_USER)

        def archive(name, tier, department, user=False):
            return env["res.partner"].create(
                {
                    "name": name,
                    "is_company": True,
                    "archive_tier": tier,
                    "archive_department_id": department and cls.departments[department].id,
                    "user_id": user and user.id,
                }
            )

        cls.archives = {
            "a_own": archive("A own", "a", "sales", cls.users["rep_own"]),
            "a_other": archive("A other", "a", "sales", other_rep),
            "b_same": archive("B same department", "b", "sales"),
            "b_other": archive("B other department", "b", "project"),
            "b_no_department": archive("B without department", "c", False),
            "granted": archive("A granted", "a", "project"),
            "expired": archive("A grant expired", "a", "project"),
            "revoked": archive("A grant revoked", "a", "project"),
        }
        Grant = env["customer.archive.access.grant"]
        today = fields.Date.today()
        for key, date_to in (
            ("granted", fields.Date.add(today, days=30)),
            ("expired", fields.Date.subtract(today, days=1)),
            ("revoked", fields.Date.add(today, days=30)),
        ):
            Grant.create(
                [
                    {
                        "user_id": user.id,
                        "partner_id": cls.archives[key].id,
                        "date_from": fields.Date.subtract(today, days=10),
                        "date_to": date_to,
                    }
                    for user in cls.users.values()
                ]
            )
        cls.archives["revoked"].archive_grant_ids.action_revoke()
        Grant._cron_expire_grants()

    def _expected(self, table, role, key):
        return key in table[role]


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()

    def test_expired_and_revoked_grant_states(self):
        self.assertEqual(set(self.archives["expired"].archive_grant_ids.mapped("state")), {"expired"})
        self.assertEqual(set(self.archives["revoked"].archive_grant_ids.mapped("state")), {"revoked"})
        self.assertEqual(set(self.archives["granted"].archive_grant_ids.mapped("state")), {"active"})

    def test_read_and_search(self):
        all_ids = [partner.id for partner in self.archives.values()]
        for role, user in self.users.items():
            visible = self.env["res.partner"].with_user(user).search([("id", "in", all_ids)])
            self.assertEqual(
                {key for key, partner in self.archives.items() if partner in visible},
                READ[role],
                f"{role} searches",
            )
            for key, partner in self.archives.items():
                with self.subTest(role=role, archive=key, operation="read"):
                    self.env.invalidate_all()
                    if self._expected(READ, role, key):
                        self.assertEqual(partner.with_user(user).read(["name"])[0]["name"], partner.name)
                    else:
                        with self.assertRaises(AccessError):
                            partner.with_user(user).read(["name"])

    def test_write(self):
        for role, user in self.users.items():
            for key, partner in self.archives.items():
                with self.subTest(role=role, archive=key, operation="write"):
                    if self._expected(WRITE, role, key):
                        partner.with_user(user).write({"archive_remarks": f"checked by {role}"})
                        self.assertEqual(partner.archive_remarks, f"checked by {role}")
                    else:
                        with self.assertRaises(AccessError):
                            partner.with_user(user).write({"archive_remarks": f"checked by {role}"})

    def test_unlink(self):
        for role, user in self.users.items():
            for key, partner in self.archives.items():
                with self.subTest(role=role, archive=key, operation="unlink"):
                    if self._expected(UNLINK, role, key):
                        with self.env.cr.savepoint() as savepoint:
                            partner.with_user(user).unlink()
                            self.assertFalse(partner.exists())
                            savepoint.rollback()
                        self.env.invalidate_all()
                        self.assertTrue(partner.exists())
                    else:
                        with self.assertRaises(AccessError):
                            partner.with_user(user).unlink()

    def test_child_contacts_follow_their_archive(self):
        key_person = self.env["res.partner"].create(
            {"name": "Key person of A other", "parent_id": self.archives["a_other"].id}
        )
        contact_b = self.env["res.partner"].create(
            {"name": "Key person of B same", "parent_id": self.archives["b_same"].id}
        )
        rep = self.users["rep_own"]
        self.assertFalse(key_person.is_customer_archive)
        self.assertTrue(key_person.archive_access_restricted)
        self.assertEqual(key_person.archive_access_tier, "a")
        # The scope the rules compare: -1 for A, the department for B/C,
        # 0 for B/C without department.
        self.assertEqual(key_person.archive_access_scope, -1)
        self.assertEqual(contact_b.archive_access_scope, self.departments["sales"].id)
        self.assertEqual(self.archives["b_same"].archive_access_scope, self.departments["sales"].id)
        self.assertEqual(self.archives["b_no_department"].archive_access_scope, 0)
        with self.assertRaises(AccessError):
            key_person.with_user(rep).read(["name"])
        self.assertEqual(contact_b.with_user(rep).read(["name"])[0]["name"], "Key person of B same")
        # A tier change of the archive reaches its contacts at once.
        self.archives["a_other"].archive_tier = "b"
        self.archives["a_other"].archive_department_id = self.departments["sales"]
        self.assertEqual(key_person.with_user(rep).read(["name"])[0]["name"], "Key person of A other")

    def test_tier_recompute_applies_to_access_at_once(self):
        """The tier recompute writes tiers in SQL: an archive it promotes to A
        leaves its department's view at once, with its contacts; one it
        demotes from A enters it."""
        rep = self.users["rep_own"]
        promoted, demoted = self.archives["b_same"], self.archives["a_other"]
        contact = self.env["res.partner"].create({"name": "Key person of B same", "parent_id": promoted.id})
        promoted.write(STRONGEST_FIGURES)
        demoted.write(
            {"archive_registered_capital": 0, "archive_sales_last_year": 0, "archive_deal_likelihood": 0}
        )
        self.env.flush_all()
        Partner = self.env["res.partner"].with_user(rep)
        self.assertEqual(
            Partner.search([("id", "in", (promoted | contact | demoted).ids)]), promoted | contact
        )

        self.env.ref("customer_archive.customer_tier_policy_default")._recompute_tiers()

        self.assertEqual(promoted.archive_tier, "a")
        self.assertIn(demoted.archive_tier, ("b", "c"))
        self.assertEqual(contact.archive_access_tier, "a")
        self.assertEqual((promoted.archive_access_scope, contact.archive_access_scope), (-1, -1))
        self.assertEqual(demoted.archive_access_scope, self.departments["sales"].id)
        self.assertEqual(Partner.search([("id", "in", (promoted | contact | demoted).ids)]), demoted)
        for partner in promoted | contact:
            with self.assertRaises(AccessError):
                partner.with_user(rep).read(["name"])
        self.assertEqual(demoted.with_user(rep).read(["name"])[0]["name"], "A other")

    def test_non_archives_stay_visible(self):
        company_partner = self.env.company.partner_id
        colleague = self.users["admin"].partner_id
        plain = (
            self.env["res.partner"]
            .with_context(customer_archive_skip=True)
            .create({"name": "Not an archive"})
        )
        for user in self.users.values():
            self.assertEqual(
                len(
                    self.env["res.partner"]
                    .with_user(user)
                    .search([("id", "in", (company_partner | colleague | plain).ids)])
                ),
                3,
            )

    def test_department_change_applies_at_once(self):
        rep = self.users["rep_other"]
        b_other = self.archives["b_other"]
        with self.assertRaises(AccessError):
            b_other.with_user(rep).read(["name"])
        rep.employee_id.department_id = self.departments["project"]
        self.assertTrue(b_other.with_user(rep).read(["name"]))

    def test_archived_employee_loses_department_access(self):
        rep = self.users["rep_own"]
        b_same = self.archives["b_same"]
        self.assertTrue(b_same.with_user(rep).read(["name"]))
        rep.employee_id.active = False
        with self.assertRaises(AccessError):
            b_same.with_user(rep).read(["name"])

    def test_grant_and_revoke_apply_at_once(self):
        """The rules are cached per user: a grant given or revoked after the
        user's last read changes what they see without a restart."""
        finance = self.users["finance"]
        a_other = self.archives["a_other"]
        with self.assertRaises(AccessError):
            a_other.with_user(finance).read(["name"])
        grant = (
            self.env["customer.archive.access.grant"]
            .with_user(self.users["marketing_manager"])
            .create({"user_id": finance.id, "partner_id": a_other.id, "date_to": fields.Date.today()})
        )
        self.env.invalidate_all()
        self.assertEqual(a_other.with_user(finance).read(["name"])[0]["name"], "A other")
        self.assertIn(a_other, self.env["res.partner"].with_user(finance).search([("name", "=", "A other")]))
        grant.with_user(self.users["marketing_manager"]).action_revoke()
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            a_other.with_user(finance).read(["name"])
        self.assertFalse(self.env["res.partner"].with_user(finance).search([("name", "=", "A other")]))

    def test_grant_needs_an_approver(self):
        with self.assertRaises(AccessError):
            self.env["customer.archive.access.grant"].with_user(self.users["service_manager"]).create(
                {
                    "user_id": self.users["finance"].id,
                    "partner_id": self.archives["a_other"].id,
                    "date_to": fields.Date.today(),
                }
            )
        with self.assertRaises(AccessError):
            self.env["customer.archive.access.grant"].with_user(self.users["rep_own"]).create(
                {
                    "user_id": self.users["rep_own"].id,
                    "partner_id": self.archives["b_other"].id,
                    "date_to": fields.Date.today(),
                }
            )


@tagged("post_install", "-at_install")
class TestAccessMatrixHttp(AccessMatrixMixin, HttpCase):
    """The same matrix through /web/dataset/call_kw, as the web client calls it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_access_matrix()

    def _call(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/res.partner/{method}",
            {"model": "res.partner", "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_access_error(self, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as caught:
            self._call(method, args, kwargs)
        self.assertEqual(str(caught.exception), "odoo.exceptions.AccessError")

    def test_matrix_over_json_rpc(self):
        all_ids = [partner.id for partner in self.archives.values()]
        for role, user in self.users.items():
            self.authenticate(user.login, user.login)
            result = self._call(
                "web_search_read",
                [],
                {"domain": [("id", "in", all_ids)], "specification": {"name": {}, "archive_tier": {}}},
            )
            found = {record["id"] for record in result["records"]}
            self.assertEqual(
                {key for key, partner in self.archives.items() if partner.id in found}, READ[role], role
            )
            for key, partner in self.archives.items():
                with self.subTest(role=role, archive=key):
                    if self._expected(READ, role, key):
                        self.assertEqual(
                            self._call("read", [[partner.id], ["name"]])[0]["name"], partner.name
                        )
                        form = self._call(
                            "web_read", [[partner.id]], {"specification": {"name": {}, "archive_tier": {}}}
                        )
                        self.assertEqual(form[0]["name"], partner.name)
                    else:
                        self._assert_access_error("read", [[partner.id], ["name"]])
                        self._assert_access_error("web_read", [[partner.id]], {"specification": {"name": {}}})
                    if self._expected(WRITE, role, key):
                        self.assertTrue(self._call("write", [[partner.id], {"archive_remarks": role}]))
                    else:
                        self._assert_access_error("write", [[partner.id], {"archive_remarks": role}])
                    if not self._expected(UNLINK, role, key):
                        self._assert_access_error("unlink", [[partner.id]])
        # The administrator deletes (last: the archive is gone afterwards).
        self.authenticate(self.users["admin"].login, self.users["admin"].login)
        self.assertTrue(self._call("unlink", [[self.archives["b_other"].id]]))
        self.assertFalse(self.archives["b_other"].exists())

    def test_export_over_json_rpc(self):
        rep = self.users["rep_own"]
        self.authenticate(rep.login, rep.login)
        self._assert_access_error("export_data", [[self.archives["a_other"].id], ["name"]])
        own = self._call("export_data", [[self.archives["a_own"].id], ["name"]])
        self.assertEqual(own["datas"], [["A own"]])
