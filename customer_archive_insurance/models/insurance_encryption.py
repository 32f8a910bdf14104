from odoo import fields, models

CIPHERTEXT_GROUP = "base.group_system"


class InsuranceHealthRecord(models.Model):
    """The notes of a health declaration are stored encrypted."""

    _name = "insurance.health.record"
    _inherit = ["insurance.health.record", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"notes": None}

    notes = fields.Text(
        store=False,
        compute="_compute_encrypted_fields",
        inverse="_inverse_notes",
        search="_search_notes",
    )
    notes_encrypted = fields.Text(string="Notes (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)

    def _inverse_notes(self):
        self._encrypted_inverse("notes")

    def _search_notes(self, operator, value):
        return self._encrypted_search("notes", operator, value)


class InsuranceHealthCondition(models.Model):
    """The declared condition (its name, e.g. the diagnosis) and its notes
    are stored encrypted."""

    _name = "insurance.health.condition"
    _inherit = ["insurance.health.condition", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"name": None, "notes": None}

    name = fields.Char(
        store=False,
        compute="_compute_encrypted_fields",
        inverse="_inverse_name",
        search="_search_name",
    )
    notes = fields.Text(
        store=False,
        compute="_compute_encrypted_fields",
        inverse="_inverse_notes",
        search="_search_notes",
    )
    name_encrypted = fields.Text(string="Condition (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)
    notes_encrypted = fields.Text(string="Notes (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP)

    def _inverse_name(self):
        self._encrypted_inverse("name")

    def _inverse_notes(self):
        self._encrypted_inverse("notes")

    def _search_name(self, operator, value):
        return self._encrypted_search("name", operator, value)

    def _search_notes(self, operator, value):
        return self._encrypted_search("notes", operator, value)


class InsuranceClaim(models.Model):
    """The medical details of a claim are stored encrypted."""

    _name = "insurance.claim"
    _inherit = ["insurance.claim", "customer.archive.encryption.mixin"]

    _encrypted_fields = {"medical_details": None}

    medical_details = fields.Text(
        store=False,
        compute="_compute_encrypted_fields",
        inverse="_inverse_medical_details",
        search="_search_medical_details",
    )
    medical_details_encrypted = fields.Text(
        string="Medical Details (Encrypted)", copy=False, groups=CIPHERTEXT_GROUP
    )

    def _inverse_medical_details(self):
        self._encrypted_inverse("medical_details")

    def _search_medical_details(self, operator, value):
        return self._encrypted_search("medical_details", operator, value)
