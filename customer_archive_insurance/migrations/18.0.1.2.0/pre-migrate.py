"""18.0.1.2.0: cooling-off period, grace period and claim deadlines.

Before the update computes the new stored fields, the data they start from
is filled in for the records that existed before the regulatory dates were
kept:

- policies already past draft are taken as delivered on their start date
  (``receipt_date``): their cooling-off period is over, no return visit is
  created for them;
- lapsed (now: suspended) policies are suspended from the day after the
  grace period of their unpaid premium (``suspension_date``), so that the
  reinstatement period runs from there;
- claims were submitted the day they were created (``submission_date``);
  they have no document checklist, so their documents count as complete on
  that day and the decision deadline runs from it.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "SELECT value FROM ir_config_parameter WHERE key = 'customer_archive_insurance.premium_grace_days'"
        )
    )
    row = cr.fetchone()
    grace = int(row[0]) if row and str(row[0]).isdigit() else 60
    cr.execute(SQL("ALTER TABLE insurance_policy ADD COLUMN IF NOT EXISTS receipt_date date"))
    cr.execute(SQL("ALTER TABLE insurance_policy ADD COLUMN IF NOT EXISTS suspension_date date"))
    cr.execute(SQL("ALTER TABLE insurance_claim ADD COLUMN IF NOT EXISTS submission_date date"))
    cr.execute(
        SQL(
            "UPDATE insurance_policy SET receipt_date = start_date WHERE receipt_date IS NULL AND state != 'draft'"
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE insurance_policy
               SET suspension_date = COALESCE(next_premium_date + %s + 1, write_date::date)
             WHERE suspension_date IS NULL AND state = 'lapsed'
            """,
            grace,
        )
    )
    cr.execute(
        SQL("UPDATE insurance_claim SET submission_date = create_date::date WHERE submission_date IS NULL")
    )
