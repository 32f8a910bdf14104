#!/usr/bin/env python3
"""Benchmark of the daily contact-plan job (customer.contact.plan._cron_run).

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_contact_plan.py --size 100000 [--overdue 0.3] [--drop]
    .venv/bin/python tests/benchmark_contact_plan.py --size 1000000
    .venv/bin/python tests/benchmark_contact_plan.py --size 100000 --prepare-cron

It uses its own database (``--db``, default ``bench_contact_plan``): created
with both addons and no demo data when missing, reused otherwise. It
generates ``--size`` customer archives by set-based SQL (tiers A/B/C 20/40/40
%, fifty reps in five teams, each team's employees under a manager), of which
``--overdue`` (default 30 %) were last called, visited and reviewed long ago:
their call, visit and review are overdue once planned and are escalated to
the manager. Then it runs the job as the cron worker does (call after call,
each with the default time budget, until the run is done; every chunk
committed) and prints:

1. the job on an empty plan: total time, calls, items planned and escalated
   (goal at 1 M: under 10 min);
2. the job again when nothing is due (goal at 1 M: under 30 s);
3. the longest single transaction (chunk) of both, wall clock and CPU time of
   the Odoo process (goal: well under ``limit_time_cpu`` = 60 s), and the
   longest call (goal: under ``limit_time_real`` = 120 s).

``--prepare-cron`` instead empties the plan and makes the plan cron due (its
``nextcall`` in the past), so a production-mode Odoo started on the database
(``.venv/bin/odoo -c .local/odoo.conf -d bench_contact_plan --workers=2
--max-cron-threads=1``, default limits) runs the job; its log shows each call
("Contact plan run …"). ``--drop`` drops the database at the end.
"""

import argparse
import time

from benchmark_common import CONFIG, database_exists, drop_database, install_database

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

TEAMS = 5
REPS_PER_TEAM = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000, help="number of archives to generate")
    parser.add_argument("--overdue", type=float, default=0.3, help="share of the archives with overdue items")
    parser.add_argument("--db", default="bench_contact_plan", help="database (created when missing)")
    parser.add_argument("--prepare-cron", action="store_true", help="empty the plan, make the cron due, exit")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def ensure_people(env):
    """Five managers, each with ten reps (employees under the manager's)."""
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    reps = Users.search([("login", "=like", "bench_plan_rep_%")], order="id")
    if reps:
        return reps
    group = env.ref("customer_archive.group_archive_user")
    for team in range(TEAMS):
        manager = Users.create(
            {"name": f"经理 {team}", "login": f"bench_plan_manager_{team}", "groups_id": [(6, 0, group.ids)]}
        )
        boss = env["hr.employee"].create({"name": manager.name, "user_id": manager.id})
        members = Users.create(
            [
                {
                    "name": f"业务员 {team}-{i}",
                    "login": f"bench_plan_rep_{team}_{i}",
                    "groups_id": [(6, 0, group.ids)],
                }
                for i in range(REPS_PER_TEAM)
            ]
        )
        env["hr.employee"].create(
            [{"name": rep.name, "user_id": rep.id, "parent_id": boss.id} for rep in members]
        )
        reps |= members
    return reps


def generate(env, size, overdue):
    cr = env.cr
    reps = ensure_people(env)
    cr.execute("SELECT count(*) FROM res_partner WHERE archive_number LIKE 'BP-%'")
    if cr.fetchone()[0] == size:
        return
    reset_plan(env)
    cr.execute("DELETE FROM res_partner WHERE archive_number LIKE 'BP-%'")
    china = env.ref("base.cn")
    env.flush_all()
    started = time.monotonic()
    # g % 100 < overdue * 100: contacted long ago (call, visit, review overdue);
    # the others were called, visited and reviewed in the last days.
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner
                   (id, commercial_partner_id, archive_access_restricted, archive_access_user_id,
                    archive_access_scope, name, complete_name, active, type, is_company, lang,
                    is_customer_archive, archive_number, archive_date, archive_state, archive_tier,
                    user_id, country_id, archive_last_call_date, archive_last_visit_date,
                    archive_last_news_date, archive_last_review_date,
                    create_uid, create_date, write_uid, write_date)
            SELECT n.id, n.id, TRUE, n.rep, 0, '计划客户 ' || g, '计划客户 ' || g, TRUE, 'contact', TRUE, 'zh_CN',
                   TRUE, 'BP-' || lpad(g::text, 7, '0'), CURRENT_DATE - 1000, 'active',
                   CASE WHEN mod(g, 5) = 0 THEN 'a' WHEN mod(g, 5) IN (1, 2) THEN 'b' ELSE 'c' END,
                   n.rep, %(country)s,
                   CURRENT_DATE - CASE WHEN n.late THEN 60 ELSE mod(g, 3) END,
                   CURRENT_DATE - CASE WHEN n.late THEN 400 ELSE mod(g, 7) END,
                   CURRENT_DATE - CASE WHEN n.late THEN 90 ELSE mod(g, 5) END,
                   CURRENT_DATE - CASE WHEN n.late THEN 800 ELSE mod(g, 9) END,
                   1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
              FROM (SELECT g, nextval('res_partner_id_seq') AS id,
                           (%(reps)s::int[])[1 + mod(g / 100, %(nreps)s)] AS rep,
                           mod(g, 100) < %(late)s AS late
                      FROM generate_series(1, %(size)s) AS g) AS n
            """,
            reps=reps.ids,
            nreps=len(reps),
            country=china.id,
            late=round(overdue * 100),
            size=size,
        )
    )
    cr.execute("ANALYZE res_partner")
    cr.commit()
    env.invalidate_all()
    print(f"generated {size} archives by SQL in {time.monotonic() - started:.1f}s", flush=True)


def reset_plan(env):
    """No planned item, no escalation, no run: the plan of a new database."""
    cr = env.cr
    cr.execute(
        """DELETE FROM mail_activity WHERE res_model = 'res.partner'
            AND (archive_plan_kind IS NOT NULL OR archive_escalated_activity_id IS NOT NULL)"""
    )
    cr.execute("DELETE FROM customer_contact_plan")
    cr.execute("DELETE FROM mail_message WHERE model IS NULL AND message_type = 'user_notification'")
    cr.execute(
        """UPDATE res_partner SET archive_next_contact_date = NULL, archive_next_review_date = NULL
            WHERE archive_next_contact_date IS NOT NULL OR archive_next_review_date IS NOT NULL"""
    )
    cr.execute("DELETE FROM ir_cron_trigger")
    cr.commit()
    env.invalidate_all()


def run_job(registry, label):
    """Call the job until its run is done, as the cron worker does; time
    each call and each chunk (between two commits) in wall clock and CPU."""
    Plan = registry["customer.contact.plan"]
    chunks = []
    original_commit = Plan._commit

    def timed_commit(self):
        original_commit(self)
        now = (time.monotonic(), time.process_time())
        chunks.append((now[0] - marks[0][0], now[1] - marks[0][1]))
        marks[0] = now

    calls = []
    started = time.monotonic()
    Plan._commit = timed_commit
    try:
        done = False
        while not done:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                marks = [(time.monotonic(), time.process_time())]
                call_started = marks[0]
                done = env["customer.contact.plan"]._cron_run()
                calls.append((time.monotonic() - call_started[0], time.process_time() - call_started[1]))
    finally:
        Plan._commit = original_commit
    total = time.monotonic() - started
    with registry.cursor() as cr:
        cr.execute(
            """SELECT COALESCE(planned_count, 0), COALESCE(escalated_count, 0), COALESCE(notified_count, 0)
                 FROM customer_contact_plan ORDER BY id DESC LIMIT 1"""
        )
        planned, escalated, notified = cr.fetchone()
        cr.execute("SELECT count(*) FROM mail_activity WHERE active AND archive_plan_kind IS NOT NULL")
        open_items = cr.fetchone()[0]
    longest_chunk = max(chunks, default=(0, 0))
    longest_call = max(calls, default=(0, 0))
    print(
        f"{label}: {total:.1f}s in {len(calls)} calls, {len(chunks)} chunks; {planned} archives planned, "
        f"{escalated} items escalated, {notified} manager messages; {open_items} open items; "
        f"longest chunk {longest_chunk[0]:.2f}s wall / {max((c[1] for c in chunks), default=0):.2f}s CPU, "
        f"longest call {longest_call[0]:.2f}s wall / {max(c[1] for c in calls):.2f}s CPU",
        flush=True,
    )
    return {
        "total": total,
        "calls": len(calls),
        "chunks": len(chunks),
        "chunk_wall": max((c[0] for c in chunks), default=0),
        "chunk_cpu": max((c[1] for c in chunks), default=0),
        "call_wall": max(c[0] for c in calls),
        "call_cpu": max(c[1] for c in calls),
        "planned": planned,
        "escalated": escalated,
        "notified": notified,
    }


def prepare_cron(env):
    reset_plan(env)
    cron = env.ref("customer_archive.ir_cron_customer_contact_plan")
    env.cr.execute(
        "UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' - interval '1 minute', active = TRUE WHERE id = %s",
        [cron.id],
    )
    env.cr.commit()
    print(f"plan emptied; cron {cron.id} ({cron.name}) is due: start a multi-worker Odoo on {env.cr.dbname}")


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG)])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate(env, args.size, args.overdue)
        if args.prepare_cron:
            prepare_cron(env)
            return
        reset_plan(env)
    try:
        empty = run_job(registry, "plan job, empty plan")
        again = run_job(registry, "plan job, nothing due")
        print()
        print(f"archives: {args.size}, overdue: {args.overdue:.0%}")
        print(
            f"empty plan: {empty['total']:.1f}s (goal at 1 M <= 600 s), {empty['calls']} calls, "
            f"{empty['planned']} archives planned, {empty['escalated']} escalated, "
            f"{empty['notified']} manager messages"
        )
        print(f"nothing due: {again['total']:.1f}s (goal at 1 M <= 30 s), {again['calls']} calls")
        print(
            f"longest chunk: {max(empty['chunk_wall'], again['chunk_wall']):.2f}s wall, "
            f"{max(empty['chunk_cpu'], again['chunk_cpu']):.2f}s CPU (goal well under 60 s CPU); "
            f"longest call: {max(empty['call_wall'], again['call_wall']):.2f}s wall (limit 120 s), "
            f"{max(empty['call_cpu'], again['call_cpu']):.2f}s CPU (limit 60 s)"
        )
    finally:
        if args.drop:
            drop_database(args.db)


if __name__ == "__main__":
    main()
