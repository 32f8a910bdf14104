from odoo import fields, models

from odoo.addons.customer_archive.models.customer_archive_encryption_mixin import encrypted_field

CIPHERTEXT_GROUP = "base.group_system"


class InsuranceHealthRecord(models.Model):
    """The notes of a health declaration are stored encrypted."""

    _name = "insurance.health.record"
    _inherit = ["insurance.health.record", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"notes": None}

    notes = encrypted_field(fields.Text, "notes")
    notes_encrypted = fields.Text(string="Notes (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)


class InsuranceHealthCondition(models.Model):
    """The declared condition (its name, e.g. the diagnosis) and its notes
    are stored encrypted."""

    _name = "insurance.health.condition"
    _inherit = ["insurance.health.condition", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"name": None, "notes": None}

    name = encrypted_field(fields.Char, "name")
    notes = encrypted_field(fields.Text, "notes")
    name_encrypted = fields.Text(string="Condition (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)
    notes_encrypted = fields.Text(string="Notes (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)


class InsuranceClaim(models.Model):
    """The medical details of a claim are stored encrypted."""

    _name = "insurance.claim"
    _inherit = ["insurance.claim", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"medical_details": None}

    medical_details = encrypted_field(fields.Text, "medical_details")
    medical_details_encrypted = fields.Text(
        string="Medical Details (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP
    )
