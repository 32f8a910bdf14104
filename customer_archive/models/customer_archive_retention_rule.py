import logging

from dateutil.relativedelta import relativedelta

import odoo
from odoo import api, fields, models

_logger = logging.getLogger(__name__)

RETENTION_CATEGORIES = [
    ("closed_archive", "Closed Archives (after closing)"),
    ("consent_withdrawn", "Consent Withdrawn (after withdrawal)"),
]
PERIOD_UNITS = [("days", "Days"), ("months", "Months"), ("years", "Years")]
RETENTION_CHUNK = 200


class CustomerArchiveRetentionRule(models.Model):
    """How long personal data of a category is kept (PIPL Art. 19, 47):
    after the period the scheduled job anonymises it (the archive
    administrator's anonymisation), and logs it."""

    _name = "customer.archive.retention.rule"
    _description = "Retention Rule"
    _order = "category, id"

    name = fields.Char(required=True, translate=True)
    category = fields.Selection(RETENTION_CATEGORIES, required=True)
    period_number = fields.Integer(string="Kept For", required=True, default=5)
    period_unit = fields.Selection(PERIOD_UNITS, string="Unit", required=True, default="years")
    active = fields.Boolean(default=True)
    note = fields.Text(translate=True, help="Where the period comes from (law, regulator, company policy).")

    _sql_constraints = [
        ("period_positive", "CHECK(period_number >= 0)", "The retention period cannot be negative."),
    ]

    def _limit_date(self, today):
        self.ensure_one()
        return today - relativedelta(**{self.period_unit: self.period_number})

    def _expired_domain(self, today):
        """Partners (not anonymised yet) whose data of this category expired on ``today``."""
        self.ensure_one()
        limit = self._limit_date(today)
        return [
            ("archive_anonymized_date", "=", False),
            *getattr(self, f"_expired_domain_{self.category}")(limit),
        ]

    def _expired_domain_closed_archive(self, limit):
        return [
            ("is_customer_archive", "=", True),
            ("archive_state", "=", "closed"),
            ("archive_closed_date", "<=", limit),
        ]

    def _expired_domain_consent_withdrawn(self, limit):
        Consent = self.env["customer.archive.consent"].sudo()
        still_valid = Consent._search([("state", "=", "valid")])
        withdrawn_later = Consent._search([("withdrawal_date", ">", limit)])
        return [
            ("archive_consent_ids.state", "=", "withdrawn"),
            ("id", "not in", still_valid.subselect("partner_id")),
            ("id", "not in", withdrawn_later.subselect("partner_id")),
        ]

    @api.model
    def _cron_apply_retention(self, chunk_size=RETENTION_CHUNK):
        """Anonymise what has expired, rule by rule, in committed chunks: a
        run cut off by the worker limits leaves nothing half done (each
        anonymisation is one archive) and the next run goes on."""
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        total = 0
        for rule in self.sudo().search([("active", "=", True)]):
            while True:
                partners = Partner.search(rule._expired_domain(today), limit=chunk_size, order="id")
                if not partners:
                    break
                for partner in partners:
                    partner.action_archive_anonymize()
                    self.env["customer.archive.audit.log"]._log(
                        partner,
                        "anonymize",
                        detail=self.env._("Retention period expired: %(rule)s", rule=rule.name),
                    )
                total += len(partners)
                if not odoo.modules.module.current_test:  # tests run in one transaction
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        _logger.info("retention: %s partners anonymised", total)
        return total

    @api.model
    def _expiring_between(self, date_from, date_to):
        """[(rule, partners)] whose data expires after ``date_from`` and on or
        before ``date_to``."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        result = []
        for rule in self.sudo().search([("active", "=", True)]):
            later = Partner.search(rule._expired_domain(date_to))
            now = Partner.search(rule._expired_domain(date_from))
            if later - now:
                result.append((rule, later - now))
        return result

    # No @api.model: the list's header button (display="always") calls it
    # through call_button with the (empty) selection as its ids.
    def action_open_expiring_next_month(self):
        """The report of what expires next month (a list to review before the job runs)."""
        today = fields.Date.context_today(self)
        start = today.replace(day=1) + relativedelta(months=1)
        end = start + relativedelta(months=1, days=-1)
        Line = self.env["customer.archive.retention.forecast"]
        lines = Line.create(
            [
                {"partner_id": partner.id, "rule_id": rule.id, "date_from": start, "date_to": end}
                for rule, partners in self._expiring_between(start - relativedelta(days=1), end)
                for partner in partners
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Expiring Next Month"),
            "res_model": Line._name,
            "view_mode": "list",
            "domain": [("id", "in", lines.ids)],
            "target": "current",
        }
