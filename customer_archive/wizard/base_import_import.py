from odoo import models
from odoo.exceptions import AccessError

from ..models.customer_archive_import_batch import DUPLICATE_MODES
from ..models.res_partner import SOURCE_CHANNELS

IMPORT_GROUP = "customer_archive.group_archive_user"


class BaseImportImport(models.TransientModel):
    """Odoo's Import of customer archives: the options of the archive
    import (matching archives, all or nothing, source channel), its batch,
    and the background import of a large file."""

    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        if self.res_model != "res.partner" or self.env.context.get("customer_archive_skip"):
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        if not (self.env.su or self.env.user.has_group(IMPORT_GROUP)):
            raise AccessError(
                self.env._("Only archive users (sales reps) and their managers import customer archives.")
            )
        archive_options = self._archive_import_options(options, dryrun)
        Batch = self.env["customer.archive.import.batch"]
        batch = Batch.browse(self.env.context.get("archive_import_batch_id") or [])._check_importer()
        if not batch and not dryrun:
            batch = Batch.search([("import_wizard_id", "=", self.id), ("state", "=", "running")], limit=1)
            if not batch:
                rows = self._archive_import_row_count(options)
                batch = Batch.create(
                    {
                        "name": self.file_name or self.env._("Import"),
                        "import_wizard_id": self.id,
                        "row_count": rows,
                        "source_channel": archive_options["source_channel"],
                        "duplicate_mode": archive_options["duplicate_mode"],
                        "all_or_nothing": archive_options["all_or_nothing"],
                    }
                )
                if rows > Batch._background_threshold():
                    return batch._archive_import_queue(self, fields, columns, options)
        result = super(
            BaseImportImport,
            self.with_context(archive_import_options=archive_options, archive_import_batch_id=batch.id),
        ).execute_import(fields, columns, options, dryrun=dryrun)
        if batch and not batch.background:
            nextrow = result.get("nextrow") or 0
            # sudo: the import moves its own batch on
            batch.sudo().write(
                {
                    "processed_count": nextrow or batch.row_count,
                    "state": "running" if nextrow else ("failed" if result.get("ids") is False else "done"),
                }
            )
        return result

    def _archive_import_options(self, options, dryrun):
        """The archive import's options, from the import options the web
        client sends, checked against their allowed values."""
        channel = options.get("archive_source_channel")
        mode = options.get("archive_duplicate_mode")
        return {
            "duplicate_mode": mode if mode in dict(DUPLICATE_MODES) else "update",
            "all_or_nothing": bool(options.get("archive_all_or_nothing")),
            "source_channel": channel if channel in dict(SOURCE_CHANNELS) else False,
            "skip": options.get("skip", 0),
            "has_headers": options.get("has_headers", True),
            "dryrun": dryrun,
        }

    def _archive_import_row_count(self, options):
        """Rows of data in the file (without its header)."""
        _length, rows = self._read_file(options)
        return max(0, len(rows) - (1 if options.get("has_headers") else 0))
