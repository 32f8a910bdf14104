#!/usr/bin/env python3
"""Benchmark of the data protection (PIPL) of the customer archive.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_privacy.py --size 2000
    .venv/bin/python tests/benchmark_privacy.py --size 100000 --drop

It uses its own database (``--db``, default ``bench_privacy``), generated as
``benchmark_archive.py`` does (N archives with a key contact and 10
transactions each), then measures

1. the archive form with encrypted fields: ``web_read`` of the form's fields
   of one individual archive with the resident ID number, bank account
   number and family situation (decrypted, and the unmasked read audited)
   against the same read without those three fields, and ``web_save`` of
   the three encrypted fields against three plain fields of the same kind
   (reference, job position, notes), as a user of the group Sensitive Data;
   the ratio (goal ≤ 1.2);
2. the contact-list XLSX of all archives exported by a marketing manager
   without the group Sensitive Data (phones masked 138****5678) against
   the same export by a marketing manager with it (plain phones); the
   ratio (goal ≤ 1.3).

"Today" (before the encryption) is measured by running this same script on
a checkout of the commit before it (``git archive <commit> | tar -x -C DIR``,
``DIR/.venv`` a link to the virtualenv, ``DIR/.local/odoo.conf`` with
``addons_path = DIR``): its "with the 3 fields" figures are the plain
baseline of this branch's.
"""

import argparse
import os
import statistics
import time

from benchmark_archive import export_contact_list, generate
from benchmark_common import CONFIG, database_exists, drop_database, install_database
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api


def valid_ids():
    """Valid ID numbers of one birth date and gender: saving them changes the
    encrypted field, not the birth date and gender the ID number also sets."""
    from odoo.addons.customer_archive.tools import identity  # the addons path is set by then

    birth = "11010519491231"
    return tuple(
        f"{birth}{sequence:03d}{identity.resident_id_check_digit(f'{birth}{sequence:03d}')}"
        for sequence in range(2, 200, 2)
    )


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="number of archives to generate")
    parser.add_argument("--db", default="bench_privacy", help="database (created when missing)")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each form read and save")
    return parser.parse_args()


def ensure_user(env, login, groups):
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    user = Users.search([("login", "=", login)])
    if not user:
        user = Users.create(
            {"name": login, "login": login, "groups_id": [(6, 0, [env.ref(group).id for group in groups])]}
        )
    return user


def form_specification(env):
    Partner = env["res.partner"]
    arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        if name not in Partner._fields or node.getparent().tag in ("list", "kanban"):
            continue
        field = Partner._fields[name]
        spec[name] = {"fields": {"display_name": {}}} if field.relational else {}
    return spec


def median_times(first, second, runs):
    """Medians of ``runs`` alternating runs of two functions: the machine's
    load changes both alike."""
    timings = ([], [])
    for attempt in range(runs + 1):
        for function, measured in zip((first, second), timings, strict=True):
            start = time.perf_counter()
            function(attempt)
            elapsed = time.perf_counter() - start
            if attempt:  # the first run warms the caches up
                measured.append(elapsed)
    return statistics.median(timings[0]), statistics.median(timings[1])


def benchmark_form(env, runs):
    ids = valid_ids()
    sensitive = ensure_user(
        env,
        "bench_privacy_sensitive",
        [
            "base.group_user",
            "base.group_partner_manager",
            "customer_archive.group_archive_marketing_manager",
            "customer_archive.group_archive_sensitive",
        ],
    )
    person = env["res.partner"].create(
        {
            "name": "基准测试个人客户",
            "archive_sensitive_consent_given": True,
            "archive_sensitive_consent_method": "call",
            "archive_resident_id_number": ids[0],
            "archive_bank_account_number": "6222 0200 3300 4400",
            "archive_family_situation": "已婚,一子一女",
            "ref": "REF-0001",
            "function": "总经理",
            "comment": "<p>喜欢晚上联系</p>",
        }
    )
    env.cr.commit()
    user_env = env(user=sensitive.id)
    spec = form_specification(user_env)
    encrypted = ("archive_resident_id_number", "archive_bank_account_number", "archive_family_situation")
    plain_spec = {name: value for name, value in spec.items() if name not in encrypted}
    record = person.with_env(user_env)

    def read(spec):
        def run(_attempt):
            user_env.invalidate_all()
            record.web_read(spec)

        return run

    read_encrypted, read_plain = median_times(read(spec), read(plain_spec), runs)

    def save(values_of):
        def run(attempt):
            user_env.invalidate_all()
            record.web_save(values_of(attempt), {"display_name": {}})

        return run

    save_encrypted, save_plain = median_times(
        save(
            lambda attempt: {
                "archive_resident_id_number": ids[(attempt + 1) % len(ids)],
                "archive_bank_account_number": f"6222 0200 3300 {attempt:04d}",
                "archive_family_situation": f"已婚,{attempt} 个孩子",
            }
        ),
        save(
            lambda attempt: {
                "ref": f"REF-{attempt:04d}",
                "function": f"总经理 {attempt}",
                "comment": f"<p>第 {attempt} 次备注</p>",
            }
        ),
        runs,
    )
    env.cr.rollback()
    print(
        f"archive form web_read ({len(spec)} fields) as a Sensitive Data user: with the 3 encrypted fields "
        f"{read_encrypted * 1000:.1f} ms, without them {read_plain * 1000:.1f} ms, "
        f"ratio {read_encrypted / read_plain:.2f}",
        flush=True,
    )
    print(
        f"archive form web_save of 3 encrypted fields {save_encrypted * 1000:.1f} ms, of 3 plain fields "
        f"{save_plain * 1000:.1f} ms, ratio {save_encrypted / save_plain:.2f}",
        flush=True,
    )


def benchmark_export(env):
    base = [
        "base.group_user",
        "base.group_partner_manager",
        "customer_archive.group_archive_marketing_manager",
    ]
    masked_user = ensure_user(env, "bench_privacy_marketing", base)
    plain_user = ensure_user(
        env, "bench_privacy_marketing_sensitive", [*base, "customer_archive.group_archive_sensitive"]
    )
    env.cr.commit()
    results = {}
    for label, user in (("plain", plain_user), ("masked", masked_user), ("plain again", plain_user)):
        user_env = env(user=user.id, context={"lang": "en_US", "tz": "UTC"})
        count, elapsed, _peak, _rss, size = export_contact_list(user_env, measure_python_memory=False)
        results.setdefault(label.split()[0], []).append(elapsed)
        print(
            f"contact list XLSX of {count} archives, phones {label}: {elapsed:.1f} s, {size / 1048576:.1f} MiB",
            flush=True,
        )
    plain = min(results["plain"])
    masked = results["masked"][0]
    print(f"contact list XLSX masked / plain: ratio {masked / plain:.2f}", flush=True)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG), "-d", args.db, "--log-level=warn"])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE is_customer_archive")
        existing = cr.fetchone()[0]
        if existing < args.size:
            start = time.perf_counter()
            generate(env, args.size - existing)
            cr.commit()
            print(
                f"generated {args.size - existing} archives in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        benchmark_form(env, args.runs)
        benchmark_export(env)
    if args.drop:
        drop_database(args.db)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
