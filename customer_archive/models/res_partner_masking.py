from odoo import api, fields, models

from ..tools import masking
from .res_partner_access import SENSITIVE_GROUP


class ResPartner(models.Model):
    """Masking (脱敏): who is not in the group Sensitive Data reads the ID
    number, the bank account number and the family situation masked
    (110105********1234, ****5678, ******) instead of not at all, and the
    phones of exported contact lists masked (138****5678). The plain value
    never leaves the server for them; every read of a plain value is
    audited."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_resident_id_number_masked = fields.Char(
        string="Resident ID Number (Masked)", compute="_compute_sensitive_masked"
    )
    archive_bank_account_number_masked = fields.Char(
        string="Bank Account Number (Masked)", compute="_compute_sensitive_masked"
    )
    archive_family_situation_masked = fields.Char(
        string="Family Situation (Masked)", compute="_compute_sensitive_masked"
    )

    @api.depends(
        "archive_resident_id_number_encrypted",
        "archive_bank_account_number_encrypted",
        "archive_family_situation_encrypted",
    )
    def _compute_sensitive_masked(self):
        # sudo: the masked value is made from the plain one, which the
        # reader may not see; a sudo read is not an unmasked read.
        for partner, plain in zip(self, self.sudo(), strict=True):
            partner.archive_resident_id_number_masked = masking.mask_resident_id(
                plain.archive_resident_id_number
            )
            partner.archive_bank_account_number_masked = masking.mask_account(
                plain.archive_bank_account_number
            )
            partner.archive_family_situation_masked = masking.mask_text(plain.archive_family_situation)

    @api.model
    def _archive_reads_unmasked(self):
        """Whether the current user reads sensitive values in clear."""
        return self.env.su or self.env.user.has_group(SENSITIVE_GROUP)

    @api.model
    def _archive_output_phone(self, value):
        """A phone as an export (contact list, export) shows it to the current user."""
        return value if self._archive_reads_unmasked() else masking.mask_phone(value)

    @api.model
    def _archive_mask_exported_phones(self, fields_to_export, result):
        """Mask the phone columns of an export (``export_data`` result) in place."""
        columns = [
            index
            for index, path in enumerate(fields_to_export)
            if path.split("/")[-1] in ("phone", "mobile", "phone_sanitized")
        ]
        for row in result.get("datas", []) if columns else []:
            for index in columns:
                if isinstance(row[index], str) and row[index]:
                    row[index] = masking.mask_phone(row[index])

    def _encrypted_audit_read(self, field_names):
        """Every read of a plain sensitive value (not sudo) is audited; a
        read in a read-only transaction writes its row in a short
        transaction of its own."""
        records = self.filtered(lambda partner: isinstance(partner.id, int))
        if not records or not field_names:
            return
        detail = self.env._("Sensitive values read unmasked")
        self.env["customer.archive.audit.log"]._log_read(
            records, "read", field_names=field_names, detail=detail
        )
