#!/usr/bin/env python3
"""Benchmark of the customer archive at 10 000 / 100 000 archives.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_archive.py --size 10000
    .venv/bin/python tests/benchmark_archive.py --size 100000 --drop

It uses its own database (``--db``, default ``bench_archive``): a new one is
created and the two addons are installed without demo data; an existing one
is reused as it is. It then

1. generates N archives (companies with one key contact each) and 10
   transactions per archive with set-based SQL (``INSERT ... SELECT
   generate_series``), then fills the stored derived fields set-based: the
   transaction figures in one ``UPDATE ... FROM (SELECT ... GROUP BY)``, the
   other stored computed fields of ``res.partner`` with the ORM in batches;
2. exports the contact list (客户联络一览表) of all archives as XLSX and
   measures time and peak memory (Python allocations with tracemalloc in a
   second run, and the growth of the process' maximum resident set size);
3. times ``res.partner.web_search_read`` of 80 records with the fields of the
   Contacts list view, then the same call with the addons' fields left out,
   and prints the ratio.

``--drop`` drops the database (and its filestore) at the end.
"""

import argparse
import os
import resource
import statistics
import time
import tracemalloc

from benchmark_common import ADDONS, CONFIG, database_exists, install_database
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api

REP_COUNT = 20
TRANSACTIONS_PER_ARCHIVE = 10
RECOMPUTE_BATCH = 5000

# Stored fields the SQL generation fills itself.
SQL_FILLED_FIELDS = {
    "complete_name",
    "commercial_partner_id",
    "commercial_company_name",
    "partner_share",
    "user_id",
    "company_registry",
    "image_128",
    "image_256",
    "image_512",
    "image_1024",
    "archive_transaction_total",
    "archive_transaction_count",
    "archive_transaction_average",
    "archive_transaction_frequency",
    "archive_first_transaction_date",
    "archive_last_transaction_date",
    "archive_breach_count",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="number of archives to generate")
    parser.add_argument("--db", default="bench_archive", help="database (created when missing)")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--update", action="store_true", help="update the addons of an existing database first"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each web_search_read")
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the second export run measured with tracemalloc"
    )
    return parser.parse_args()


def ensure_reps(env):
    """Sales reps owning the generated archives."""
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True, tracking_disable=True
    )
    reps = Users.search([("login", "=like", "bench_rep_%")], order="login")
    if len(reps) < REP_COUNT:
        groups = [env.ref("base.group_user").id, env.ref("customer_archive.group_archive_user").id]
        reps |= Users.create(
            [
                {
                    "name": f"业务员 {index:02d}",
                    "login": f"bench_rep_{index:02d}",
                    "groups_id": [(6, 0, groups)],
                }
                for index in range(len(reps) + 1, REP_COUNT + 1)
            ]
        )
    return reps


def generate(env, size):
    """Insert ``size`` archives with a key contact and 10 transactions each."""
    cr = env.cr
    reps = ensure_reps(env)
    start = time.perf_counter()
    currency_id = env.company.currency_id.id
    cr.execute("SELECT nextval('res_partner_id_seq')")
    first_id = cr.fetchone()[0] + 1
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE archive_number LIKE 'BM-%%'")
    offset = cr.fetchone()[0]
    # Archives: companies, owned round-robin by the reps, tiers A/B/C ~ 20/40/40 %.
    cr.execute(
        """
        INSERT INTO res_partner (
            id, commercial_partner_id, commercial_company_name,
            name, complete_name, type, active, is_company, lang, partner_share,
            is_customer_archive, archive_number, archive_date, archive_state, archive_tier,
            user_id, phone, mobile, email, street, city, zip,
            archive_currency_id, archive_last_contact_date, archive_next_contact_date,
            archive_credit_rating, create_uid, write_uid, create_date, write_date,
            archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope
        )
        SELECT
            partner_id, partner_id, nm,
            nm, nm, 'contact', TRUE, TRUE, 'zh_CN', TRUE,
            TRUE, 'BM-' || lpad(n::text, 7, '0'), CURRENT_DATE - (n %% 3650),
            (ARRAY['draft', 'active', 'active', 'dormant', 'closed'])[1 + n %% 5],
            tier,
            (%(reps)s::int[])[1 + n %% %(rep_count)s],
            '021-' || lpad((n %% 100000000)::text, 8, '0'),
            '139' || lpad(n::text, 8, '0'),
            'info' || n || '@customer.example.cn',
            '南京路 ' || n || ' 号',
            (ARRAY['上海', '北京', '杭州', '广州', '深圳', '成都'])[1 + n %% 6],
            lpad((100000 + n %% 900000)::text, 6, '0'),
            %(currency)s, CURRENT_DATE - (n %% 30), CURRENT_DATE + (n %% 14),
            (ARRAY['aaa', 'aa', 'a', 'b', 'c'])[1 + n %% 5],
            1, 1, now() at time zone 'UTC', now() at time zone 'UTC',
            -- the access columns of the record rules (no department: scope 0 for B/C)
            TRUE, tier, (%(reps)s::int[])[1 + n %% %(rep_count)s], CASE WHEN tier = 'a' THEN -1 ELSE 0 END
        FROM (
            -- the id is drawn here so that the commercial partner is set in the
            -- same statement, not by a second UPDATE of every row
            SELECT nextval('res_partner_id_seq') AS partner_id, n, '测试客户' || n || '有限公司' AS nm,
                   (ARRAY['a', 'b', 'b', 'c', 'c'])[1 + n %% 5] AS tier
            FROM generate_series(%(start)s, %(stop)s) AS n
        ) AS numbers
        """,
        {
            "reps": reps.ids,
            "rep_count": len(reps),
            "currency": currency_id,
            "start": offset + 1,
            "stop": offset + size,
        },
    )
    # One key contact (main contact) per archive.
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, type, active, is_company, lang, partner_share, parent_id,
            commercial_partner_id, commercial_company_name, is_customer_archive, archive_key_person_role,
            function, phone, email, user_id, create_uid, write_uid, create_date, write_date,
            archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope
        )
        SELECT
            '联系人' || p.id, p.name || ', 联系人' || p.id, 'contact', TRUE, FALSE, 'zh_CN', TRUE, p.id,
            p.id, p.name, FALSE, 'main_contact',
            '采购经理', '010-' || lpad(p.id::text, 8, '0'), 'contact' || p.id || '@customer.example.cn', p.user_id,
            1, 1, now() at time zone 'UTC', now() at time zone 'UTC',
            TRUE, p.archive_access_tier, p.archive_access_user_id, p.archive_access_scope
        FROM res_partner p
        WHERE p.id >= %s AND p.is_customer_archive
        """,
        [first_id],
    )
    cr.execute(
        """
        INSERT INTO customer_archive_transaction (
            name, partner_id, date, place, currency_id, amount, user_id, breach_of_contract, note,
            create_uid, write_uid, create_date, write_date
        )
        SELECT
            'HT-' || p.id || '-' || k, p.id, CURRENT_DATE - (k * 30 + p.id %% 30),
            p.city, %(currency)s, 1000 + ((p.id * 7919 + k * 104729) %% 1000000), p.user_id,
            (k = 3 AND p.id %% 10 = 0), NULL,
            1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
        FROM res_partner p CROSS JOIN generate_series(1, %(count)s) AS k
        WHERE p.id >= %(first)s AND p.is_customer_archive
        """,
        {"currency": currency_id, "count": TRANSACTIONS_PER_ARCHIVE, "first": first_id},
    )
    # Derived transaction figures, set-based (same rules as _compute_transaction_figures).
    cr.execute(
        """
        UPDATE res_partner p SET
            archive_transaction_total = t.total,
            archive_transaction_count = t.count,
            archive_transaction_average = t.total / t.count,
            archive_first_transaction_date = t.first_date,
            archive_last_transaction_date = t.last_date,
            archive_transaction_frequency = t.count / GREATEST((t.last_date - t.first_date) / 365.25, 1.0),
            archive_breach_count = t.breaches
        FROM (
            SELECT partner_id, SUM(amount) AS total, COUNT(*) AS count,
                   MIN(date) AS first_date, MAX(date) AS last_date,
                   COUNT(*) FILTER (WHERE breach_of_contract) AS breaches
            FROM customer_archive_transaction
            WHERE partner_id >= %s
            GROUP BY partner_id
        ) AS t
        WHERE p.id = t.partner_id
        """,
        [first_id],
    )
    cr.execute("SELECT id FROM res_partner WHERE id >= %s ORDER BY id", [first_id])
    new_ids = [row[0] for row in cr.fetchall()]
    env.invalidate_all()
    print(f"  SQL inserts and transaction figures: {time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    recompute_stored_fields(env, new_ids)
    print(f"  ORM recompute of the other stored fields: {time.perf_counter() - start:.1f} s", flush=True)
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE customer_archive_transaction")
    return len(new_ids)


def recompute_stored_fields(env, partner_ids):
    """The other stored computed fields of the new partners, by the ORM in batches."""
    Partner = env["res.partner"]
    fields_to_compute = [
        field
        for name, field in Partner._fields.items()
        if field.store and field.compute and name not in SQL_FILLED_FIELDS
    ]
    print(
        "  recomputed by the ORM:", ", ".join(sorted(field.name for field in fields_to_compute)), flush=True
    )
    for start in range(0, len(partner_ids), RECOMPUTE_BATCH):
        partners = Partner.browse(partner_ids[start : start + RECOMPUTE_BATCH])
        for field in fields_to_compute:
            env.add_to_compute(field, partners)
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()


def memory_status():
    """Current and peak resident set size of this process, in KiB (Linux)."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _sep, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(value.split()[0])
    return values["VmRSS"], values["VmHWM"]


def reset_peak_memory():
    """Reset the peak RSS (VmHWM) to the current RSS; False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def export_contact_list(env, measure_python_memory):
    wizard = env["customer.archive.contact.list.export"].create({"scope": "all"})
    count = wizard.archive_count
    env.invalidate_all()
    if measure_python_memory:
        tracemalloc.start()
    peak_reset = reset_peak_memory()
    rss_before, _hwm_before = memory_status()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    wizard.action_export()
    elapsed = time.perf_counter() - start
    _rss_after, hwm_after = memory_status()
    if peak_reset:
        rss_growth = max(hwm_after - rss_before, 0)
    else:  # only growth beyond the earlier peak of the process is visible
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - maxrss_before
    peak = None
    if measure_python_memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    size = len(wizard.attachment_id.raw)
    wizard.attachment_id.unlink()
    env.cr.commit()
    return count, elapsed, peak, rss_growth, size


def list_view_specification(env, our_fields):
    """The web client's specification for the Contacts list view."""
    Partner = env["res.partner"]
    arch = Partner.get_views([(False, "list")])["views"]["list"]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iterfind("field"):
        if node.get("optional") == "hide":  # hidden columns are not fetched
            continue
        name = node.get("name")
        field = Partner._fields[name]
        if field.type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    base_spec = {name: value for name, value in spec.items() if name not in our_fields}
    return spec, base_spec


def time_web_search_read(env, spec, runs):
    Partner = env["res.partner"]
    timings = []
    for attempt in range(runs + 1):
        env.invalidate_all()
        start = time.perf_counter()
        # as the list view asks: 80 records, counted up to 10 000
        result = Partner.web_search_read([], spec, limit=80, count_limit=10001)
        elapsed = time.perf_counter() - start
        if attempt:  # the first run warms the caches up
            timings.append(elapsed)
    assert len(result["records"]) == 80, result["length"]
    return statistics.median(timings)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG), "-d", args.db, "--log-level=warn"])
    if not database_exists(args.db):
        install_database(args.db)
    elif args.update:
        install_database(args.db, update=True)
    registry = odoo.modules.registry.Registry(args.db)
    print(f"database {args.db}: generating {args.size} archives ...", flush=True)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        partner_count = generate(env, args.size)
        cr.commit()
        generate_time = time.perf_counter() - start
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE is_customer_archive")
        archives = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM customer_archive_transaction")
        transactions = cr.fetchone()[0]
    print(
        f"generate: {generate_time:.1f} s for {partner_count} partners "
        f"({args.size} archives + key contacts) and {args.size * TRANSACTIONS_PER_ARCHIVE} transactions; "
        f"database now has {archives} archives, {transactions} transactions",
        flush=True,
    )

    with registry.cursor() as cr:
        admin = api.Environment(cr, SUPERUSER_ID, {})["res.users"].browse(2)
        env = api.Environment(cr, admin.id, {"lang": "en_US", "tz": "UTC"})
        count, elapsed, _peak, rss_growth, size = export_contact_list(env, measure_python_memory=False)
        print(
            f"contact list XLSX export of {count} archives (as admin): {elapsed:.1f} s, "
            f"file {size / 1048576:.1f} MiB, peak RSS growth during the export {rss_growth / 1024:.1f} MiB",
            flush=True,
        )
        if not args.no_tracemalloc:
            count, elapsed, peak, _rss, _size = export_contact_list(env, measure_python_memory=True)
            print(
                f"contact list XLSX export under tracemalloc: {elapsed:.1f} s, "
                f"peak Python memory {peak / 1048576:.1f} MiB",
                flush=True,
            )

        our_fields = {
            name
            for name, field in env["res.partner"]._fields.items()
            if all(module in ADDONS for module in field._modules)
        }
        spec, base_spec = list_view_specification(env, our_fields)
        print(
            f"Contacts list view: {len(spec)} fields, {len(spec) - len(base_spec)} of them from the addons "
            f"({', '.join(sorted(set(spec) - set(base_spec)))})",
            flush=True,
        )
        rep = env["res.users"].search([("login", "=", "bench_rep_01")])
        for user in (admin, rep):
            user_env = env(user=user.id)
            with_archive = time_web_search_read(user_env, spec, args.runs)
            base_only = time_web_search_read(user_env, base_spec, args.runs)
            print(
                f"web_search_read 80 records as {user.login}: with archive fields {with_archive * 1000:.1f} ms, "
                f"base fields only {base_only * 1000:.1f} ms, ratio {with_archive / base_only:.2f}",
                flush=True,
            )
        cr.rollback()

    if args.drop:
        odoo.service.db.exp_drop(args.db)
        print(f"database {args.db} dropped")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
