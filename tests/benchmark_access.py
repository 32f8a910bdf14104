#!/usr/bin/env python3
"""Benchmark of the access rules (权限) at 100 000 archives.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_access.py --size 100000 --drop

It uses its own database (``--db``, default ``bench_access``): created with
both addons and no demo data when missing, reused otherwise. It generates
``--size`` archives with set-based SQL (tiers A/B/C 20/40/40 %, spread over
five departments and twenty reps, one key contact each, 5 % without
department) and a few grants, then times as a sales rep (record rules
apply) and as the administrator (only the multi-company rule):

1. ``res.partner.web_search_read`` of the Contacts list: 80 rows, the fields
   of the list view, with the count the web client asks for (capped at
   10 001 rows: the rep sees a fifth of the partners, so their 10 001 rows
   lie on about five times as many table pages as the administrator's);
2. the same 80 rows without that count (``search_fetch`` + ``web_read``);
3. ``search_count`` over all archives.

Before timing, ``res_partner`` is vacuumed and analysed, as autovacuum does
after a bulk load. Rep and admin take turns for each run; the script prints
the medians and the ratio rep/admin (goal: at most 1.3).
``--drop`` drops the database (and its filestore) at the end.
"""

import argparse
import statistics
import time

from benchmark_common import CONFIG, database_exists, drop_database, install_database
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api

DEPARTMENTS = 5
REPS = 20
GRANTS = 50


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000, help="number of archives to generate")
    parser.add_argument("--db", default="bench_access", help="database (created when missing)")
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each call")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def ensure_people(env):
    """Five departments, twenty reps with an employee each."""
    departments = env["hr.department"].search([("name", "=like", "Bench department %")], order="name")
    if not departments:
        departments = env["hr.department"].create(
            [{"name": f"Bench department {i}"} for i in range(DEPARTMENTS)]
        )
    reps = env["res.users"].search([("login", "=like", "bench_access_rep_%")], order="login")
    if not reps:
        group = env.ref("customer_archive.group_archive_user")
        reps = (
            env["res.users"]
            .with_context(no_reset_password=True, tracking_disable=True)
            .create(
                [
                    {
                        "name": f"业务员 {i:02d}",
                        "login": f"bench_access_rep_{i:02d}",
                        "groups_id": [(6, 0, group.ids)],
                    }
                    for i in range(REPS)
                ]
            )
        )
        env["hr.employee"].create(
            [
                {"name": rep.name, "user_id": rep.id, "department_id": departments[i % DEPARTMENTS].id}
                for i, rep in enumerate(reps)
            ]
        )
    return departments, reps


def generate(env, size):
    cr = env.cr
    departments, reps = ensure_people(env)
    cr.execute("SELECT count(*) FROM res_partner WHERE archive_number LIKE 'BA-%%'")
    if cr.fetchone()[0] >= size:
        print(f"reusing the {size} archives already generated", flush=True)
        return reps
    print(f"generating {size} archives with one key contact each ...", flush=True)
    started = time.perf_counter()
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    first_id = cr.fetchone()[0] + 1
    # The id is drawn in the subquery so that the commercial partner and the
    # access columns of the record rules are set in the same statement, not
    # by a second UPDATE of every row.
    cr.execute(
        """
        INSERT INTO res_partner (
            id, commercial_partner_id, commercial_company_name,
            name, complete_name, type, active, is_company, lang, partner_share,
            is_customer_archive, archive_number, archive_date, archive_state, archive_tier,
            archive_department_id, user_id, phone, email, city,
            archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope,
            create_uid, write_uid, create_date, write_date
        )
        SELECT partner_id, partner_id, nm,
               nm, nm, 'contact', TRUE, TRUE, 'zh_CN', TRUE,
               TRUE, 'BA-' || lpad(n::text, 7, '0'), CURRENT_DATE - (n %% 3650), 'active', tier,
               department_id, user_id,
               '021-' || lpad(n::text, 8, '0'), 'info' || n || '@customer.example.cn',
               (ARRAY['上海', '北京', '杭州', '广州', '深圳'])[1 + n %% 5],
               TRUE, tier, user_id,
               CASE WHEN tier = 'a' THEN -1 ELSE COALESCE(department_id, 0) END,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
        FROM (
            SELECT nextval('res_partner_id_seq') AS partner_id, n, '测试客户' || n || '有限公司' AS nm,
                   (ARRAY['a', 'b', 'b', 'c', 'c'])[1 + n %% 5] AS tier,
                   CASE WHEN n %% 20 = 0 THEN NULL
                        ELSE (%(departments)s::int[])[1 + (n / 7) %% %(dcount)s] END AS department_id,
                   (%(reps)s::int[])[1 + (n / 3) %% %(rcount)s] AS user_id
              FROM generate_series(1, %(size)s) AS n
        ) AS numbers
        """,
        {
            "departments": departments.ids,
            "dcount": len(departments),
            "reps": reps.ids,
            "rcount": len(reps),
            "size": size,
        },
    )
    # Statistics first: without them the foreign-key checks of the inserts
    # below may plan a sequential scan of res_partner per row.
    cr.execute("ANALYZE res_partner")
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, type, active, is_company, lang, partner_share, parent_id,
            commercial_partner_id, commercial_company_name, is_customer_archive, archive_key_person_role,
            phone, email, archive_access_restricted, archive_access_tier,
            archive_access_user_id, archive_access_scope,
            create_uid, write_uid, create_date, write_date
        )
        SELECT '联系人' || p.id, p.name || ', 联系人' || p.id, 'contact', TRUE, FALSE, 'zh_CN', TRUE, p.id,
               p.id, p.name, FALSE, 'main_contact',
               '010-' || lpad(p.id::text, 8, '0'), 'contact' || p.id || '@customer.example.cn',
               TRUE, p.archive_tier, p.user_id, p.archive_access_scope,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM res_partner p
         WHERE p.id >= %s AND p.is_customer_archive
        """,
        [first_id],
    )
    # A few grants of the measured rep (and of the others) on A archives.
    cr.execute(
        """
        INSERT INTO customer_archive_access_grant (user_id, partner_id, date_from, date_to, state,
                                                   create_uid, write_uid, create_date, write_date)
        SELECT u.id, p.id, CURRENT_DATE, CURRENT_DATE + 30, 'active', 1, 1, now(), now()
          FROM (SELECT id FROM res_partner WHERE id >= %(first)s AND archive_tier = 'a'
                 ORDER BY id LIMIT %(grants)s) AS p
         CROSS JOIN unnest(%(reps)s::int[]) AS u(id)
        """,
        {"first": first_id, "grants": GRANTS, "reps": reps.ids},
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE customer_archive_access_grant")
    cr.execute("ANALYZE hr_employee")
    env.invalidate_all()
    print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    return reps


def list_specification(env):
    """The fields of the Contacts list view, as the web client asks for them."""
    view = env["res.partner"].get_views([(False, "list")])["views"]["list"]
    arch = etree.fromstring(view["arch"])
    spec = {}
    for node in arch.xpath("//field[not(ancestor::field)]"):
        name = node.get("name")
        field = env["res.partner"]._fields.get(name)
        if not field:
            continue
        spec[name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        if field.type in ("many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
    return spec


def measure(registry, reps, runs):
    """Medians of ``runs`` timed runs of each call, rep and admin taking
    turns (run 1 rep, run 1 admin, run 2 rep, ...): a drift of the machine
    during the measure weighs on both sides alike."""
    with registry.cursor() as cr:
        admin_env = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
        users = {"rep": reps[0].id, "admin": admin_env.id}
        archives = [("is_customer_archive", "=", True)]
        calls, results = {}, {}
        for label, uid in users.items():
            env = api.Environment(cr, uid, {"lang": "en_US"})
            Partner = env["res.partner"]
            spec = list_specification(env)
            found = Partner.web_search_read([], spec, limit=80, count_limit=10001)

            def list_call(Partner=Partner, spec=spec):
                Partner.env.invalidate_all()
                return Partner.web_search_read([], spec, limit=80, count_limit=10001)

            def page_call(Partner=Partner, spec=spec):
                # the same 80 rows without the pager's capped count
                Partner.env.invalidate_all()
                return Partner.search_fetch([], list(spec), limit=80).web_read(spec)

            def count_call(Partner=Partner):
                return Partner.search_count(archives)

            calls[label] = {"list": list_call, "page": page_call, "count": count_call}
            results[label] = {
                "rows": len(found["records"]),
                "visible": Partner.search_count(archives),
                "fields": len(spec),
            }
        durations = {(label, name): [] for label in calls for name in calls[label]}
        for run in range(runs + 1):  # the first run warms caches (ORM, rules, PostgreSQL)
            for name in ("list", "page", "count"):
                for label in calls:
                    started = time.perf_counter()
                    calls[label][name]()
                    if run:
                        durations[label, name].append(time.perf_counter() - started)
        for (label, name), values in durations.items():
            results[label][name] = statistics.median(values)
        cr.rollback()
    return results


def vacuum(registry):
    """What autovacuum does to a table after a bulk load: statistics, hint
    bits and the visibility map (VACUUM runs outside a transaction)."""
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE res_partner")


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG)])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        reps = generate(env, args.size)
        cr.commit()
        rep_ids = reps.ids
    with registry.cursor() as cr:
        reps = api.Environment(cr, SUPERUSER_ID, {})["res.users"].browse(rep_ids)
        reps = reps.browse(rep_ids)
    vacuum(registry)
    results = measure(registry, reps, args.runs)
    rep, admin = results["rep"], results["admin"]
    print(f"\n{args.size} archives (+ one key contact each); medians of {args.runs} runs")
    print(f"  archives visible: rep {rep['visible']}, admin {admin['visible']}")
    print(
        f"  web_search_read Contacts list (80 rows, {rep['fields']} fields, count_limit 10001): "
        f"rep {rep['list'] * 1000:.1f} ms, admin {admin['list'] * 1000:.1f} ms, "
        f"ratio {rep['list'] / admin['list']:.2f}"
    )
    print(
        f"  the same 80 rows without the pager's count (search_fetch + web_read): "
        f"rep {rep['page'] * 1000:.1f} ms, admin {admin['page'] * 1000:.1f} ms, "
        f"ratio {rep['page'] / admin['page']:.2f}"
    )
    print(
        f"  search_count over all archives: rep {rep['count'] * 1000:.1f} ms, "
        f"admin {admin['count'] * 1000:.1f} ms, ratio {rep['count'] / admin['count']:.2f}"
    )
    if args.drop:
        drop_database(args.db)


if __name__ == "__main__":
    main()
