from odoo import api, fields, models
from odoo.exceptions import ValidationError


class InsurancePricingBand(models.Model):
    """A band of risk scores and the pricing factor new policies get for it."""

    _name = "insurance.pricing.band"
    _description = "Pricing Band"
    _order = "min_score, id"

    name = fields.Char(required=True, translate=True)
    min_score = fields.Integer(
        string="Minimum Score", required=True, default=0, help="Lowest risk score of the band (included)."
    )
    max_score = fields.Integer(
        string="Maximum Score",
        help="The band ends below this score (excluded). Leave 0 for no upper limit.",
    )
    pricing_factor = fields.Float(
        required=True,
        default=1.0,
        digits=(16, 2),
        help="Multiplies the standard premium of new policies of insured persons in this band.",
    )
    active = fields.Boolean(default=True)

    @api.constrains("min_score", "max_score", "pricing_factor")
    def _check_band(self):
        for band in self:
            if band.max_score and band.max_score <= band.min_score:
                raise ValidationError(
                    self.env._(
                        "Pricing band %(band)s: the Maximum Score (%(max)s) must be greater than the "
                        "Minimum Score (%(min)s), or 0 for no upper limit.",
                        band=band.name,
                        max=band.max_score,
                        min=band.min_score,
                    )
                )
            if band.pricing_factor <= 0:
                raise ValidationError(
                    self.env._(
                        "Pricing band %(band)s: the Pricing Factor must be greater than 0.", band=band.name
                    )
                )

    @api.model
    def _factor_for_score(self, score):
        """Pricing factor of the first band containing ``score``; 1.0 when no band does."""
        for band in self.search([("pricing_factor", ">", 0)]):
            if score >= band.min_score and (not band.max_score or score < band.max_score):
                return band.pricing_factor
        return 1.0

    @api.model_create_multi
    def create(self, vals_list):
        bands = super().create(vals_list)
        self.env["insurance.risk.rule"]._recompute_health_records()
        return bands

    def write(self, vals):
        result = super().write(vals)
        self.env["insurance.risk.rule"]._recompute_health_records()
        return result

    def unlink(self):
        result = super().unlink()
        # The health records the deleted bands priced get the factor of the
        # band now containing their score (1.0 when none does).
        self.env["insurance.risk.rule"]._recompute_health_records()
        return result
