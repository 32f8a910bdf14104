"""Benchmark of the ABC tier recompute.

    .venv/bin/python tests/benchmark_tiers.py --size 100000 [--db bench_tiers] [--keep]

Creates (once) the database ``bench_tiers`` with ``customer_archive``
installed without demo data, generates ``--size`` customer archives with SQL
inserts, then prints the time of:

1. the floor: the same tier assignment done by one plain SQL
   ``UPDATE … FROM (… percent_rank() …)`` statement (no history, no chatter);
2. the full tier recompute (``customer.tier.policy._recompute_tiers``: ranking,
   update, history rows, tracking, reschedule), from the same starting state,
   and its ratio to the floor (goal: at most 3×);
3. a re-tiering after 10 % of the customers changed their deal likelihood
   (tier changes with history, chatter tracking and rescheduled plans).

The database is dropped at the end unless ``--keep`` is given. Not collected
by pytest (only ``test_*.py`` files are).
"""

import argparse
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service import db as db_service
from odoo.tools import SQL, config

CONF = str(Path(__file__).resolve().parent.parent / ".local" / "odoo.conf")
REPS = 50


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000, help="number of customer archives")
    parser.add_argument("--db", default="bench_tiers")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
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
    """Reps by the ORM, customers by one INSERT … SELECT generate_series."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE archive_number LIKE 'BENCH-%'")
    existing = cr.fetchone()[0]
    if existing == size:
        return
    if existing:
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'res.partner'")
        cr.execute("DELETE FROM res_partner WHERE archive_number LIKE 'BENCH-%'")
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
    env.flush_all()
    started = time.monotonic()
    cr.execute("SELECT setseed(0.42)")
    cr.execute(
        """
        INSERT INTO res_partner
               (id, commercial_partner_id, archive_access_restricted, archive_access_user_id, archive_access_scope,
                name, complete_name, active, type, is_company, lang, is_customer_archive,
                archive_number, archive_date, archive_state, user_id, country_id, state_id,
                registered_capital, sales_last_year, sales_two_years_ago, sales_three_years_ago,
                employee_count, transaction_total, deal_likelihood,
                create_uid, create_date, write_uid, write_date)
        SELECT partner_id, partner_id, TRUE, (%(reps)s::int[])[1 + g %% %(nreps)s], 0,
               'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, 'contact', TRUE, 'en_US', TRUE,
               'BENCH-' || lpad(g::text, 7, '0'), CURRENT_DATE - (g %% 900), 'active',
               (%(reps)s::int[])[1 + g %% %(nreps)s], %(country)s, (%(states)s::int[])[1 + g %% %(nstates)s],
               round((random() ^ 3 * 1e8)::numeric, 2), round((random() ^ 2 * 5e8)::numeric, 2),
               round((random() ^ 2 * 4e8)::numeric, 2), round((random() ^ 2 * 3e8)::numeric, 2),
               (random() ^ 3 * 20000)::int, round((random() ^ 4 * 1e7)::numeric, 2), (random() * 100)::int,
               1, now() AT TIME ZONE 'UTC', 1, now() AT TIME ZONE 'UTC'
          FROM (SELECT g, nextval('res_partner_id_seq') AS partner_id FROM generate_series(1, %(size)s) AS g) AS n
        """,
        {
            "reps": reps.ids,
            "nreps": len(reps),
            "country": china.id,
            "states": states,
            "nstates": len(states),
            "size": size,
        },
    )
    cr.execute("ANALYZE res_partner")
    print(f"generated {size} archives by SQL in {time.monotonic() - started:.1f}s", flush=True)


def reset(env):
    """Tiers, history, tracking and plan back to empty."""
    cr = env.cr
    cr.execute("DELETE FROM mail_activity WHERE res_model = 'res.partner' AND archive_plan_kind IS NOT NULL")
    cr.execute("DELETE FROM customer_tier_history")
    cr.execute(
        """DELETE FROM mail_message WHERE model = 'res.partner'
            AND id IN (SELECT mail_message_id FROM mail_tracking_value)"""
    )
    cr.execute(
        """UPDATE res_partner SET archive_tier = NULL, archive_tier_score = NULL, archive_tier_date = NULL,
                  archive_access_tier = NULL, archive_access_scope = 0,
                  archive_next_contact_date = NULL, archive_next_review_date = NULL
            WHERE is_customer_archive"""
    )
    cr.commit()
    env.invalidate_all()


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

            reset(env)
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

            floor_time, floor_rows = timed("SQL floor: one UPDATE … percent_rank()", floor)
            cr.commit()
            reset(env)

            recompute_time, changed = timed("full tier recompute", policy._recompute_tiers)
            cr.commit()
            env.cr.execute(
                "SELECT archive_tier, count(*) FROM res_partner WHERE is_customer_archive GROUP BY 1"
            )
            shares = dict(env.cr.fetchall())

            cr.execute(
                """UPDATE res_partner SET deal_likelihood = (random() * 100)::int
                    WHERE is_customer_archive AND id % 10 = 0"""
            )
            cr.commit()
            env.invalidate_all()
            retier_time, retiered = timed(
                "re-tiering after 10 % changed their likelihood (history, chatter, reschedule)",
                policy._recompute_tiers,
            )
            cr.commit()

        print()
        print(f"archives: {args.size}, tiers {shares}")
        print(f"SQL floor: {floor_time:.2f}s ({floor_rows} rows)")
        print(
            f"full recompute: {recompute_time:.2f}s ({len(changed)} tiers set) "
            f"= {recompute_time / floor_time:.2f}x the floor (goal <= 3x)"
        )
        print(f"re-tiering: {retier_time:.2f}s, {len(retiered)} tiers changed")
    finally:
        if not args.keep:
            Registry.delete(args.db)
            db_service.exp_drop(args.db)
            print(f"database {args.db} dropped")


if __name__ == "__main__":
    main()
