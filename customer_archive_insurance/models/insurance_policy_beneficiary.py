from odoo import api, fields, models
from odoo.exceptions import ValidationError

BENEFICIARY_RELATIONS = [
    ("spouse", "Spouse"),
    ("child", "Child"),
    ("parent", "Parent"),
    ("sibling", "Sibling"),
    ("legal_heir", "Legal Heir"),
    ("other", "Other"),
]


class InsurancePolicyBeneficiary(models.Model):
    _name = "insurance.policy.beneficiary"
    _description = "Policy Beneficiary"
    _order = "policy_id, sequence, id"

    sequence = fields.Integer(default=10)
    policy_id = fields.Many2one("insurance.policy", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Beneficiary", required=True, ondelete="restrict")
    relation = fields.Selection(
        BENEFICIARY_RELATIONS, string="Relation to the Insured", required=True, default="spouse"
    )
    share = fields.Float(string="Share (%)", digits=(16, 2), required=True, default=100.0)

    @api.constrains("share", "policy_id")
    def _check_share(self):
        for line in self:
            if line.share <= 0 or line.share > 100:
                raise ValidationError(
                    self.env._(
                        "The Share (%%) of beneficiary %(name)s must lie between 0 and 100; %(share)s was entered.",
                        name=line.partner_id.display_name,
                        share=line.share,
                    )
                )
        # A line edited on its own (not through the policy) keeps the
        # policy's beneficiaries at 100 % too.
        self.policy_id._check_beneficiary_shares()
