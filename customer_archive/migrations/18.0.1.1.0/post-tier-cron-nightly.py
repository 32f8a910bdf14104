"""18.0.1.1.0: the tier recompute runs every night, as Settings says.

The cron is a ``noupdate`` record, which an update leaves as it is: a
database installed before runs it weekly. It becomes daily here, at night
(18:00 UTC is 02:00 in Asia/Shanghai), unless an administrator already
changed its interval.
"""

from odoo.tools import SQL

XMLID = ("customer_archive", "ir_cron_customer_tier_recompute")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            UPDATE ir_cron
               SET interval_type = 'days',
                   nextcall = date_trunc('day', now() AT TIME ZONE 'UTC') + interval '18 hours'
             WHERE interval_type = 'weeks' AND interval_number = 1
               AND id IN (SELECT res_id FROM ir_model_data
                           WHERE module = %s AND name = %s AND model = 'ir.cron')
            """,
            *XMLID,
        )
    )
