from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerArchiveInteraction(models.Model):
    """Satisfaction scores (客户满意度) of return calls and surveys (电话回访,
    满意度调查, seed 003 §六): a score 1–5 on a completed call or a survey."""

    _inherit = "customer.archive.interaction"

    interaction_type = fields.Selection(
        selection_add=[("survey", "Satisfaction Survey")], ondelete={"survey": "set default"}
    )
    satisfaction_score = fields.Integer(
        string="Satisfaction (1–5)",
        aggregator="avg",
        help="How satisfied the customer said they are, 1 (very dissatisfied) to 5 (very satisfied), "
        "asked in a return call or a satisfaction survey. Leave empty when not asked.",
    )

    _sql_constraints = [
        (
            "satisfaction_score_range",
            "CHECK(satisfaction_score IS NULL OR satisfaction_score = 0 "
            "OR (satisfaction_score >= 1 AND satisfaction_score <= 5))",
            "The Satisfaction (1–5) score must lie between 1 and 5.",
        ),
    ]

    @api.constrains("satisfaction_score", "interaction_type")
    def _check_satisfaction_score(self):
        for interaction in self:
            score = interaction.satisfaction_score
            if score and not 1 <= score <= 5:
                raise ValidationError(
                    self.env._(
                        "Satisfaction (1–5) of “%(summary)s”: %(score)s is not a score; enter 1 (very "
                        "dissatisfied) to 5 (very satisfied), or leave it empty.",
                        summary=interaction.summary,
                        score=score,
                    )
                )
            if score and interaction.interaction_type not in ("call", "survey", "visit", "meeting"):
                raise ValidationError(
                    self.env._(
                        "Satisfaction (1–5) of “%(summary)s”: a score is recorded on a call, visit, "
                        "meeting or satisfaction survey; change the Type or clear the score.",
                        summary=interaction.summary,
                    )
                )
