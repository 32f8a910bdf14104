from odoo import api, fields, models


class CustomerArchiveDocument(models.Model):
    """The recording of a sale (双录) is an archive document of the
    policyholder, kept until the retention date of its policy."""

    _inherit = "customer.archive.document"

    insurance_policy_id = fields.Many2one(
        "insurance.policy", string="Policy", index="btree_not_null", ondelete="restrict"
    )
    retention_date = fields.Date(
        string="Keep Until",
        compute="_compute_retention_date",
        store=True,
        readonly=False,
        help="The document is kept at least until this day; for the recording of a sale, years after the "
        "policy ends (5 for policies of up to one year, 10 for longer ones).",
    )

    @api.depends("insurance_policy_id.recording_retention_date")
    def _compute_retention_date(self):
        for document in self:
            if document.insurance_policy_id:
                document.retention_date = document.insurance_policy_id.recording_retention_date
            else:
                document.retention_date = document.retention_date
