import logging
import threading
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.counts import count_by
from .res_partner import SOURCE_CHANNELS

_logger = logging.getLogger(__name__)

# Settings (ir.config_parameter) of the import and their defaults.
THRESHOLD_PARAM = "customer_archive.import_background_threshold"
THRESHOLD_DEFAULT = 1000
CHUNK_PARAM = "customer_archive.import_chunk_size"
CHUNK_DEFAULT = 500
# Seconds of work per run of the background job, well inside Odoo's
# limit_time_cpu (60 s by default): the next run continues.
JOB_TIME_BUDGET = 30
# Lines of errors kept on a batch (the first ones; the counts are complete).
MAX_ERROR_LINES = 500

DUPLICATE_MODES = [
    ("update", "Update them"),
    ("report", "Report them, change nothing"),
]


class CustomerArchiveImportBatch(models.Model):
    """One import of customer archives (导入批次): who imported which file
    when, how many archives it created and updated, which rows it refused
    and why. A file above the background threshold (Settings) is imported
    by a scheduled job in committed chunks; the batch shows its progress and
    its importer is notified when it is done."""

    _name = "customer.archive.import.batch"
    _description = "Customer Archive Import Batch"
    _inherit = ["mail.thread"]
    _order = "id desc"
    # the importer (read access) comments on their batch
    _mail_post_access = "read"

    name = fields.Char(string="File Name", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Imported By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="running",
        required=True,
        readonly=True,
        tracking=True,
    )
    background = fields.Boolean(
        string="In the Background",
        readonly=True,
        help="The file was above the background threshold (Settings): a scheduled job imports it in chunks.",
    )
    source_channel = fields.Selection(SOURCE_CHANNELS, readonly=True, help="收集渠道 given to the archives.")
    duplicate_mode = fields.Selection(
        DUPLICATE_MODES,
        string="Matching Archives",
        default="update",
        required=True,
        readonly=True,
        help="What a row that matches an existing archive (same credit code, ID number, phone or e-mail) does.",
    )
    all_or_nothing = fields.Boolean(
        string="All or Nothing",
        readonly=True,
        help="Nothing is written when one row is refused.",
    )
    row_count = fields.Integer(string="Rows", readonly=True)
    processed_count = fields.Integer(string="Rows Processed", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    failed_count = fields.Integer(string="Refused", readonly=True)
    progress = fields.Float(compute="_compute_progress", string="Progress (%)")
    error_log = fields.Text(string="Errors", readonly=True)
    partner_ids = fields.One2many("res.partner", "archive_import_batch_id", string="Archives")
    partner_count = fields.Integer(compute="_compute_partner_count", string="Archives Count")
    # base_import.import record (transient) whose calls fill this batch
    import_wizard_id = fields.Integer(readonly=True, copy=False)
    # background import: the file and the mapping the user chose
    attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False, ondelete="set null")
    import_fields = fields.Json(readonly=True, copy=False)
    import_columns = fields.Json(readonly=True, copy=False)
    import_options = fields.Json(readonly=True, copy=False)
    next_row = fields.Integer(readonly=True, copy=False, help="Row of the file the next chunk starts at.")
    phase = fields.Selection(
        [("test", "Test"), ("import", "Import")],
        default="import",
        readonly=True,
        copy=False,
        help="An all-or-nothing import first tests every chunk, then writes.",
    )

    @api.depends("row_count", "processed_count", "state")
    def _compute_progress(self):
        for batch in self:
            if batch.state == "done":
                batch.progress = 100.0
            elif batch.row_count:
                done = batch.processed_count
                if batch.all_or_nothing and batch.background:
                    # two passes: the test, then the import
                    done = (done + (batch.row_count if batch.phase == "import" else 0)) / 2
                batch.progress = min(100.0, 100.0 * done / batch.row_count)
            else:
                batch.progress = 0.0

    def _compute_partner_count(self):
        counts = count_by(self.env["res.partner"], "archive_import_batch_id", self)
        for batch in self:
            batch.partner_count = counts.get(batch, 0)

    def action_open_archives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_archive.action_customer_archive")
        action["domain"] = [("archive_import_batch_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Recording (called by res.partner's load())
    # ------------------------------------------------------------------
    def _record_chunk(self, created=0, updated=0, failed=0, messages=()):
        """Add the outcome of one load() to the batch."""
        self.ensure_one()
        lines = [message["message"] for message in messages if message.get("message")]
        log = self.error_log or ""
        kept = log.count("\n") + 1 if log else 0
        if lines and kept < MAX_ERROR_LINES:
            log = "\n".join(filter(None, [log, *lines[: MAX_ERROR_LINES - kept]]))
        # sudo: the counters and the log are written by the import, also for
        # an importer whose rights on batches are read-only
        self.sudo().write(
            {
                "created_count": self.created_count + created,
                "updated_count": self.updated_count + updated,
                "failed_count": self.failed_count + failed,
                "error_log": log or False,
            }
        )

    def _check_importer(self):
        """A batch id given in the context is only used by its importer."""
        if self and (len(self) != 1 or (self.user_id != self.env.user and not self.env.su)):
            raise AccessError(self.env._("This import batch belongs to another user."))
        return self

    # ------------------------------------------------------------------
    # Background import
    # ------------------------------------------------------------------
    @api.model
    def _background_threshold(self):
        # sudo: the setting is read for every importer
        value = self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM)
        return int(value) if value and value.isdigit() else THRESHOLD_DEFAULT

    @api.model
    def _chunk_size(self):
        # sudo: the setting is read for every importer
        value = self.env["ir.config_parameter"].sudo().get_param(CHUNK_PARAM)
        return max(1, int(value)) if value and value.isdigit() else CHUNK_DEFAULT

    def _archive_import_queue(self, wizard, fields, columns, options):
        """Keep the file and the mapping of ``wizard`` (base_import.import)
        for the background job, start it, and tell the web client."""
        self.ensure_one()
        # sudo: the file is kept as a technical attachment of the batch,
        # which only its importer and the managers read
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.name,
                    "raw": wizard.file,
                    "mimetype": wizard.file_type or "application/octet-stream",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        kept = {key: value for key, value in options.items() if key not in ("skip", "limit")}
        self.sudo().write(
            {
                "background": True,
                "state": "queued",
                "attachment_id": attachment.id,
                "import_fields": list(fields),
                "import_columns": list(columns),
                "import_options": kept,
                "next_row": 0,
                "phase": "test" if self.all_or_nothing else "import",
            }
        )
        self.env.ref("customer_archive.ir_cron_customer_archive_import")._trigger()
        message = self.env._(
            "The file has %(rows)s rows, more than %(threshold)s: it is imported in the background as "
            "import batch “%(batch)s” (Customer Archives → Import Batches), where you follow its "
            "progress. You are notified when it is done.",
            rows=self.row_count,
            threshold=self._background_threshold(),
            batch=self.name,
        )
        return {"ids": [], "messages": [{"type": "info", "message": message}], "nextrow": 0, "name": []}

    @api.model
    def _cron_import_batches(self):
        """Scheduled job: continue the queued and running background imports,
        chunk by chunk, each chunk committed with the batch's position (a run
        cut off mid-chunk leaves nothing of it; the next run redoes it)."""
        deadline = time.monotonic() + JOB_TIME_BUDGET
        batches = self.search([("background", "=", True), ("state", "in", ("queued", "running"))], order="id")
        for batch in batches:
            while batch.state in ("queued", "running") and time.monotonic() < deadline:
                batch._import_next_chunk()
                if not getattr(threading.current_thread(), "testing", False):
                    # each chunk is kept with the batch's position: the job resumes there
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    # memory stays flat: the records of the chunk leave the cache
                    self.env.invalidate_all()
            if time.monotonic() >= deadline:
                break
        if self.search_count([("background", "=", True), ("state", "in", ("queued", "running"))], limit=1):
            self.env.ref("customer_archive.ir_cron_customer_archive_import")._trigger()

    def _import_next_chunk(self):
        """One chunk of a background import, as its importer (their access
        rules apply), through base_import as the web client calls it."""
        self.ensure_one()
        batch = self.with_user(self.user_id).with_company(self.company_id)
        wizard = batch.env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": self.attachment_id.raw,
                "file_name": self.name,
                "file_type": self.attachment_id.mimetype,
            }
        )
        options = dict(self.import_options or {}, skip=self.next_row, limit=self._chunk_size())
        testing = self.all_or_nothing and self.phase == "test"
        try:
            with self.env.cr.savepoint():
                result = wizard.with_context(archive_import_batch_id=self.id).execute_import(
                    self.import_fields, self.import_columns, options, dryrun=testing
                )
        except Exception as error:
            _logger.warning("Import batch %s failed: %s", self.id, type(error).__name__)
            self.sudo().write({"state": "failed"})
            self._record_chunk(messages=[{"message": self.env._("The import stopped: %s", error)}])
            self._notify_importer()
            return
        # sudo: the job's own import record, kept by no one (transient, no ACL for unlink)
        wizard.sudo().unlink()
        messages = result.get("messages") or []
        if testing and messages:
            self._record_chunk(
                failed=len({m.get("record") for m in messages if "record" in m}), messages=messages
            )
        nextrow = result.get("nextrow") or 0
        values = {"state": "running", "next_row": nextrow, "processed_count": nextrow or self.row_count}
        if not nextrow:
            if testing and self.failed_count:
                values["state"] = "failed"
            elif testing:
                values.update(phase="import", next_row=0, processed_count=0)
            else:
                values["state"] = "done"
        self.sudo().write(values)
        if values["state"] in ("done", "failed"):
            self.attachment_id.sudo().unlink()
            self._notify_importer()

    def _notify_importer(self):
        """A message in the importer's inbox: the counts and what failed."""
        self.ensure_one()
        counts = {
            "file": self.name,
            "created": self.created_count,
            "updated": self.updated_count,
            "failed": self.failed_count,
        }
        if self.state == "done":
            body = self.env._(
                "The import of %(file)s is done: %(created)s archives created, %(updated)s updated, "
                "%(failed)s rows refused.",
                **counts,
            )
        elif self.all_or_nothing:
            body = self.env._(
                "The import of %(file)s wrote nothing: %(failed)s rows are refused (see Errors). "
                "Correct them and import the file again.",
                **counts,
            )
        else:
            body = self.env._(
                "The import of %(file)s stopped: %(created)s archives created, %(updated)s updated, "
                "%(failed)s rows refused (see Errors).",
                **counts,
            )
        # sudo: the job posts on the batch of its importer
        self.sudo().message_post(
            body=body,
            partner_ids=self.user_id.partner_id.ids,
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )
