#!/usr/bin/env python3
"""Benchmark of the import of customer archives (导入) at 100 000 archives.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_import.py --existing 100000 --rows 10000

It uses its own database (``--db``, default ``bench_import``): created with
both addons and no demo data when missing, reused otherwise. It generates
``--existing`` archives with set-based SQL (their duplicate keys filled in
the same statement), then imports a CSV file of ``--rows`` rows as a sales
rep through Odoo's Import (base_import.import.execute_import), the way the
background job does it (the file is above the threshold): chunk by chunk,
each committed. 5 % of the rows match an existing archive (by credit code,
mobile or e-mail: they update it), 2 % have an invalid credit code (refused,
reported with their row), the others are new.

It prints the rows per second of the import, the time of one ORM
``create`` of the valid new rows in the same database (the floor, rolled
back) and their ratio (goal: at most 2), and the resident memory after each
chunk: flat, not growing with the file (``--tracemalloc``: also the Python
heap peak of the first and the last chunk, which slows them down, so that
the timing is not comparable).
``--drop`` drops the database (and its filestore) at the end.
"""

import argparse
import csv
import importlib
import io
import os
import time
import tracemalloc

from benchmark_common import CONFIG, database_exists, drop_database, install_database

import odoo
from odoo import SUPERUSER_ID, api

DUPLICATE_SHARE = 0.05
INVALID_SHARE = 0.02
CHUNK = 500


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", type=int, default=100000, help="existing archives to generate")
    parser.add_argument("--rows", type=int, default=10000, help="rows of the imported file")
    parser.add_argument("--db", default="bench_import", help="database (created when missing)")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace the Python heap of the first and the last chunk (slows them down)",
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def uscc(number):
    """A valid credit code (the addon's check character, loaded once the addons path is set)."""
    identity = importlib.import_module("odoo.addons.customer_archive.tools.identity")
    body = f"9131{number:013d}"
    return body + identity.uscc_check_character(body)


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def ensure_rep(env):
    user = env["res.users"].search([("login", "=", "bench_import_rep")])
    if not user:
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "导入业务员",
                    "login": "bench_import_rep",
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                env.ref("base.group_user").id,
                                env.ref("base.group_partner_manager").id,
                                env.ref("customer_archive.group_archive_user").id,
                            ],
                        )
                    ],
                }
            )
        )
    return user


def generate(env, size, rep):
    """``size`` archives of ``rep`` by SQL, with their duplicate keys."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE archive_number LIKE 'BI-%%'")
    have = cr.fetchone()[0]
    if have >= size:
        return
    start = time.perf_counter()
    # The generated archives share no duplicate key, so their Possible
    # Duplicates flag stays unset: the flag triggers are off while they are
    # written (row by row on a table that starts empty, they would scan it).
    cr.execute(
        "ALTER TABLE res_partner DISABLE TRIGGER customer_archive_duplicate_flags_insert, "
        "DISABLE TRIGGER customer_archive_duplicate_flags_update"
    )
    cr.execute(
        """
        INSERT INTO res_partner (
            id, commercial_partner_id, name, complete_name, type, active, is_company, lang, partner_share,
            is_customer_archive, archive_number, archive_date, archive_state, archive_tier, user_id,
            mobile, email, archive_duplicate_name_key, archive_duplicate_mobile_key, archive_duplicate_email_key,
            archive_currency_id, create_uid, write_uid, create_date, write_date,
            archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope
        )
        SELECT pid, pid, nm, nm, 'contact', TRUE, TRUE, 'zh_CN', TRUE,
               TRUE, 'BI-' || lpad(n::text, 7, '0'), CURRENT_DATE, 'active', 'b', %(rep)s,
               '+86 139 ' || substr(lpad(n::text, 8, '0'), 1, 4) || ' ' || substr(lpad(n::text, 8, '0'), 5, 4),
               'info' || n || '@existing.example.cn', nm, '139' || lpad(n::text, 8, '0'),
               'info' || n || '@existing.example.cn',
               %(currency)s, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC',
               TRUE, 'b', %(rep)s, 0
          FROM (SELECT nextval('res_partner_id_seq') AS pid, n, '存量客户' || n || '有限公司' AS nm
                  FROM generate_series(%(start)s, %(stop)s) AS n) AS numbers
        """,
        {"rep": rep.id, "currency": env.company.currency_id.id, "start": have + 1, "stop": size},
    )
    # statistics first: without them the join below scans the table once per code
    cr.execute("ANALYZE res_partner")
    # a valid credit code on the archives a credit-code duplicate will match
    cr.execute(
        "UPDATE res_partner SET archive_unified_social_credit_code = data.code FROM (SELECT unnest(%s) AS num, "
        "unnest(%s) AS code) AS data WHERE archive_number = 'BI-' || lpad(data.num::text, 7, '0')",
        [list(range(1, size, 3)), [uscc(number) for number in range(1, size, 3)]],
    )
    cr.execute(
        "ALTER TABLE res_partner ENABLE TRIGGER customer_archive_duplicate_flags_insert, "
        "ENABLE TRIGGER customer_archive_duplicate_flags_update"
    )
    cr.execute("ANALYZE res_partner")
    cr.commit()
    print(f"generated {size - have} archives by SQL in {time.perf_counter() - start:.1f} s", flush=True)


def build_file(rows, existing):
    """The CSV file and the values of its valid new rows."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["Name", "Unified Social Credit Code", "Mobile", "Email", "Remarks"])
    duplicates = int(rows * DUPLICATE_SHARE)
    invalid = int(rows * INVALID_SHARE)
    new_values = []
    step = max(1, existing // max(duplicates, 1))
    for index in range(rows):
        if index % 20 == 0 and duplicates:
            duplicates -= 1
            number = 1 + (index * step // 20) % (existing - 1)
            kind = index // 20 % 3
            if kind == 0:
                number -= (number - 1) % 3  # an archive with a credit code
                writer.writerow([f"存量客户{number}有限公司", uscc(number), "", "", "更新"])
            elif kind == 1:
                writer.writerow([f"存量客户{number}有限公司", "", f"139{number:08d}", "", "更新"])
            else:
                writer.writerow(
                    [f"存量客户{number}有限公司", "", "", f"info{number}@existing.example.cn", "更新"]
                )
        elif index % 50 == 7 and invalid:
            invalid -= 1
            writer.writerow([f"导入客户{index}有限公司", "913100000000000000", "", "", ""])
        else:
            values = {
                "name": f"导入客户{index}有限公司",
                "archive_unified_social_credit_code": uscc(10_000_000 + index),
                "mobile": f"137{index:08d}",
                "email": f"buyer{index}@imported.example.cn",
                "archive_remarks": "新客户",
            }
            writer.writerow(list(values.values()))
            new_values.append(values)
    return output.getvalue().encode(), new_values


def clean(env):
    env.cr.execute(
        "DELETE FROM res_partner WHERE name LIKE '导入客户%%' OR (parent_id IS NULL AND name LIKE 'bench floor%%')"
    )
    env.cr.execute("DELETE FROM customer_archive_import_batch")
    env.cr.commit()


def run_import(env, rep, content, trace=False):
    Batch = env["customer.archive.import.batch"]
    wizard = (
        env["base_import.import"]
        .with_user(rep)
        .create(
            {"res_model": "res.partner", "file": content, "file_name": "bench.csv", "file_type": "text/csv"}
        )
    )
    options = {
        "has_headers": True,
        "separator": ",",
        "quoting": '"',
        "encoding": "utf-8",
        "archive_source_channel": "association",
    }
    fields = ["name", "archive_unified_social_credit_code", "mobile", "email", "archive_remarks"]
    env["ir.config_parameter"].set_param("customer_archive.import_chunk_size", str(CHUNK))
    start = time.perf_counter()
    wizard.execute_import(fields, fields, options)
    batch = Batch.search([("import_wizard_id", "=", wizard.id)])
    env.cr.commit()
    memory = []
    while batch.state in ("queued", "running"):
        tracing = trace and (not memory or batch.next_row + CHUNK >= batch.row_count)
        if tracing:
            tracemalloc.start()
        batch._import_next_chunk()
        env.cr.commit()
        env.invalidate_all()
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if tracing else None
        if tracing:
            tracemalloc.stop()
        memory.append((rss_mb(), peak))
    elapsed = time.perf_counter() - start
    return batch, elapsed, memory


def time_create(env, rep, new_values):
    """One ORM create of the valid new rows, as the rep, rolled back."""
    Partner = env["res.partner"].with_user(rep).with_context(import_file=True)
    values = [dict(vals, archive_source_channel="association", is_company=True) for vals in new_values]
    start = time.perf_counter()
    Partner.create(values)
    env.flush_all()
    elapsed = time.perf_counter() - start
    env.cr.rollback()
    env.invalidate_all()
    return elapsed


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG)])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry.new(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            rep = ensure_rep(env)
            generate(env, args.existing, rep)
            clean(env)
            content, new_values = build_file(args.rows, args.existing)
            cr.execute("SELECT count(*) FROM res_partner WHERE is_customer_archive")
            archives = cr.fetchone()[0]
            print(f"{archives} archives; importing {args.rows} rows in chunks of {CHUNK} ...", flush=True)
            batch, elapsed, memory = run_import(env, rep, content, trace=args.tracemalloc)
            print(
                f"import: {elapsed:.1f} s, {args.rows / elapsed:.0f} rows/s; created {batch.created_count}, "
                f"updated {batch.updated_count}, refused {batch.failed_count}, state {batch.state}"
            )
            rss = [round(value) for value, _peak in memory]
            peaks = [round(peak, 1) for _value, peak in memory if peak is not None]
            print(f"memory: RSS after each chunk (MB) {rss}")
            if peaks:
                print(f"memory: Python heap peak of the first and the last chunk (MB) {peaks}")
            clean(env)
            floor = time_create(env, rep, new_values)
            print(f"floor: one ORM create of the {len(new_values)} valid new rows: {floor:.1f} s")
            print(f"ratio import / create: {elapsed / floor:.2f} (goal <= 2)")
            clean(env)
    finally:
        odoo.sql_db.close_all()
        if args.drop:
            drop_database(args.db)


if __name__ == "__main__":
    main()
