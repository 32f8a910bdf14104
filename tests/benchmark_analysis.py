#!/usr/bin/env python3
"""Benchmark of the customer analysis (信息分析) at 100 000 archives.

Run from the repository root (a script, not collected by pytest):

    .venv/bin/python tests/benchmark_analysis.py --size 100000 --drop

It uses its own database (``--db``, default ``bench_analysis``): created with
both addons and no demo data when missing, reused otherwise. It generates
with set-based SQL ``--size`` archives (tiers A/B/C 20/40/40 %, five
departments, twenty reps), ``--transactions`` transactions (default ten per
archive, skewed: some customers buy often, a fifth never), ``--interactions``
interactions (default two per archive, half of them with a satisfaction
score), one feedback per ten archives, the tier history, and the contact plan
(the plan job, then a third of the items overdue and a fifth done). Then it
prints:

1. the floor: one plain SQL ``UPDATE … FROM (… ntile() …)`` computing the
   R, F and M scores and the 8 segments from the transactions;
2. the nightly analysis job as its cron runs it
   (``res.partner._cron_archive_compute_analysis``: RFM, loyalty, value,
   satisfaction, churn risk with reasons computed once into the run's work
   table, then written in committed chunks of 20 000 archives with the
   at-risk activities and ``modified``, then the missing months of the tier
   distribution, one per chunk), called again and again as the re-triggered
   cron would be until the run is done: from empty analysis columns (the
   tier distribution complete), and its ratio to the floor (goal: at most
   3×); again when nothing changed but the month just closed; and once
   more with the whole tier distribution missing (its first night). Each
   prints the number of calls and the longest call (wall time and CPU time
   of the Odoo process; Odoo's worker limits: 120 s real, 60 s CPU);
3. every figure of the dashboard (one grouped query each, period: the last
   365 days), as a marketing manager and as a rep (record rules apply), with
   the median of ``--runs`` runs (goal: under 1 s each), and the grouped
   queries of the trend views (per month, tier and rep).

``--drop`` drops the database (and its filestore) at the end.
"""

import argparse
import statistics
import time
from datetime import timedelta

from benchmark_common import CONFIG, database_exists, drop_database, install_database
from benchmark_tiers import run_in_calls
from dateutil.relativedelta import relativedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

DEPARTMENTS = 5
REPS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100000, help="number of archives to generate")
    parser.add_argument("--transactions", type=int, default=None, help="default: 10 per archive")
    parser.add_argument("--interactions", type=int, default=None, help="default: 2 per archive")
    parser.add_argument("--db", default="bench_analysis", help="database (created when missing)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each dashboard figure")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    return parser.parse_args()


def ensure_people(env):
    """Five departments, twenty reps with an employee each, one marketing manager."""
    departments = env["hr.department"].search([("name", "=like", "Bench department %")], order="name")
    if not departments:
        departments = env["hr.department"].create(
            [{"name": f"Bench department {i}"} for i in range(DEPARTMENTS)]
        )
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    reps = Users.search([("login", "=like", "bench_analysis_rep_%")], order="login")
    if not reps:
        group = env.ref("customer_archive.group_archive_user")
        reps = Users.create(
            [
                {
                    "name": f"业务员 {i:02d}",
                    "login": f"bench_analysis_rep_{i:02d}",
                    "groups_id": [(6, 0, group.ids)],
                }
                for i in range(REPS)
            ]
        )
        env["hr.employee"].create(
            [
                {"name": rep.name, "user_id": rep.id, "department_id": departments[i % DEPARTMENTS].id}
                for i, rep in enumerate(reps)
            ]
        )
    manager = Users.search([("login", "=", "bench_analysis_manager")])
    if not manager:
        group = env.ref("customer_archive.group_archive_marketing_manager")
        manager = Users.create(
            {"name": "市场经理", "login": "bench_analysis_manager", "groups_id": [(6, 0, group.ids)]}
        )
    return departments, reps, manager


def timed(label, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"  {label}: {elapsed:.2f} s", flush=True)
    return elapsed, result


def generate(env, size, transactions, interactions):
    cr = env.cr
    departments, reps, manager = ensure_people(env)
    cr.execute("SELECT count(*) FROM res_partner WHERE archive_number LIKE 'BN-%'")
    if cr.fetchone()[0] >= size:
        print(f"reusing the {size} archives already generated", flush=True)
        return reps, manager
    print(
        f"generating {size} archives, {transactions} transactions, {interactions} interactions ...",
        flush=True,
    )
    started = time.perf_counter()
    cr.execute("SELECT id FROM res_currency WHERE name = 'CNY'")
    currency = (cr.fetchone() or [env.company.currency_id.id])[0]
    # Archives, with the access columns the ORM would compute (res_partner_access.py).
    cr.execute(
        """
        INSERT INTO res_partner (
            id, commercial_partner_id, commercial_company_name,
            name, complete_name, type, active, is_company, lang, partner_share,
            is_customer_archive, archive_number, archive_date, archive_state, archive_tier,
            archive_department_id, user_id, archive_completeness, archive_completeness_band,
            archive_documents_complete,
            archive_access_restricted, archive_access_tier, archive_access_user_id, archive_access_scope,
            create_uid, write_uid, create_date, write_date
        )
        SELECT partner_id, partner_id, nm, nm, nm, 'contact', TRUE, TRUE, 'zh_CN', TRUE,
               TRUE, 'BN-' || lpad(n::text, 7, '0'), CURRENT_DATE - (n %% 3650), 'active', tier,
               department_id, user_id, completeness,
               CASE WHEN completeness >= 100 THEN '100' WHEN completeness >= 80 THEN '80_99'
                    WHEN completeness >= 50 THEN '50_79' ELSE '0_49' END,
               n %% 3 = 0,
               TRUE, tier, user_id, CASE WHEN tier = 'a' THEN -1 ELSE COALESCE(department_id, 0) END,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM (
            SELECT nextval('res_partner_id_seq') AS partner_id, n, '分析客户' || n || '有限公司' AS nm,
                   (ARRAY['a', 'b', 'b', 'c', 'c'])[1 + n %% 5] AS tier,
                   CASE WHEN n %% 20 = 0 THEN NULL
                        ELSE (%(departments)s::int[])[1 + (n / 7) %% %(dcount)s] END AS department_id,
                   (%(reps)s::int[])[1 + (n / 3) %% %(rcount)s] AS user_id,
                   (n * 37) %% 101 AS completeness
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
    cr.execute("ANALYZE res_partner")
    cr.execute("SELECT array_agg(id ORDER BY id) FROM res_partner WHERE archive_number LIKE 'BN-%'")
    ids = cr.fetchone()[0]
    cr.execute("SELECT setseed(0.13)")
    # Transactions: four fifths of the archives buy, some much more often than others.
    cr.execute(
        """
        INSERT INTO customer_archive_transaction
               (name, partner_id, date, currency_id, amount, user_id, breach_of_contract,
                create_uid, write_uid, create_date, write_date)
        SELECT 'BT-' || g, (%(ids)s::int[])[1 + floor(%(buyers)s * random() ^ 1.6)::int],
               CURRENT_DATE - floor(random() * 1800)::int, %(currency)s,
               round((100 + random() ^ 3 * 200000)::numeric, 2), 1, random() < 0.02,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) AS g
        """,
        {"ids": ids, "buyers": int(len(ids) * 0.8) - 1, "count": transactions, "currency": currency},
    )
    # The stored transaction figures, as _compute_transaction_figures stores them.
    cr.execute(
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
    cr.execute(
        """
        INSERT INTO customer_archive_interaction
               (partner_id, date, interaction_type, summary, user_id, archive_tier, satisfaction_score,
                create_uid, write_uid, create_date, write_date)
        SELECT p, now() at time zone 'UTC' - make_interval(days => floor(random() * 720)::int),
               CASE WHEN g %% 2 = 0 THEN (ARRAY['call', 'survey'])[1 + g %% 4 / 2] ELSE 'visit' END,
               '电话回访', 1, NULL,
               CASE WHEN g %% 2 = 0 THEN 1 + floor(random() * 5)::int END,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM (SELECT g, (%(ids)s::int[])[1 + floor(random() * %(n)s)::int] AS p
                  FROM generate_series(1, %(count)s) AS g) AS s
        """,
        {"ids": ids, "n": len(ids), "count": interactions},
    )
    cr.execute(
        """
        INSERT INTO customer_archive_feedback
               (name, partner_id, feedback_type, date, state, resolution_date, resolution_days, user_id,
                create_uid, write_uid, create_date, write_date)
        SELECT '反馈 ' || g, p, (ARRAY['complaint', 'praise', 'suggestion'])[1 + g %% 3], d,
               CASE WHEN g %% 4 = 0 THEN 'new' ELSE 'done' END,
               CASE WHEN g %% 4 != 0 THEN d + g %% 9 END, CASE WHEN g %% 4 != 0 THEN g %% 9 ELSE 0 END, 1,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM (SELECT g, (%(ids)s::int[])[1 + floor(random() * %(n)s)::int] AS p,
                       CURRENT_DATE - floor(random() * 720)::int AS d
                  FROM generate_series(1, %(count)s) AS g) AS s
        """,
        {"ids": ids, "n": len(ids), "count": len(ids) // 10},
    )
    # Tier history: the first tier of every archive, and a move for one in seven.
    cr.execute(
        """
        INSERT INTO customer_tier_history (partner_id, tier_from, tier_to, reason, date, user_id,
                                           create_uid, write_uid, create_date, write_date)
        SELECT p.id, NULL, p.archive_tier, 'recompute', now() at time zone 'UTC' - interval '2 years', 1,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM res_partner p WHERE p.archive_number LIKE 'BN-%'
        UNION ALL
        SELECT p.id, CASE p.archive_tier WHEN 'a' THEN 'b' WHEN 'b' THEN 'c' ELSE 'b' END, p.archive_tier,
               'recompute', now() at time zone 'UTC' - make_interval(days => (p.id % 700)), 1,
               1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
          FROM res_partner p WHERE p.archive_number LIKE 'BN-%' AND p.id % 7 = 0
        """
    )
    for table in ("res_partner", "customer_archive_transaction", "customer_archive_interaction"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    # The contact plan: open items by the plan job, then overdue and done ones.
    timed(
        "contact-plan job (plan items for the figures)",
        lambda: env["customer.contact.plan"]._cron_run(time_budget=86400),
    )
    cr.execute(
        """
        UPDATE mail_activity SET date_deadline = date_deadline - 30, archive_deadline = archive_deadline - 30
         WHERE archive_plan_kind IS NOT NULL AND id % 3 = 0;
        UPDATE mail_activity SET active = FALSE, date_done = date_deadline
         WHERE archive_plan_kind IS NOT NULL AND id % 5 = 0;
        ANALYZE mail_activity;
        """
    )
    env.invalidate_all()
    return reps, manager


FLOOR = """
UPDATE res_partner p
   SET archive_rfm_recency_days = s.recency, archive_rfm_r_score = s.r, archive_rfm_f_score = s.f,
       archive_rfm_m_score = s.m, archive_rfm_score = s.r + s.f + s.m,
       archive_rfm_segment = CASE WHEN s.m_high THEN
                                  CASE WHEN s.r_high AND s.f_high THEN 'important_value'
                                       WHEN s.r_high THEN 'important_develop'
                                       WHEN s.f_high THEN 'important_keep' ELSE 'important_retain' END
                             ELSE CASE WHEN s.r_high AND s.f_high THEN 'general_value'
                                       WHEN s.r_high THEN 'general_develop'
                                       WHEN s.f_high THEN 'general_keep' ELSE 'general_retain' END END
  FROM (SELECT partner_id, recency,
               ntile(5) OVER (ORDER BY recency DESC, partner_id) AS r,
               ntile(5) OVER (ORDER BY n, partner_id) AS f,
               ntile(5) OVER (ORDER BY total, partner_id) AS m,
               recency < avg(recency) OVER () AS r_high, n > avg(n) OVER () AS f_high,
               total > avg(total) OVER () AS m_high
          FROM (SELECT partner_id, CURRENT_DATE - max(date) AS recency, count(*) AS n, sum(amount) AS total
                  FROM customer_archive_transaction GROUP BY partner_id) AS t) AS s
 WHERE p.id = s.partner_id
"""


def reset(env):
    from odoo.addons.customer_archive.models.res_partner_analysis import ANALYSIS_FIELDS

    columns = SQL(", ").join(SQL("%s = NULL", SQL.identifier(name)) for name in ANALYSIS_FIELDS)
    env.cr.execute(SQL("UPDATE res_partner SET %s WHERE is_customer_archive", columns))
    env.cr.execute(
        "DELETE FROM mail_activity WHERE activity_type_id = %s",
        [env.ref("customer_archive.mail_activity_type_archive_at_risk").id],
    )
    env.cr.commit()
    env.invalidate_all()


def vacuum(registry):
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in ("res_partner", "mail_activity", "customer_archive_transaction"):
            cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))


TRENDS = {
    "satisfaction per month and tier": (
        [("event_type", "in", ["satisfaction", "feedback"])],
        ["date:month", "tier"],
        ["satisfaction_score:avg", "complaint_count:sum", "praise_count:sum"],
    ),
    "satisfaction per rep": ([("event_type", "=", "satisfaction")], ["user_id"], ["satisfaction_score:avg"]),
    "transactions per year and segment": (
        [("event_type", "=", "transaction")],
        ["date:year", "rfm_segment"],
        ["amount:sum", "transaction_count:sum"],
    ),
    "tier moves per quarter": (
        [("event_type", "=", "tier_move"), ("tier_move", "!=", "new")],
        ["date:quarter", "tier_from", "tier_to"],
        ["__count"],
    ),
}
PARTNER_TRENDS = {
    "RFM segment x tier": (
        ["archive_rfm_segment", "archive_tier"],
        ["__count", "archive_transaction_total:sum"],
    ),
    "retention per cohort": (
        ["archive_first_transaction_date:year"],
        ["__count", "archive_retention_rate:avg", "archive_churn_rate:avg"],
    ),
    "completeness per department and rep": (
        ["archive_department_id", "user_id", "archive_completeness_band"],
        ["__count"],
    ),
}


def measure_dashboard(registry, users, runs):
    results = {}
    with registry.cursor() as cr:
        for label, uid in users.items():
            env = api.Environment(cr, uid, {"lang": "en_US", "tz": "Asia/Shanghai"})
            today = fields.Date.context_today(env.user)
            dashboard = env["customer.archive.analysis"].create(
                {"date_from": today - timedelta(days=365), "date_to": today}
            )
            calls = {name: (lambda n=name, d=dashboard: d._figure(n)) for name in dashboard._figure_names()}
            report = env["customer.archive.analysis.report"]
            for name, (domain, groupby, aggregates) in TRENDS.items():
                calls[f"trend: {name}"] = lambda d=domain, g=groupby, a=aggregates, r=report: r._read_group(
                    d, g, a
                )
            partners = env["res.partner"]
            archives = [("is_customer_archive", "=", True), ("parent_id", "=", False)]
            for name, (groupby, aggregates) in PARTNER_TRENDS.items():
                calls[f"trend: {name}"] = (
                    lambda g=groupby, a=aggregates, p=partners, w=archives: p._read_group(w, g, a)
                )
            distribution = env["customer.archive.tier.distribution"]
            calls["trend: tier distribution per month (24 months)"] = lambda t=distribution: t._read_group(
                [], ["month:month", "tier"], ["archive_count:sum"]
            )
            calls["drill-down: complaints (archive ids)"] = lambda d=dashboard: d._figure_domain(
                "complaint_count"
            )
            values = {}
            for name, call in calls.items():
                durations = []
                for _run in range(runs):
                    env.invalidate_all()
                    started = time.perf_counter()
                    value = call()
                    durations.append(time.perf_counter() - started)
                values[name] = (statistics.median(durations), value)
            results[label] = values
        cr.rollback()
    return results


def short(value):
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return f"{len(value)} groups" if not value or isinstance(value[0], tuple) else f"{len(value)} leaves"
    return str(value)


def main():
    args = parse_args()
    transactions = args.transactions or args.size * 10
    interactions = args.interactions or args.size * 2
    odoo.tools.config.parse_config(["-c", str(CONFIG)])
    if not database_exists(args.db):
        install_database(args.db)
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        reps, manager = generate(env, args.size, transactions, interactions)
        cr.commit()
        users = {"marketing manager": manager.id, "rep": reps[0].id}
    vacuum(registry)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        print("nightly analysis job against one plain SQL statement:", flush=True)
        reset(env)
        floor_time, _ = timed(
            "SQL floor: one UPDATE … ntile() from the transactions", lambda: cr.execute(FLOOR)
        )
        cr.commit()
        Snapshot = env["customer.archive.tier.snapshot"]
        Run = env["customer.archive.batch.run"]
        timed("tier distribution rebuilt in one go (untimed below)", lambda: Snapshot._refresh(full=True))
        reset(env)

        def job():
            return env["res.partner"]._cron_archive_compute_analysis(commit=True)

        job_time, job_calls = run_in_calls("analysis job from empty columns, chunked", job)
        run = Run.search([("job", "=", "analysis")], limit=1)
        changed, activities = run.changed_count, run.activity_count
        last_month = Snapshot._horizon()[1] - relativedelta(months=1)
        cr.execute(SQL("DELETE FROM customer_archive_tier_snapshot WHERE month = %s", last_month))
        cr.commit()
        again_time, again_calls = run_in_calls(
            "analysis job again, nothing changed but the month just closed missing", job
        )
        unchanged = Run.search([("job", "=", "analysis")], limit=1).changed_count
        cr.execute(SQL("DELETE FROM customer_archive_tier_snapshot"))
        cr.commit()
        first_night_time, first_night_calls = run_in_calls(
            "analysis job with the whole tier distribution missing (its first night)", job
        )
        cr.execute(
            "SELECT archive_rfm_segment, count(*) FROM res_partner WHERE is_customer_archive GROUP BY 1 ORDER BY 1"
        )
        segments = cr.fetchall()
        cr.execute("SELECT count(*) FROM res_partner WHERE archive_churn_risk")
        at_risk = cr.fetchone()[0]
    vacuum(registry)
    results = measure_dashboard(registry, users, args.runs)

    print(
        f"\n{args.size} archives, {transactions} transactions, {interactions} interactions "
        f"(medians of {args.runs} runs)"
    )
    print(f"  SQL floor (RFM scores and segments): {floor_time:.2f} s")
    print(
        f"  analysis job, chunked: {job_time:.2f} s in {len(job_calls)} calls ({changed} archives written, "
        f"{activities} at-risk activities, {at_risk} at risk) = {job_time / floor_time:.2f}x the floor (goal <= 3x)"
    )
    print(
        f"  analysis job with nothing to change but the month just closed: {again_time:.2f} s in "
        f"{len(again_calls)} calls ({unchanged} archives written)"
    )
    print(
        f"  analysis job with the whole tier distribution missing: {first_night_time:.2f} s in "
        f"{len(first_night_calls)} calls"
    )
    calls = job_calls + again_calls + first_night_calls
    print(
        f"  longest call of the three: {max(c[0] for c in calls):.1f} s wall / {max(c[1] for c in calls):.2f} s "
        "CPU (limits 120 s real / 60 s CPU)"
    )
    print(f"  segments: {segments}")
    slowest = {}
    for label, values in results.items():
        print(f"\n  dashboard figures as {label} (goal < 1 s each):")
        for name, (duration, value) in values.items():
            print(f"    {name:45s} {duration * 1000:8.1f} ms   {short(value)}")
        slowest[label] = max(values.items(), key=lambda item: item[1][0])
    for label, (name, (duration, _value)) in slowest.items():
        print(f"  slowest as {label}: {name} {duration * 1000:.1f} ms")
    if args.drop:
        drop_database(args.db)


if __name__ == "__main__":
    main()
