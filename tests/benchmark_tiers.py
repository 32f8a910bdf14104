"""Benchmark of the ABC tier recompute against its SQL floor.

    .venv/bin/python tests/benchmark_tiers.py --size 100000 [--rounds 5] [--db bench_tiers] [--keep]

Creates (once) the database ``bench_tiers`` with ``customer_archive``
installed without demo data, generates ``--size`` customer archives (up to
1 000 000) and two transactions per archive by ``INSERT … SELECT
generate_series`` (minutes, not hours, at 1 M), then, ``--rounds`` times and
alternately from the same starting state (tiers, history, chatter empty):

1. the floor: the same tier assignment done by one plain SQL
   ``UPDATE … FROM (… percent_rank() …)`` statement (no history, no chatter,
   no access columns);
2. the full tier recompute as the nightly cron does it
   (``customer.tier.policy._cron_recompute_tiers``: the ranking once into
   the run's work table, then committed chunks of 10 000 archives through
   ``res.partner._archive_apply_tier_changes`` — bulk update, history rows,
   chatter tracking, tier date, access columns of the archives and their
   contacts, stored dependants, reschedule), called again and again as the
   re-triggered cron would be until the run is done; each call works for
   the time budget (30 s by default, ``--time-budget``).

It prints each pair with the number of calls and the longest call (wall
time, and CPU time of the Odoo process: Odoo's worker limits are 120 s real
and 60 s CPU per call), then the median and range of the ratio
recompute/floor (goal: median at most 3×; timings on a shared machine are
noisy, hence the alternation), and last a re-tiering after 10 % of the
customers changed their deal likelihood (tier changes from a tier: chatter
lines, history).

The contact-plan job is timed by its own benchmark. The database is dropped
at the end unless ``--keep`` is given. Not collected by pytest (only
``test_*.py`` files are).
"""

import argparse
import statistics
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import SQL, config

CONF = str(Path(__file__).resolve().parent.parent / ".local" / "odoo.conf")
REPS = 50
TRANSACTIONS_PER_ARCHIVE = 2
# Rows per INSERT while generating: one statement per chunk keeps each
# statement bounded at 1 M archives. The first chunk is small and every chunk
# is followed by ANALYZE: the foreign-key checks of the next INSERT are then
# planned as index lookups, not as scans of a table planned as nearly empty
# (which made 100 000 inserts take minutes).
FIRST_CHUNK = 2000
GENERATE_CHUNK = 100000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, default=100000, help="number of customer archives (up to 1000000)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="floor and recompute timed alternately, each")
    parser.add_argument("--db", default="bench_tiers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--time-budget", type=float, default=None, help="seconds per cron call (default: the setting, 30)"
    )
    return parser.parse_args()


def open_registry(db):
    config.parse_config(["-c", CONF, "-d", db, "--without-demo=all", "--log-level=warn"])
    if not db_service.exp_db_exist(db):
        print(f"creating database {db} and installing customer_archive …", flush=True)
        db_service._create_empty_database(db)
        config["init"] = {"customer_archive": 1}
        registry = Registry.new(db, update_module=True)
        config["init"] = {}
        return registry
    return Registry(db)


def generate(env, size):
    """Reps by the ORM; customers and their transactions by INSERT … SELECT
    generate_series, in chunks; the stored transaction figures by one UPDATE."""
    cr = env.cr
    cr.execute(SQL("SELECT count(*) FROM res_partner WHERE archive_number LIKE %s", "BENCH-%"))
    existing = cr.fetchone()[0]
    if existing == size:
        return
    if existing:
        cr.execute(SQL("DELETE FROM mail_activity WHERE res_model = 'res.partner'"))
        cr.execute(SQL("DELETE FROM customer_tier_history"))
        cr.execute(SQL("DELETE FROM customer_archive_transaction WHERE name LIKE %s", "BENCH-%"))
        cr.execute(SQL("DELETE FROM res_partner WHERE archive_number LIKE %s", "BENCH-%"))
    reps = env["res.users"].search([("login", "like", "bench_rep_%")])
    if not reps:
        group = env.ref("customer_archive.group_archive_user")
        reps = env["res.users"].create(
            [
                {"name": f"Bench Rep {i}", "login": f"bench_rep_{i}", "groups_id": [(6, 0, group.ids)]}
                for i in range(REPS)
            ]
        )
    china = env.ref("base.cn")
    states = env["res.country.state"].search([("country_id", "=", china.id)]).ids
    currency = env.company.currency_id.id
    env.flush_all()
    started = time.monotonic()
    cr.execute(SQL("SELECT setseed(0.42)"))
    bounds = [1, *range(FIRST_CHUNK + 1, size + 1, GENERATE_CHUNK)]
    for start, next_start in zip(bounds, [*bounds[1:], size + 1], strict=True):
        stop = next_start - 1
        cr.execute(
            SQL(
                """
                INSERT INTO res_partner
                       (id, commercial_partner_id, archive_access_restricted, archive_access_user_id,
                        archive_access_scope, name, complete_name, active, type, is_company, lang,
                        is_customer_archive, archive_number, archive_date, archive_state, user_id,
                        country_id, state_id, archive_registered_capital, archive_sales_last_year, archive_sales_two_years_ago,
                        archive_sales_three_years_ago, archive_employee_count, archive_deal_likelihood,
                        create_uid, create_date, write_uid, write_date)
                SELECT partner_id, partner_id, TRUE, (%(reps)s::int[])[1 + mod(g, %(nreps)s)], 0,
                       'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, 'contact', TRUE, 'en_US',
                       TRUE, 'BENCH-' || lpad(g::text, 7, '0'), CURRENT_DATE - mod(g, 900), 'active',
                       (%(reps)s::int[])[1 + mod(g, %(nreps)s)], %(country)s,
                       (%(states)s::int[])[1 + mod(g, %(nstates)s)],
                       round((random() ^ 3 * 1e8)::numeric, 2), round((random() ^ 2 * 5e8)::numeric, 2),
                       round((random() ^ 2 * 4e8)::numeric, 2), round((random() ^ 2 * 3e8)::numeric, 2),
                       (random() ^ 3 * 20000)::int, (random() * 100)::int,
                       1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
                  FROM (SELECT g, nextval('res_partner_id_seq') AS partner_id
                          FROM generate_series(%(start)s, %(stop)s) AS g) AS n
                """,
                reps=reps.ids,
                nreps=len(reps),
                country=china.id,
                states=states,
                nstates=len(states),
                start=start,
                stop=stop,
            )
        )
        cr.execute(
            SQL(
                """
                INSERT INTO customer_archive_transaction
                       (name, partner_id, date, currency_id, amount, user_id, breach_of_contract,
                        create_uid, write_uid, create_date, write_date)
                SELECT p.archive_number || '-' || k, p.id, CURRENT_DATE - floor(random() * 1800)::int,
                       %(currency)s, round((100 + random() ^ 4 * 5e6)::numeric, 2), p.user_id,
                       random() < 0.02, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM res_partner p, generate_series(1, %(per_archive)s) AS k
                 WHERE p.archive_number BETWEEN %(first)s AND %(last)s
                """,
                currency=currency,
                per_archive=TRANSACTIONS_PER_ARCHIVE,
                first=f"BENCH-{start:07d}",
                last=f"BENCH-{stop:07d}",
            )
        )
        for table in ("res_partner", "customer_archive_transaction"):
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        cr.commit()
        print(f"  {stop} archives …", flush=True)
    # The stored transaction figures, as _compute_transaction_figures stores them.
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET archive_transaction_total = t.total, archive_transaction_count = t.n, archive_transaction_average = t.total / t.n,
                   archive_first_transaction_date = t.first_date, archive_last_transaction_date = t.last_date,
                   archive_transaction_frequency = t.n / GREATEST((t.last_date - t.first_date) / 365.25, 1.0),
                   archive_breach_count = t.breaches
              FROM (SELECT partner_id, sum(amount) AS total, count(*) AS n, min(date) AS first_date,
                           max(date) AS last_date, count(*) FILTER (WHERE breach_of_contract) AS breaches
                      FROM customer_archive_transaction GROUP BY partner_id) AS t
             WHERE p.id = t.partner_id
            """
        )
    )
    cr.commit()
    print(
        f"generated {size} archives and {size * TRANSACTIONS_PER_ARCHIVE} transactions by SQL "
        f"in {time.monotonic() - started:.1f}s",
        flush=True,
    )


def vacuum(registry):
    """Dead rows of the previous round out of the way, fresh statistics."""
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in ("res_partner", "customer_tier_history", "mail_message", "mail_tracking_value"):
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))


def reset(env, registry):
    """Tiers, history, tracking and plan back to empty."""
    cr = env.cr
    cr.execute(
        SQL("DELETE FROM mail_activity WHERE res_model = 'res.partner' AND archive_plan_kind IS NOT NULL")
    )
    cr.execute(SQL("DELETE FROM customer_tier_history"))
    cr.execute(
        SQL(
            """DELETE FROM mail_message WHERE model = 'res.partner'
                AND id IN (SELECT mail_message_id FROM mail_tracking_value)"""
        )
    )
    cr.execute(
        SQL(
            """UPDATE res_partner SET archive_tier = NULL, archive_tier_score = NULL, archive_tier_date = NULL,
                      archive_access_tier = NULL, archive_access_scope = 0,
                      archive_next_contact_date = NULL, archive_next_review_date = NULL
                WHERE is_customer_archive"""
        )
    )
    cr.commit()
    env.invalidate_all()
    vacuum(registry)


def run_in_calls(label, call):
    """``call`` (one call of a chunked cron, True when its run is done)
    again and again, as the re-triggered cron would be, until the run is
    done. Prints and returns the total time and [(wall, CPU)] per call: the
    CPU time is this process's (Odoo's limit_time_cpu counts the worker's,
    not PostgreSQL's)."""
    calls = []
    started = time.monotonic()
    done = False
    while not done:
        wall, cpu = time.monotonic(), time.process_time()
        done = call()
        calls.append((time.monotonic() - wall, time.process_time() - cpu))
    total = time.monotonic() - started
    print(
        f"{label}: {total:.2f}s in {len(calls)} calls, longest call {max(c[0] for c in calls):.1f}s wall / "
        f"{max(c[1] for c in calls):.2f}s CPU (limits 120 s real / 60 s CPU)",
        flush=True,
    )
    return total, calls


def timed(label, function):
    started = time.monotonic()
    result = function()
    elapsed = time.monotonic() - started
    print(f"{label}: {elapsed:.2f}s", flush=True)
    return elapsed, result


def main():
    args = parse_args()
    registry = open_registry(args.db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            generate(env, args.size)
            cr.commit()
            policy = env["customer.tier.policy"]._get_active_policy()
            ranking = policy._ranking_query()

            def floor():
                cr.execute(
                    SQL(
                        "UPDATE res_partner p SET archive_tier = r.new_tier, archive_tier_score = r.score "
                        "FROM (%s) r WHERE p.id = r.id",
                        ranking,
                    )
                )
                return cr.rowcount

            Policy = env["customer.tier.policy"]
            Run = env["customer.archive.batch.run"]

            def recompute():
                return Policy._cron_recompute_tiers(time_budget=args.time_budget, commit=True)

            pairs = []
            longest = (0.0, 0.0)
            if not args.rounds:
                print("generated; no round timed (--rounds 0)")
                return
            for round_ in range(1, args.rounds + 1):
                reset(env, registry)
                floor_time, floor_rows = timed(
                    f"round {round_}: SQL floor, one UPDATE … percent_rank()", floor
                )
                cr.commit()
                reset(env, registry)
                recompute_time, calls = run_in_calls(
                    f"round {round_}: full tier recompute, chunked", recompute
                )
                changed = Run.search([("job", "=", "tier_recompute")], limit=1).changed_count
                longest = max(longest[0], max(c[0] for c in calls)), max(longest[1], max(c[1] for c in calls))
                pairs.append((floor_time, recompute_time, len(calls)))
                print(f"round {round_}: ratio {recompute_time / floor_time:.2f}x", flush=True)
            cr.execute(
                SQL("SELECT archive_tier, count(*) FROM res_partner WHERE is_customer_archive GROUP BY 1")
            )
            shares = dict(cr.fetchall())
            cr.execute(SQL("SELECT count(*) FROM customer_tier_history"))
            history_rows = cr.fetchone()[0]

            cr.execute(
                SQL(
                    """UPDATE res_partner SET archive_deal_likelihood = (random() * 100)::int
                        WHERE is_customer_archive AND mod(id, 10) = 0"""
                )
            )
            cr.commit()
            env.invalidate_all()
            retier_time, retier_calls = run_in_calls(
                "re-tiering after 10 % changed their likelihood (history, chatter, reschedule)", recompute
            )
            retiered = Run.search([("job", "=", "tier_recompute")], limit=1).changed_count

        ratios = [recompute / floor for floor, recompute, _calls in pairs]
        print()
        print(f"archives: {args.size}, transactions: {args.size * TRANSACTIONS_PER_ARCHIVE}, tiers {shares}")
        print(f"SQL floor ({floor_rows} rows): median {statistics.median(p[0] for p in pairs):.2f}s")
        print(
            f"full recompute, chunked ({changed} tiers set, {history_rows} history rows): "
            f"median {statistics.median(p[1] for p in pairs):.2f}s in {statistics.median(p[2] for p in pairs)} "
            f"calls; longest call of all rounds {longest[0]:.1f}s wall / {longest[1]:.2f}s CPU "
            "(limits 120 s real / 60 s CPU)"
        )
        print(
            f"ratio recompute/floor over {len(pairs)} alternated rounds: median {statistics.median(ratios):.2f}x, "
            f"range {min(ratios):.2f}–{max(ratios):.2f}x (goal <= 3x)"
        )
        print(f"re-tiering: {retier_time:.2f}s in {len(retier_calls)} calls, {retiered} tiers changed")
    finally:
        if not args.keep:
            Registry.delete(args.db)
            db_service.exp_drop(args.db)
            print(f"database {args.db} dropped")


if __name__ == "__main__":
    main()
