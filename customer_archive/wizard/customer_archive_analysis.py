from odoo import api, fields, models
from odoo.osv import expression

from ..models.res_partner import ARCHIVE_TIERS
from ..models.res_partner_analysis import RFM_SEGMENTS

# Figures over the archives themselves: (aggregate, extra domain of the
# archives counted, extra domain of the drill-down when it differs).
PARTNER_FIGURES = {
    "archive_count": ("__count", [], None),
    "buyer_count": ("__count", [("archive_transaction_count", ">", 0)], None),
    "repeat_rate": (
        "archive_repeat_rate:avg",
        [("archive_transaction_count", ">", 0)],
        [("archive_transaction_count", ">=", 2)],
    ),
    "retention_rate": (
        "archive_retention_rate:avg",
        [("archive_transaction_count", ">", 0)],
        [("archive_retention_rate", "=", 100)],
    ),
    "no_recent_count": ("__count", [("archive_no_recent_transaction", "=", True)], None),
    "total_value": ("archive_transaction_total:sum", [("archive_transaction_count", ">", 0)], None),
    "lifetime_value": ("archive_lifetime_value:avg", [("archive_transaction_count", ">", 0)], None),
    "at_risk_count": ("__count", [("archive_churn_risk", "=", True)], None),
    "at_risk_ab_count": (
        "__count",
        [("archive_churn_risk", "=", True), ("archive_tier", "in", ["a", "b"])],
        None,
    ),
    "completeness_avg": ("archive_completeness:avg", [], [("archive_completeness", "<", 100)]),
    "incomplete_count": ("__count", [("archive_completeness", "<", 100)], None),
    "documents_missing_count": ("__count", [("archive_documents_complete", "=", False)], None),
    "tier_a_count": ("__count", [("archive_tier", "=", "a")], None),
    "tier_b_count": ("__count", [("archive_tier", "=", "b")], None),
    "tier_c_count": ("__count", [("archive_tier", "=", "c")], None),
    **{
        f"segment_{code}_count": ("__count", [("archive_rfm_segment", "=", code)], None)
        for code, _label in RFM_SEGMENTS
    },
}

# Figures over the events of the period: (model, aggregate, extra domain of
# the rows). The rows are restricted to the archives the user may read (the
# archives' record rules, through ``partner_id``), in the period of the
# model's ``date``. Transactions and scores are read from their own tables
# (indexed by date), the rest from the analysis rows.
SCORED = [("satisfaction_score", ">=", 1)]
EVENT_FIGURES = {
    "satisfaction_avg": ("customer.archive.interaction", "satisfaction_score:avg", SCORED),
    "satisfaction_count": ("customer.archive.interaction", "__count", SCORED),
    "low_satisfaction_count": (
        "customer.archive.interaction",
        "__count",
        [("satisfaction_score", ">=", 1), ("satisfaction_score", "<=", 2)],
    ),
    "complaint_count": ("customer.archive.feedback", "__count", [("feedback_type", "=", "complaint")]),
    "open_complaint_count": (
        "customer.archive.feedback",
        "__count",
        [("feedback_type", "=", "complaint"), ("state", "!=", "done")],
    ),
    "praise_count": ("customer.archive.feedback", "__count", [("feedback_type", "=", "praise")]),
    "resolution_days": ("customer.archive.feedback", "resolution_days:avg", [("state", "=", "done")]),
    "period_value": ("customer.archive.transaction", "amount:sum", []),
    "period_transaction_count": ("customer.archive.transaction", "__count", []),
    "upgrade_count": (
        "customer.archive.analysis.report",
        "__count",
        [("event_type", "=", "tier_move"), ("tier_move", "=", "up")],
    ),
    "downgrade_count": (
        "customer.archive.analysis.report",
        "__count",
        [("event_type", "=", "tier_move"), ("tier_move", "=", "down")],
    ),
}

# Keys of the open duplicate groups (res_partner_data_quality.py).
DUPLICATE_GROUP_KEYS = (
    "archive_duplicate_name_key",
    "archive_duplicate_phone_key",
    "archive_duplicate_email_key",
    "archive_unified_social_credit_code",
)

# Contact plan figures (customer.contact.plan.report) over the items due in the period.
PLAN_FIGURES = {
    "plan_planned_count": ("planned_count:sum", []),
    "plan_done_count": ("done_count:sum", [("state", "in", ["done", "done_late"])]),
    "plan_overdue_count": ("overdue_count:sum", [("overdue_count", ">", 0)]),
}

# Figures computed from others: name -> (numerator, denominator, factor).
RATIO_FIGURES = {
    "average_value": ("period_value", "period_transaction_count", 1.0),
    "top_value_share": ("top_value", "total_value", 100.0),
    "plan_completion_rate": ("plan_done_count", "plan_planned_count", 100.0),
}
# Figures whose archives open in the at-risk list, with the reasons.
AT_RISK_FIGURES = ("at_risk_count", "at_risk_ab_count")

RATIO_DRILLS = {
    "average_value": "period_value",
    "top_value_share": "top_value",
    "plan_completion_rate": "plan_done_count",
}


class CustomerArchiveAnalysis(models.TransientModel):
    """The manager's dashboard (信息分析): satisfaction, loyalty, value, RFM
    segments, churn risk, data quality, tiers and contact-plan compliance
    over the archives of a period, department, rep and tier.

    Every figure is computed with the user's own record rules (a
    ``_read_group`` on the archives, or on the analysis rows of the archives
    the user may read), and every figure opens the archives behind it
    (``action_open_figure``)."""

    _name = "customer.archive.analysis"
    _description = "Customer Archive Analysis Dashboard"

    def _default_date_from(self):
        today = fields.Date.context_today(self)
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)

    date_from = fields.Date(string="From", required=True, default=_default_date_from)
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    department_id = fields.Many2one("hr.department", string="Owning Department")
    user_id = fields.Many2one("res.users", string="Responsible Rep", domain=[("share", "=", False)])
    tier = fields.Selection(ARCHIVE_TIERS)
    currency_id = fields.Many2one("res.currency", default=lambda self: self.env.company.currency_id)

    # Satisfaction
    satisfaction_avg = fields.Float(
        string="Mean Satisfaction (1–5)", compute="_compute_figures", digits=(16, 2)
    )
    satisfaction_count = fields.Integer(string="Satisfaction Scores", compute="_compute_figures")
    low_satisfaction_count = fields.Integer(string="Scores of 1–2", compute="_compute_figures")
    complaint_count = fields.Integer(string="Complaints", compute="_compute_figures")
    open_complaint_count = fields.Integer(string="Open Complaints", compute="_compute_figures")
    praise_count = fields.Integer(string="Praise", compute="_compute_figures")
    resolution_days = fields.Float(
        string="Resolution Time (Days)", compute="_compute_figures", digits=(16, 1)
    )
    # Loyalty
    archive_count = fields.Integer(string="Archives", compute="_compute_figures")
    buyer_count = fields.Integer(string="Customers with Transactions", compute="_compute_figures")
    repeat_rate = fields.Float(string="Repeat Purchase (%)", compute="_compute_figures", digits=(16, 1))
    retention_rate = fields.Float(string="Retention (%)", compute="_compute_figures", digits=(16, 1))
    no_recent_count = fields.Integer(string="No Recent Transaction", compute="_compute_figures")
    # Value
    period_value = fields.Monetary(string="Transactions in the Period", compute="_compute_figures")
    period_transaction_count = fields.Integer(string="Number of Transactions", compute="_compute_figures")
    average_value = fields.Monetary(string="Average Transaction", compute="_compute_figures")
    total_value = fields.Monetary(string="Total Value (All Years)", compute="_compute_figures")
    lifetime_value = fields.Monetary(string="Mean Lifetime Value", compute="_compute_figures")
    top_value = fields.Monetary(string="Value of the Top Customers", compute="_compute_figures")
    top_value_share = fields.Float(
        string="Top Customers' Share (%)", compute="_compute_figures", digits=(16, 1)
    )
    # RFM segments
    segment_important_value_count = fields.Integer(string="Important Value", compute="_compute_figures")
    segment_important_develop_count = fields.Integer(
        string="Important Development", compute="_compute_figures"
    )
    segment_important_keep_count = fields.Integer(string="Important Retention", compute="_compute_figures")
    segment_important_retain_count = fields.Integer(string="Important Win-back", compute="_compute_figures")
    segment_general_value_count = fields.Integer(string="General Value", compute="_compute_figures")
    segment_general_develop_count = fields.Integer(string="General Development", compute="_compute_figures")
    segment_general_keep_count = fields.Integer(string="General Retention", compute="_compute_figures")
    segment_general_retain_count = fields.Integer(string="General Win-back", compute="_compute_figures")
    # Churn risk
    at_risk_count = fields.Integer(string="At Risk", compute="_compute_figures")
    at_risk_ab_count = fields.Integer(string="A/B Customers at Risk", compute="_compute_figures")
    # Data quality
    completeness_avg = fields.Float(
        string="Mean Completeness (%)", compute="_compute_figures", digits=(16, 1)
    )
    incomplete_count = fields.Integer(string="Incomplete Archives", compute="_compute_figures")
    documents_missing_count = fields.Integer(string="Documents Missing", compute="_compute_figures")
    duplicate_count = fields.Integer(
        string="Open Duplicate Groups",
        compute="_compute_figures",
        help="Names, phones, e-mails and credit codes shared by two archives or more.",
    )
    overdue_update_count = fields.Integer(string="Overdue Archive Updates", compute="_compute_figures")
    # Tiers
    tier_a_count = fields.Integer(string="Tier A", compute="_compute_figures")
    tier_b_count = fields.Integer(string="Tier B", compute="_compute_figures")
    tier_c_count = fields.Integer(string="Tier C", compute="_compute_figures")
    upgrade_count = fields.Integer(string="Upgrades", compute="_compute_figures")
    downgrade_count = fields.Integer(string="Downgrades", compute="_compute_figures")
    # Contact plan
    plan_planned_count = fields.Integer(string="Planned Contacts", compute="_compute_figures")
    plan_done_count = fields.Integer(string="Done", compute="_compute_figures")
    plan_overdue_count = fields.Integer(string="Overdue", compute="_compute_figures")
    plan_completion_rate = fields.Float(
        string="Completion Rate (%)", compute="_compute_figures", digits=(16, 1)
    )

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        # The breadcrumb of the dashboard and of the archives opened from it:
        # the dashboard's name and period, not the technical "model,id".
        for dashboard in self:
            dashboard.display_name = self.env._(
                "Customer Analysis %(date_from)s – %(date_to)s",
                date_from=dashboard.date_from or "",
                date_to=dashboard.date_to or "",
            )

    # ------------------------------------------------------------------
    # Domains
    # ------------------------------------------------------------------
    def _archive_domain(self):
        """The archives of the dashboard's filters (the record rules add the user's limits)."""
        self.ensure_one()
        domain = [("is_customer_archive", "=", True), ("parent_id", "=", False), ("active", "=", True)]
        if self.department_id:
            domain.append(("archive_department_id", "=", self.department_id.id))
        if self.user_id:
            domain.append(("user_id", "=", self.user_id.id))
        if self.tier:
            domain.append(("archive_tier", "=", self.tier))
        return domain

    def _event_domain(self, model, extra):
        """Rows of ``model`` in the period, of the archives the user may read."""
        self.ensure_one()
        if self.env[model]._fields["date"].type == "datetime":
            period = [("date", ">=", self.date_from), ("date", "<", fields.Date.add(self.date_to, days=1))]
        else:
            period = [("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        return expression.AND([period, [("partner_id", "any", self._archive_domain())], extra])

    def _duplicate_groups(self):
        """{key: values shared by two archives or more}, among the archives
        the user may read: the open duplicate groups, one grouped query per key."""
        groups = {}
        partners = self.env["res.partner"]
        for key in DUPLICATE_GROUP_KEYS:
            domain = expression.AND([self._archive_domain(), [(key, "!=", False)]])
            rows = partners._read_group(domain, [key], ["__count"], having=[("__count", ">", 1)])
            groups[key] = [value for value, _count in rows]
        return groups

    def _plan_domain(self, extra):
        """Contact plan items due in the period, of the archives the user may read."""
        self.ensure_one()
        partner_query = self.env["res.partner"]._search(self._archive_domain())
        return expression.AND(
            [
                [("date_deadline", ">=", self.date_from), ("date_deadline", "<=", self.date_to)],
                [("partner_id", "in", partner_query)],
                extra,
            ]
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _figure(self, name):
        """The value of one figure (each is one grouped query)."""
        self.ensure_one()
        if name in PARTNER_FIGURES:
            aggregate, extra, _drill = PARTNER_FIGURES[name]
            domain = expression.AND([self._archive_domain(), extra])
            return self.env["res.partner"]._read_group(domain, [], [aggregate])[0][0] or 0
        if name == "top_value":
            domain = expression.AND([self._archive_domain(), [("archive_value_top", "=", True)]])
            return (
                self.env["res.partner"]._read_group(domain, [], ["archive_transaction_total:sum"])[0][0] or 0
            )
        if name == "overdue_update_count":
            return self.env["res.partner"].search_count(self._figure_domain(name))
        if name == "duplicate_count":
            return sum(len(values) for values in self._duplicate_groups().values())
        if name in EVENT_FIGURES:
            model, aggregate, extra = EVENT_FIGURES[name]
            return self.env[model]._read_group(self._event_domain(model, extra), [], [aggregate])[0][0] or 0
        if name in PLAN_FIGURES:
            aggregate, extra = PLAN_FIGURES[name]
            # sudo: the compliance report has no record rules of its own; the
            # rows are restricted to the archives the user may read (_plan_domain).
            report = self.env["customer.contact.plan.report"].sudo()
            return report._read_group(self._plan_domain(extra), [], [aggregate])[0][0] or 0
        raise KeyError(name)

    @api.model
    def _figure_names(self):
        return [
            *PARTNER_FIGURES,
            "top_value",
            "overdue_update_count",
            "duplicate_count",
            *EVENT_FIGURES,
            *PLAN_FIGURES,
        ]

    @api.depends("date_from", "date_to", "department_id", "user_id", "tier")
    def _compute_figures(self):
        for dashboard in self:
            values = {name: dashboard._figure(name) for name in self._figure_names()}
            for name, (numerator, denominator, factor) in RATIO_FIGURES.items():
                values[name] = factor * values[numerator] / values[denominator] if values[denominator] else 0
            dashboard.update(values)

    def _figure_domain(self, name):
        """Domain of the archives behind a figure."""
        self.ensure_one()
        name = RATIO_DRILLS.get(name, name)
        base = self._archive_domain()
        if name in PARTNER_FIGURES:
            _aggregate, extra, drill = PARTNER_FIGURES[name]
            return expression.AND([base, drill if drill is not None else extra])
        if name == "top_value":
            return expression.AND([base, [("archive_value_top", "=", True)]])
        if name == "overdue_update_count":
            today = fields.Date.context_today(self)
            return expression.AND(
                [
                    base,
                    [
                        (
                            "activity_ids",
                            "any",
                            [("archive_plan_kind", "=", "update"), ("date_deadline", "<", today)],
                        )
                    ],
                ]
            )
        if name == "duplicate_count":
            groups = self._duplicate_groups()
            shared = [[(key, "in", values)] for key, values in groups.items() if values]
            return expression.AND([base, expression.OR(shared) if shared else expression.FALSE_DOMAIN])
        if name in EVENT_FIGURES:
            model, _aggregate, extra = EVENT_FIGURES[name]
            rows = self.env[model]._read_group(self._event_domain(model, extra), ["partner_id"], [])
            return expression.AND([base, [("id", "in", [partner.id for (partner,) in rows])]])
        if name in PLAN_FIGURES:
            _aggregate, extra = PLAN_FIGURES[name]
            # sudo: see _figure; the partners are those the user may read.
            rows = (
                self.env["customer.contact.plan.report"]
                .sudo()
                ._read_group(self._plan_domain(extra), ["partner_id"], [])
            )
            return expression.AND([base, [("id", "in", [partner.id for (partner,) in rows])]])
        raise KeyError(name)

    def action_open_figure(self):
        """The archives behind the figure named by the button (``figure`` in
        the context): a domain inside the user's own record rules."""
        self.ensure_one()
        name = self.env.context.get("figure")
        if name not in self._fields or name not in [*self._figure_names(), *RATIO_FIGURES]:
            return False
        label = self._fields[name].get_description(self.env)["string"]
        action = self.env["res.partner"]._archive_analysis_open_action(label, self._figure_domain(name))
        if name in AT_RISK_FIGURES:
            # the customers at risk open in the list that says why
            at_risk_list = self.env.ref("customer_archive.view_res_partner_list_at_risk")
            action["views"] = [(at_risk_list.id, "list"), (False, "kanban"), (False, "form")]
        return action

    def action_refresh(self):
        return True
