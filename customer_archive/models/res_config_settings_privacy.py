from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Settings → Customer Archive → Personal Information."""

    # The privacy settings; the other settings are in res_config_settings.py.
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    archive_require_sensitive_consent = fields.Boolean(
        string="Sensitive Data Needs Separate Consent",
        config_parameter="customer_archive.require_sensitive_consent",
        help="Refuse to save the resident ID number, bank account or family situation of a person "
        "without a valid separate consent (单独同意) of that person (PIPL Art. 29).",
    )
