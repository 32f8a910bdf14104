from odoo import api, fields, models

APPLIES_TO = [
    ("company", "Companies"),
    ("individual", "Individuals"),
    ("both", "Companies and Individuals"),
]

# The fields a completeness rule may name: the partner's completeness is a
# stored compute, so its dependencies must be known in advance.
COMPLETENESS_CANDIDATES = (
    "street",
    "city",
    "zip",
    "country_id",
    "phone",
    "mobile",
    "email",
    "website",
    "user_id",
    "archive_department_id",
    "archive_source_channel",
    "archive_unified_social_credit_code",
    "archive_founding_date",
    "archive_registered_capital",
    "archive_main_shareholders",
    "archive_bank_name",
    "archive_bank_account_number",
    "archive_company_size",
    "archive_employee_count",
    "archive_company_type",
    "archive_industry_position",
    "archive_main_business",
    "archive_credit_rating",
    "archive_gender",
    "archive_birth_date",
    "archive_resident_id_number",
    "archive_occupation",
    # sections of the 客户档案表 that are lists: complete when they hold a row
    "archive_key_person_ids",
    "archive_transaction_ids",
)
# What the completeness also depends on (a contact becoming a key person).
COMPLETENESS_DEPENDENCIES = ("archive_key_person_ids.archive_key_person_role",)


class CustomerArchiveRequiredField(models.Model):
    """A field an archive must fill to be complete (数据质量: 完整性)."""

    _name = "customer.archive.required.field"
    _inherit = ["customer.archive.recompute.mixin"]
    _description = "Customer Archive Required Field"
    _archive_recompute_fields = ("archive_completeness", "archive_missing_field_names")
    _order = "applies_to, sequence, id"

    sequence = fields.Integer(default=10)
    field_id = fields.Many2one(
        "ir.model.fields",
        required=True,
        ondelete="cascade",
        domain=[("model", "=", "res.partner"), ("name", "in", COMPLETENESS_CANDIDATES)],
    )
    applies_to = fields.Selection(APPLIES_TO, required=True, default="both")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "field_applies_unique",
            "unique(field_id, applies_to)",
            "This field is already required for these archives.",
        ),
    ]

    @api.model
    def _rules_by_kind(self):
        """{'company': [field names], 'individual': [field names]}"""
        rules = {"company": [], "individual": []}
        for rule in self.search([("field_id", "!=", False)]):
            name = rule.field_id.name
            if name not in COMPLETENESS_CANDIDATES:
                continue
            for kind in ("company", "individual"):
                if rule.applies_to in (kind, "both"):
                    rules[kind].append(name)
        return rules

    def _archive_recompute(self):
        result = super()._archive_recompute()
        # the labels shown are computed from those names when read
        self.env["res.partner"].invalidate_model(["archive_missing_fields"])
        return result
