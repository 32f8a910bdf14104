from odoo import fields, models

from .customer_archive_encryption_mixin import encrypted_field, normalize_code

CIPHERTEXT_GROUP = "base.group_system"


class ResPartner(models.Model):
    """The sensitive fields of the archive (resident ID number, bank account
    number, family situation) are stored encrypted; the ID number and the
    account number are found by exact value through their blind index."""

    _name = "res.partner"
    _inherit = ["res.partner", "customer.archive.encryption.mixin"]

    _encrypted_fields = {
        "archive_resident_id_number": normalize_code,
        "archive_bank_account_number": normalize_code,
        "archive_family_situation": None,
    }

    archive_resident_id_number = encrypted_field(fields.Char, "archive_resident_id_number", index=False)
    archive_bank_account_number = encrypted_field(
        fields.Char, "archive_bank_account_number", string="Bank Account Number"
    )
    archive_family_situation = encrypted_field(
        fields.Text, "archive_family_situation", string="Family Situation"
    )
    archive_resident_id_number_encrypted = fields.Text(
        string="Resident ID Number (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP
    )
    archive_resident_id_number_blind_index = fields.Char(
        string="Resident ID Number (Blind Index)", copy=False, index="btree_not_null"
    )
    archive_bank_account_number_encrypted = fields.Text(
        string="Bank Account Number (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP
    )
    archive_bank_account_number_blind_index = fields.Char(
        string="Bank Account Number (Blind Index)", copy=False, index="btree_not_null"
    )
    archive_family_situation_encrypted = fields.Text(
        string="Family Situation (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP
    )

    def _encrypted_check(self, name):
        # The check digit and the birth date of the ID number are validated
        # on the plain value, before it is encrypted (the constraint on the
        # ID number and the birth date does not run for a computed field
        # saved together with a birth date).
        if name == "archive_resident_id_number":
            self._check_resident_id_number()
        return super()._encrypted_check(name)
