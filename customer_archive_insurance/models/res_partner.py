from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .insurance_policy import _agent_env

CLIENT_SEGMENTS = [
    ("high_net_worth", "High-Net-Worth"),
    ("ordinary", "Ordinary"),
]

CLIENT_TYPES = [
    ("individual", "Individual"),
    ("enterprise", "Enterprise"),
]

ENTERPRISE_SIZES = [
    ("large", "Large Enterprise"),
    ("sme", "Small and Medium Enterprise"),
]

AGENT_GROUP = "customer_archive_insurance.group_insurance_agent"
HEALTH_GROUPS = (
    "customer_archive_insurance.group_insurance_underwriter,customer_archive_insurance.group_insurance_claims"
)
PARAM_BIRTHDAY_DAYS = "customer_archive_insurance.birthday_reminder_days"
PARAM_HNW_REVIEW_MONTHS = "customer_archive_insurance.high_net_worth_review_months"


class ResPartner(models.Model):
    _inherit = "res.partner"

    insurance_agent_id = fields.Many2one(
        "res.users",
        index="btree_not_null",
        tracking=True,
        help="The agent (代理人) who looks after this client.",
    )
    insurance_client_segment = fields.Selection(
        CLIENT_SEGMENTS,
        string="Client Segment",
        default="ordinary",
        tracking=True,
        help="High-net-worth clients are reviewed quarterly, ordinary ones every six months.",
    )
    insurance_client_type = fields.Selection(
        CLIENT_TYPES,
        string="Client Type",
        compute="_compute_insurance_client_type",
        store=True,
        help="Individual client (个人客户) or enterprise client (企业客户).",
    )
    insurance_enterprise_size = fields.Selection(
        ENTERPRISE_SIZES,
        string="Enterprise Size",
        compute="_compute_insurance_enterprise_size",
        store=True,
        readonly=False,
        help="Large enterprise or small and medium enterprise; proposed from the company size.",
    )
    is_insurer = fields.Boolean(string="Insurer", help="An insurance company whose policies the agents sell.")
    insurance_policy_ids = fields.One2many(
        "insurance.policy", "policyholder_id", string="Policies", groups=AGENT_GROUP
    )
    insurance_policy_count = fields.Integer(
        string="Policy Count", compute="_compute_insurance_counts", groups=AGENT_GROUP
    )
    insurance_claim_count = fields.Integer(
        string="Claim Count", compute="_compute_insurance_counts", groups=AGENT_GROUP
    )
    insurance_health_record_count = fields.Integer(
        string="Health Record Count", compute="_compute_insurance_health_record_count", groups=HEALTH_GROUPS
    )
    insurance_birthday_greeting_year = fields.Integer(
        string="Birthday Greeting Year",
        readonly=True,
        copy=False,
        help="Year of the last birthday greeting activity created for this client.",
    )

    @api.depends("is_company")
    def _compute_insurance_client_type(self):
        for partner in self:
            partner.insurance_client_type = "enterprise" if partner.is_company else "individual"

    @api.depends("is_company", "archive_company_size")
    def _compute_insurance_enterprise_size(self):
        for partner in self:
            if not partner.is_company:
                partner.insurance_enterprise_size = False
            elif partner.archive_company_size:
                partner.insurance_enterprise_size = (
                    "large" if partner.archive_company_size == "large" else "sme"
                )

    def _compute_insurance_counts(self):
        policy_rows = self.env["insurance.policy"]._read_group(
            ["|", ("policyholder_id", "in", self.ids), ("insured_id", "in", self.ids)],
            ["policyholder_id", "insured_id"],
            ["__count"],
        )
        policy_counts = {}
        for holder, insured, count in policy_rows:
            for partner in {holder, insured}:
                policy_counts[partner.id] = policy_counts.get(partner.id, 0) + count
        claim_counts = {
            partner.id: count
            for partner, count in self.env["insurance.claim"]._read_group(
                [("claimant_id", "in", self.ids)], ["claimant_id"], ["__count"]
            )
        }
        for partner in self:
            partner.insurance_policy_count = policy_counts.get(partner.id, 0)
            partner.insurance_claim_count = claim_counts.get(partner.id, 0)

    def _compute_insurance_health_record_count(self):
        counts = {
            partner.id: count
            for partner, count in self.env["insurance.health.record"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        }
        for partner in self:
            partner.insurance_health_record_count = counts.get(partner.id, 0)

    # ------------------------------------------------------------ smart buttons
    def action_open_insurance_policies(self):
        return self._archive_open_action(
            "customer_archive_insurance.action_insurance_policy",
            ["|", ("policyholder_id", "=", self.id), ("insured_id", "=", self.id)],
            {"default_policyholder_id": self.id, "default_insured_id": self.id},
        )

    def action_open_insurance_claims(self):
        return self._archive_open_action(
            "customer_archive_insurance.action_insurance_claim",
            [("claimant_id", "=", self.id)],
            {"default_claimant_id": self.id},
        )

    def action_open_insurance_health_records(self):
        return self._archive_open_action("customer_archive_insurance.action_insurance_health_record")

    # ------------------------------------------------------------ review plan
    def _archive_review_interval_months(self, months_by_tier=None):
        """High-net-worth clients are reviewed quarterly (高净值客户每季度更新一次):
        at most the configured months (3), whatever the tier's cadence says."""
        self.ensure_one()
        months = super()._archive_review_interval_months(months_by_tier)
        if self.insurance_client_segment != "high_net_worth":
            return months
        # sudo: the review interval is configuration read by every rep.
        hnw_months = int(self.env["ir.config_parameter"].sudo().get_param(PARAM_HNW_REVIEW_MONTHS, 3))
        return min(months, hnw_months) if months else hnw_months

    # --------------------------------------------------------------- birthdays
    @api.model
    def _archive_anonymize_targets(self, partners):
        """Anonymising a client also erases the free text of their policies,
        health records and claims (incident descriptions, medical details);
        numbers, amounts, dates, states and risk scores stay."""
        targets = super()._archive_anonymize_targets(partners)
        erased = self.env._("Anonymised")
        env = self.env(su=True)
        policies = env["insurance.policy"].search(
            ["|", ("policyholder_id", "in", partners.ids), ("insured_id", "in", partners.ids)]
        )
        return [
            *targets,
            (policies, {"notes": False, "cancel_reason": False}),
            (
                env["insurance.claim"].search(
                    ["|", ("claimant_id", "in", partners.ids), ("policy_id", "in", policies.ids)]
                ),
                {"description": erased, "medical_details": False, "rejection_reason": False},
            ),
            (env["insurance.health.record"].search([("partner_id", "in", partners.ids)]), {"notes": False}),
            (
                env["insurance.health.condition"].search([("partner_id", "in", partners.ids)]),
                {"notes": False},
            ),
        ]

    @api.model
    def _birthday_partners_due(self, today, lead_days):
        """Clients with an agent whose birthday lies within ``lead_days`` of
        today and who have no greeting for this year yet: {id: birthday}."""
        days = [today + relativedelta(days=offset) for offset in range(lead_days + 1)]
        month_days = {day.strftime("%m-%d"): day for day in days}
        # A birthday on 29 February is greeted on 28 February in other years.
        if any(day.strftime("%m-%d") == "02-28" for day in days) and not any(
            day.strftime("%m-%d") == "02-29" for day in days
        ):
            month_days["02-29"] = next(day for day in days if day.strftime("%m-%d") == "02-28")
        self.env["res.partner"].flush_model(
            ["archive_birth_date", "insurance_agent_id", "insurance_birthday_greeting_year", "active"]
        )
        # One query over the whole archive: the ORM cannot filter on month and day.
        self.env.cr.execute(
            SQL(
                """
                SELECT id, to_char(archive_birth_date, 'MM-DD')
                  FROM res_partner
                 WHERE active
                   AND archive_birth_date IS NOT NULL
                   AND insurance_agent_id IS NOT NULL
                   AND to_char(archive_birth_date, 'MM-DD') IN %s
                """,
                tuple(month_days),
            )
        )
        due = {}
        for partner_id, month_day in self.env.cr.fetchall():
            birthday = month_days[month_day]
            due[partner_id] = birthday
        partners = self.browse(list(due)).filtered(
            lambda partner: partner.insurance_birthday_greeting_year != due[partner.id].year
        )
        return {partner.id: due[partner.id] for partner in partners}

    @api.model
    def _cron_create_birthday_reminders(self):
        today = fields.Date.context_today(self)
        lead_days = int(self.env["ir.config_parameter"].sudo().get_param(PARAM_BIRTHDAY_DAYS, 3))
        due = self._birthday_partners_due(today, lead_days)
        activity_type = self.env.ref("customer_archive_insurance.mail_activity_type_birthday_greeting")
        partners = self.browse(list(due))
        policy_rows = self.env["insurance.policy"]._read_group(
            [("policyholder_id", "in", partners.ids), ("state", "=", "in_force")],
            ["policyholder_id"],
            ["name:array_agg"],
        )
        policies = {partner.id: names for partner, names in policy_rows}
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for partner in partners:
            agent = partner.insurance_agent_id
            env = _agent_env(partner, agent)
            names = ", ".join(sorted(policies.get(partner.id, []))) or env._("none yet")
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "user_id": agent.id,
                    "date_deadline": due[partner.id],
                    "summary": env._("Birthday greeting for %(name)s", name=partner.name),
                    "note": env._(
                        "%(name)s has a birthday on %(date)s: send a birthday greeting and offer "
                        "suggestions for updating their insurance cover (policies in force: %(policies)s).",
                        name=partner.name,
                        date=due[partner.id],
                        policies=names,
                    ),
                }
            )
        for year in {day.year for day in due.values()}:
            partners.filtered(lambda partner, year=year: due[partner.id].year == year).write(
                {"insurance_birthday_greeting_year": year}
            )
        # sudo: the cron creates activities for the agents on their clients;
        # quick update: no notification e-mail per activity from the cron.
        return (
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )
