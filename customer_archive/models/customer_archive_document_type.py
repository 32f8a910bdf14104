from odoo import api, fields, models


class CustomerArchiveDocumentType(models.Model):
    """A kind of document filed in a customer archive (立档和归档): the
    business licence copy, the archive form, contracts, correspondence...
    Which types an archive must hold is data the administrator edits."""

    _name = "customer.archive.document.type"
    _inherit = ["customer.archive.recompute.mixin"]
    _description = "Customer Archive Document Type"
    # Which types are required is data: when it changes, every archive's
    # verdict may change.
    _archive_recompute_fields = ("archive_documents_complete",)
    _archive_recompute_triggers = frozenset({"required_company", "required_individual", "active"})
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short unique code, e.g. BIZ_LICENCE.")
    sequence = fields.Integer(
        default=10,
        help="Position of this type in the filed archive: documents are classified by type first.",
    )
    required_company = fields.Boolean(
        string="Required for Companies",
        help="Every company archive must hold at least one document of this type.",
    )
    required_individual = fields.Boolean(
        string="Required for Individuals",
        help="Every individual's archive must hold at least one document of this type.",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_unique",
            "unique(code)",
            "The document type code must be unique: another type already has it.",
        ),
    ]

    @api.model
    def _required_types_by_kind(self):
        """{'company': types, 'individual': types} of the active required types."""
        types = self.search(["|", ("required_company", "=", True), ("required_individual", "=", True)])
        return {
            "company": types.filtered("required_company"),
            "individual": types.filtered("required_individual"),
        }
