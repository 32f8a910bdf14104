#!/usr/bin/env python3
"""Benchmark of the customer pool's nightly auto-return job at 100 000 archives.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_pool.py --size 100000 --drop

It uses its own database (``--db``, default ``bench_pool``): created with
both addons and no demo data when missing, reused otherwise. It generates
``--size`` archives with set-based SQL (tiers A/B/C 20/40/40 %, five
departments each with its pool, twenty reps, one key person each, a
follow-up on every other archive; the duplicate trigger off during the
load, the completeness computed by the ORM afterwards): 30 % are idle (held 60 days without a
follow-up or transaction), 5 % are 2 days before their return (warned),
the others were followed up recently. Then it times, each run in a
transaction rolled back afterwards:

1. the job as the scheduler runs it (``customer.archive.pool._cron_auto_return``
   of all pools, calls of ``--budget`` seconds in batches of ``--batch``
   returns, savepoints instead of commits): warnings, A-class
   confirmations, returns with their history rows and chatter lines, the
   access columns of the archives and key persons, their completeness
   (score, missing fields, band) written by the return statement, and the
   ORM told of the changed reps;
2. the SQL floor: one plain ``UPDATE`` that takes the rep of the same idle
   archives away, and one that clears the access column of their key
   persons, with the same due condition (no history, no chatter, no
   warnings, no ORM).

Floor and job alternate (each one first in every other round), after one
untimed warm-up of the job (the first call of a process loads its texts in
every language). It prints the medians, the ratio job/floor (goal: at most
3), and the longest call of the cron method in real and CPU time against
Odoo's worker limits.
``--drop`` drops the database (and its filestore) at the end.
"""

import argparse
import statistics
import time

from benchmark_common import CONFIG, database_exists, drop_database, install_database

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

DEPARTMENTS = 5
REPS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000, help="number of archives to generate")
    parser.add_argument("--db", default="bench_pool", help="database (created when missing)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each")
    parser.add_argument("--batch", type=int, help="returns per batch (default: the job's RETURN_BATCH)")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="time budget of a call (the job's default, seconds)"
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def ensure_people(env):
    """Five departments with a pool each, twenty reps with an employee each."""
    departments = env["hr.department"].search([("name", "=like", "Bench pool department %")], order="name")
    if not departments:
        departments = env["hr.department"].create(
            [{"name": f"Bench pool department {index}"} for index in range(DEPARTMENTS)]
        )
        env["customer.archive.pool"].create(
            [
                {
                    "name": f"Bench pool {index}",
                    "member_department_ids": [(6, 0, department.ids)],
                    "manager_id": env.ref("base.user_admin").id,
                    "return_days_without_followup": 30,
                    "return_days_without_transaction": 90,
                    "warning_days": 3,
                }
                for index, department in enumerate(departments)
            ]
        )
    reps = env["res.users"].search([("login", "=like", "bench_pool_rep_%")], order="login")
    if not reps:
        group = env.ref("customer_archive.group_archive_user")
        reps = env["res.users"].create(
            [
                {
                    "name": f"Bench pool rep {index}",
                    "login": f"bench_pool_rep_{index}",
                    "groups_id": [(6, 0, group.ids)],
                }
                for index in range(REPS)
            ]
        )
        env["hr.employee"].create(
            [
                {"name": rep.name, "user_id": rep.id, "department_id": departments[index % DEPARTMENTS].id}
                for index, rep in enumerate(reps)
            ]
        )
    pools = env["customer.archive.pool"].search([("name", "=like", "Bench pool %")], order="name")
    return departments, pools, reps


def generate(env, size):
    departments, pools, reps = ensure_people(env)
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE is_customer_archive")
    if cr.fetchone()[0] >= size:
        return
    print(f"generating {size} archives ...", flush=True)
    # The foreign-key checks of the inserts run a query per row planned on
    # the (still tiny) table's statistics: index scans, not sequential ones.
    cr.execute("SET LOCAL enable_seqscan = off")
    # The rows carry no duplicate keys (no two archives share one): the
    # trigger that keeps the duplicate flag, a lookup per inserted row, is
    # off during the load (as in benchmark_scale.py).
    cr.execute("ALTER TABLE res_partner DISABLE TRIGGER customer_archive_duplicate_flags_insert")
    cr.execute("SELECT COALESCE(max(id), 0) + 1 FROM res_partner")
    first_id = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                id, commercial_partner_id, commercial_company_name,
                name, complete_name, type, active, is_company, lang, partner_share,
                is_customer_archive, archive_number, archive_date, archive_state, archive_tier,
                archive_department_id, archive_pool_id, archive_pool_owner_date, user_id, phone, email,
                archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope,
                create_uid, write_uid, create_date, write_date
            )
            SELECT partner_id, partner_id, nm,
                   nm, nm, 'contact', TRUE, TRUE, 'zh_CN', TRUE,
                   TRUE, 'BP-' || lpad(n::text, 7, '0'), CURRENT_DATE - 400, 'active', tier,
                   (%(departments)s::int[])[1 + d], (%(pools)s::int[])[1 + d],
                   CASE WHEN mod(n, 100) < 30 THEN CURRENT_DATE - 60      -- idle: due
                        WHEN mod(n, 100) < 35 THEN CURRENT_DATE - 28      -- warned
                        ELSE CURRENT_DATE - 5 END,
                   user_id, '021-' || lpad(n::text, 8, '0'), 'info' || n || '@customer.example.cn',
                   TRUE, tier, user_id, CASE WHEN tier = 'a' THEN -1 ELSE (%(departments)s::int[])[1 + d] END,
                   1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (
                SELECT nextval('res_partner_id_seq') AS partner_id, n, '公海测试客户' || n || '有限公司' AS nm,
                       (ARRAY['a', 'b', 'b', 'c', 'c'])[1 + mod(n / 100, 5)] AS tier,
                       mod(n / 7, %(dcount)s) AS d,
                       (%(reps)s::int[])[1 + mod(n / 3, %(rcount)s)] AS user_id
                  FROM generate_series(1, %(size)s) AS n
              ) AS numbers
            """,
            departments=departments.ids,
            pools=pools.ids,
            dcount=len(departments),
            reps=reps.ids,
            rcount=len(reps),
            size=size,
        )
    )
    cr.execute("ALTER TABLE res_partner ENABLE TRIGGER customer_archive_duplicate_flags_insert")
    cr.execute("ANALYZE res_partner")
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (
                name, complete_name, type, active, is_company, lang, partner_share, parent_id,
                commercial_partner_id, commercial_company_name, is_customer_archive, archive_key_person_role,
                phone, archive_access_restricted, archive_access_tier, archive_access_user_id,
                archive_access_scope, create_uid, write_uid, create_date, write_date
            )
            SELECT '联系人' || p.id, p.name || ', 联系人' || p.id, 'contact', TRUE, FALSE, 'zh_CN', TRUE, p.id,
                   p.id, p.name, FALSE, 'main_contact', '010-' || lpad(p.id::text, 8, '0'),
                   TRUE, p.archive_tier, p.user_id, p.archive_access_scope,
                   1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM res_partner p
             WHERE p.id >= %(first)s AND p.is_customer_archive
            """,
            first=first_id,
        )
    )
    # a follow-up on every other archive: 60 days ago on the idle ones, 3 days ago on the others
    cr.execute(
        SQL(
            """
            INSERT INTO customer_archive_interaction (partner_id, date, interaction_type, summary, user_id,
                                                      create_uid, write_uid, create_date, write_date)
            SELECT p.id, CASE WHEN p.archive_pool_owner_date < CURRENT_DATE - 30 THEN now() - interval '60 days'
                              ELSE now() - interval '3 days' END,
                   'call', '电话回访', p.user_id, 1, 1, now(), now()
              FROM res_partner p
             WHERE p.id >= %(first)s AND p.is_customer_archive AND mod(p.id, 2) = 0
            """,
            first=first_id,
        )
    )
    # the stored completeness of the new archives, as the ORM computes it
    cr.execute("RESET enable_seqscan")
    cr.execute(SQL("SELECT id FROM res_partner WHERE id >= %s AND is_customer_archive ORDER BY id", first_id))
    ids = [row[0] for row in cr.fetchall()]
    Partner = env["res.partner"]
    for start in range(0, len(ids), 20000):
        env.add_to_compute(
            Partner._fields["archive_completeness"], Partner.browse(ids[start : start + 20000])
        )
        env.add_to_compute(
            Partner._fields["archive_missing_field_names"], Partner.browse(ids[start : start + 20000])
        )
        Partner.flush_model(["archive_completeness", "archive_missing_field_names"])
        env.invalidate_all()
    cr.commit()


def vacuum(registry):
    """What autovacuum does after a bulk load (VACUUM runs outside a transaction)."""
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in ("res_partner", "customer_archive_interaction"):
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))


def due_archives():
    """The ids of the idle archives the job returns (A-class ones wait for a confirmation)."""
    return SQL(
        """
        SELECT p.id FROM res_partner p
          JOIN customer_archive_pool pool ON pool.id = p.archive_pool_id
          LEFT JOIN LATERAL (SELECT max(i.date)::date AS last_date FROM customer_archive_interaction i
                              WHERE i.partner_id = p.id) f ON TRUE
         WHERE p.is_customer_archive AND p.active AND p.parent_id IS NULL AND p.user_id IS NOT NULL
           AND p.archive_tier IS DISTINCT FROM 'a'
           AND LEAST(GREATEST(p.archive_pool_owner_date, f.last_date) + pool.return_days_without_followup,
                     GREATEST(p.archive_pool_owner_date, p.archive_last_transaction_date)
                     + pool.return_days_without_transaction) <= CURRENT_DATE
        """
    )


def idle_floor(cr):
    """The plain SQL of the same returns: rep and key persons' access taken away."""
    cr.execute(
        SQL(
            "UPDATE res_partner SET user_id = NULL, archive_access_user_id = NULL WHERE id IN (%s) RETURNING id",
            due_archives(),
        )
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(SQL("UPDATE res_partner SET archive_access_user_id = NULL WHERE parent_id = ANY(%s)", ids))
    return len(ids)


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", str(CONFIG)])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    if args.batch is None:
        from odoo.addons.customer_archive.models.customer_archive_pool import RETURN_BATCH

        args.batch = RETURN_BATCH
    with registry.cursor() as cr:
        generate(api.Environment(cr, SUPERUSER_ID, {}), args.size)
    vacuum(registry)
    with registry.cursor() as cr:
        cr.execute(SQL("SELECT count(*) FROM (%s) AS due", due_archives()))
        expected = cr.fetchone()[0]
    job_times, floor_times, orm_times, calls = [], [], [], []
    # How much of the job is the ORM's follow-up of the changed reps (timed
    # around the job's own method, which runs unchanged).
    partner_class = registry["res.partner"]
    after_return = partner_class._archive_pool_after_sql_return

    def timed_after_return(records, key_persons, **kwargs):
        started = time.perf_counter()
        after_return(records, key_persons, **kwargs)
        orm_times[-1] += time.perf_counter() - started

    partner_class._archive_pool_after_sql_return = timed_after_return

    def run_job():
        """The job as the scheduler runs it: calls of the cron method (each
        within its time budget, batches in savepoints instead of commits)
        until every due archive is back. Returns the number returned."""
        returned = 0
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pools = env["customer.archive.pool"].search([("name", "=like", "Bench pool %")])
            while returned < expected:
                wall, cpu = time.perf_counter(), time.process_time()
                batch = pools._cron_auto_return(commit=False, time_budget=args.budget, batch_size=args.batch)
                calls.append((time.perf_counter() - wall, time.process_time() - cpu))
                if not batch:
                    break
                returned += len(batch)
            cr.rollback()
        return returned

    def run_floor():
        with registry.cursor() as cr:
            count = idle_floor(cr)
            cr.rollback()
        return count

    # the first call of a process loads the job's texts in every language
    orm_times.append(0.0)
    started = time.perf_counter()
    run_job()
    print(f"warm-up: job {time.perf_counter() - started:.2f}s", flush=True)
    calls.clear()
    for index in range(args.runs):
        orm_times.append(0.0)
        # floor and job alternated, each one first in every other round
        for which in ("floor", "job") if index % 2 else ("job", "floor"):
            # each one from a vacuumed table (the rolled back rounds leave dead rows)
            vacuum(registry)
            started = time.perf_counter()
            if which == "job":
                returned = run_job()
                job_times.append(time.perf_counter() - started)
            else:
                floor_count = run_floor()
                floor_times.append(time.perf_counter() - started)
        print(
            f"round {index + 1}: job {job_times[-1]:.2f}s ({returned} returned; of which the ORM's follow-up "
            f"{orm_times[-1]:.2f}s), floor {floor_times[-1]:.2f}s ({floor_count} returned), "
            f"ratio {job_times[-1] / floor_times[-1]:.2f}",
            flush=True,
        )
    orm_times = orm_times[1:]
    job, floor, orm = (
        statistics.median(job_times),
        statistics.median(floor_times),
        statistics.median(orm_times),
    )
    print(
        f"auto-return at {args.size} archives ({expected} due): job {job:.2f}s (of which the ORM's follow-up "
        f"{orm:.2f}s), SQL floor {floor:.2f}s, ratio {job / floor:.2f} (goal <= 3); medians of {args.runs} rounds; "
        f"median of the rounds' ratios {statistics.median(j / f for j, f in zip(job_times, floor_times, strict=True)):.2f}"
    )
    print(
        f"longest call of the cron method: {max(wall for wall, _cpu in calls):.2f}s real, "
        f"{max(cpu for _wall, cpu in calls):.2f}s CPU of the Odoo process "
        f"(worker limits: limit_time_real 120 s, limit_time_cpu 60 s; time budget {args.budget:g} s, "
        f"{len(calls) / args.runs:g} calls a run)"
    )
    if args.drop:
        registry = None
        drop_database(args.db)


if __name__ == "__main__":
    main()
