from odoo import fields, models

from .customer_archive_import_batch import CHUNK_DEFAULT, CHUNK_PARAM, THRESHOLD_DEFAULT, THRESHOLD_PARAM


class ResConfigSettings(models.TransientModel):
    """Settings → Customer Archive → Import: when a file is imported in the background."""

    # The import settings; the other settings are in res_config_settings.py.
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    archive_import_background_threshold = fields.Integer(
        string="Background Import Above (Rows)",
        config_parameter=THRESHOLD_PARAM,
        default=THRESHOLD_DEFAULT,
        help="A file with more rows is imported by a scheduled job, in chunks, instead of during the "
        "web request; its import batch shows the progress and the importer is notified when it is done.",
    )
    archive_import_chunk_size = fields.Integer(
        string="Rows per Chunk",
        config_parameter=CHUNK_PARAM,
        default=CHUNK_DEFAULT,
        help="Rows the background import writes and commits at a time.",
    )
