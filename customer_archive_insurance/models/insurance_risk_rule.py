from odoo import api, fields, models
from odoo.exceptions import ValidationError

RISK_FACTORS = [
    ("age", "Age (years)"),
    ("bmi", "Body Mass Index"),
    ("smoker", "Smoker (1 = yes)"),
    ("occupation_class", "Occupation Risk Class"),
    ("condition_severity", "Worst Ongoing Condition (1 mild, 2 moderate, 3 severe)"),
    ("ongoing_condition_count", "Number of Ongoing Conditions"),
]


class InsuranceRiskRule(models.Model):
    """One band of the risk scoring rule: when the factor of a health record
    lies in [lower bound, upper bound), the points are added to its risk score.

    The rules are data the underwriting manager tunes; no weight lives in code.
    """

    _name = "insurance.risk.rule"
    _description = "Risk Scoring Rule"
    _order = "factor, lower_bound, id"

    name = fields.Char(required=True, translate=True)
    factor = fields.Selection(RISK_FACTORS, required=True)
    lower_bound = fields.Float(
        required=True, default=0.0, digits=(16, 2), help="The rule applies from this value on (included)."
    )
    upper_bound = fields.Float(
        digits=(16, 2),
        help="The rule applies below this value (excluded). Leave 0 for no upper limit.",
    )
    points = fields.Integer(required=True, help="Points added to the risk score when the rule applies.")
    active = fields.Boolean(default=True)

    @api.constrains("lower_bound", "upper_bound")
    def _check_bounds(self):
        for rule in self:
            if rule.upper_bound and rule.upper_bound <= rule.lower_bound:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the Upper Bound (%(upper)s) must be greater than the "
                        "Lower Bound (%(lower)s), or 0 for no upper limit.",
                        rule=rule.name,
                        upper=rule.upper_bound,
                        lower=rule.lower_bound,
                    )
                )

    def _matches(self, value):
        self.ensure_one()
        return value >= self.lower_bound and (not self.upper_bound or value < self.upper_bound)

    @api.model
    def _score(self, factor_values):
        """Sum the points of the active rules matching ``factor_values``
        ({factor: value}) and return ``(score, matched rules)``."""
        matched = self.search([("points", "!=", 0)]).filtered(
            lambda rule: rule._matches(factor_values.get(rule.factor, 0.0))
        )
        return sum(matched.mapped("points")), matched

    def _recompute_health_records(self):
        records = (
            self.env["insurance.health.record"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "!=", False)])
        )
        # sudo: a rule change must rescore every health record, including the
        # ones the editing manager may not read.
        self.env.add_to_compute(records._fields["risk_score"], records)
        self.env.add_to_compute(records._fields["pricing_factor"], records)

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._recompute_health_records()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._recompute_health_records()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["insurance.risk.rule"]._recompute_health_records()
        return result
