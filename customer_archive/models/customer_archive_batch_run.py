import logging
import time

import odoo
from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import chunked_job

_logger = logging.getLogger(__name__)

# Seconds a call of a nightly job may work before it commits and re-triggers
# its cron: well inside Odoo's worker limits (limit_time_cpu 60 s,
# limit_time_real 120 s); one system parameter per job.
DEFAULT_TIME_BUDGET = 30


class CustomerArchiveBatchRun(models.Model):
    """One run of a nightly job that works over every archive (the tier
    recompute, the customer analysis) in committed, resumable chunks.

    A run first computes what the job will write — the ranking, the
    analysis figures — once, into a work table of its own (``_work_table``:
    one consistent snapshot for the whole run, however many calls the run
    takes), then applies it ``chunk_size`` archives per transaction, in
    order of the archive id (``partner_cursor``: the last archive applied,
    committed with the chunk that applied it). A call cut off by the
    worker's time limit or an error loses only its current chunk (nothing of
    it was committed) and the next call resumes after the last committed
    one: nothing is applied twice, nothing is left half done. The work table
    is dropped in the transaction that finishes the run.

    The jobs call ``_call`` from their cron; a one-shot run of the same job
    (a button, a test) supersedes an unfinished run (``_supersede``)."""

    _name = "customer.archive.batch.run"
    _description = "Nightly Job Run"
    _order = "id desc"

    job = fields.Selection(
        [("tier_recompute", "Tier Recompute"), ("analysis", "Customer Analysis")],
        required=True,
        readonly=True,
        index=True,
    )
    policy_id = fields.Many2one("customer.tier.policy", readonly=True, ondelete="cascade")
    state = fields.Selection(
        [
            ("prepare", "Preparing"),
            ("apply", "Applying"),
            ("snapshot", "Tier Snapshot"),
            ("done", "Done"),
            ("cancel", "Superseded"),
        ],
        default="prepare",
        required=True,
        readonly=True,
    )
    partner_cursor = fields.Integer(
        string="Applied Up To", readonly=True, help="The id of the last archive this run has applied."
    )
    month_cursor = fields.Date(
        string="Months Added Up To",
        readonly=True,
        help="The last month the run added to the tier distribution.",
    )
    line_count = fields.Integer(string="Archives to Apply", readonly=True)
    changed_count = fields.Integer(string="Archives Changed", readonly=True)
    activity_count = fields.Integer(string="Activities Created", readonly=True)
    call_count = fields.Integer(string="Cron Calls", readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)

    # ------------------------------------------------------------------
    # Work table
    # ------------------------------------------------------------------
    def _work_table(self):
        self.ensure_one()
        return SQL.identifier(f"customer_archive_batch_work_{self.id}")

    def _create_work_table(self, query):
        """The run's snapshot: ``query`` (selecting ``id``, the archive, and
        what to write) stored once; returns its row count."""
        self.ensure_one()
        cr = self.env.cr
        # The planner overestimates these window queries by orders of magnitude
        # (correlated subqueries): its JIT compiled the ranking for 2.2 s of
        # its 4.7 s at 100 000 archives. This transaction (one chunk) only.
        cr.execute(SQL("SET LOCAL jit = off"))
        cr.execute(SQL("DROP TABLE IF EXISTS %s", self._work_table()))
        cr.execute(SQL("CREATE TABLE %s AS %s", self._work_table(), query))
        count = cr.rowcount
        cr.execute(SQL("ALTER TABLE %s ADD PRIMARY KEY (id)", self._work_table()))
        cr.execute(SQL("ANALYZE %s", self._work_table()))
        return count

    def _drop_work_table(self):
        for run in self:
            self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", run._work_table()))

    def _next_chunk(self, chunk_size):
        """SQL condition on ``w.id`` of the next chunk of the work table
        (after ``partner_cursor``), the id it ends at, and whether it is the
        last one."""
        self.ensure_one()
        cr = self.env.cr
        # the first row of the chunk after this one
        cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id > %s ORDER BY id OFFSET %s LIMIT 1",
                self._work_table(),
                self.partner_cursor,
                chunk_size,
            )
        )
        row = cr.fetchone()
        if row:
            return SQL("w.id > %s AND w.id < %s", self.partner_cursor, row[0]), row[0] - 1, False
        cr.execute(SQL("SELECT max(id) FROM %s", self._work_table()))
        last = cr.fetchone()[0] or self.partner_cursor
        return SQL("w.id > %s", self.partner_cursor), last, True

    def _finish(self, values=None):
        self._drop_work_table()
        self.write({**(values or {}), "state": "done", "date_done": fields.Datetime.now()})

    @api.model
    def _supersede(self, job):
        """A new full run of ``job`` in one go makes the unfinished ones
        pointless: they stop, their work tables go."""
        # sudo: the job's bookkeeping; whoever may run the job at once supersedes its runs
        runs = self.sudo().search([("job", "=", job), ("state", "not in", ("done", "cancel"))])
        runs._drop_work_table()
        runs.write({"state": "cancel"})

    # ------------------------------------------------------------------
    # The cron call: chunks within a time budget
    # ------------------------------------------------------------------
    @api.model
    def _commit(self):
        chunked_job.commit(self.env)

    def _chunk(self, commit):
        return chunked_job.chunk(self.env, commit)

    @api.model
    def _time_budget(self, param):
        return chunked_job.time_budget(self.env, param, DEFAULT_TIME_BUDGET)

    @api.model
    def _call(self, job, step, *, lock, cron_xmlid, budget_param, time_budget=None, commit=None, values=None):
        """One call of the cron of ``job``: continue its unfinished run (or
        start one with ``values``) and do ``step(run)`` — one chunk, which
        moves the run on — chunk after chunk, each committed, for
        ``time_budget`` seconds (default: the system parameter
        ``budget_param``, 30 s), always at least one chunk. When work is
        left the cron ``cron_xmlid`` is re-triggered: the next call resumes.

        A self-trigger, not ``ir.cron._notify_progress``: with progress
        reported, Odoo calls the job again up to 10 times in the same pass of
        the cron worker, under one watchdog (``limit_time_real``) and one
        CPU limit; a trigger returns to the worker's loop and every call gets
        the limits afresh.

        One call at a time: an advisory lock ``lock`` (session-wide, held
        across the chunk commits; for the transaction without ``commit``);
        an overlapping call skips. ``commit`` defaults to True outside tests.
        Returns True when the run is done."""
        if commit is None:
            commit = not odoo.modules.module.current_test
        budget = self._time_budget(budget_param) if time_budget is None else time_budget
        started = time.monotonic()
        deadline = started + budget
        with chunked_job.one_call_at_a_time(self.env, lock, commit) as acquired:
            if not acquired:
                _logger.info("%s: another run is in progress, this call is skipped", job)
                return False
            with self._chunk(commit):
                run = self.search([("job", "=", job), ("state", "not in", ("done", "cancel"))], limit=1)
                if run and values and run.policy_id.id != values.get("policy_id"):
                    # the policy chosen in Settings changed: its ranking starts over
                    self._supersede(job)
                    run = self.browse()
                run = run or self.create({"job": job, **(values or {})})
                run.call_count += 1
            while run.state not in ("done", "cancel"):
                with self._chunk(commit):
                    step(run)
                if time.monotonic() >= deadline:
                    break
        finished = run.state in ("done", "cancel")
        _logger.info(
            "%s run %s: %s after call %d; %d of %d archives applied, %d changed; this call took %.2fs",
            job,
            run.id,
            "done" if finished else "to be continued",
            run.call_count,
            run.partner_cursor and self._applied_count(run),
            run.line_count,
            run.changed_count,
            time.monotonic() - started,
        )
        chunked_job.continue_later(self.env, finished, cron_xmlid, commit)
        return finished

    @api.model
    def _applied_count(self, run):
        if run.state != "apply":
            return run.line_count
        self.env.cr.execute(
            SQL("SELECT count(*) FROM %s WHERE id <= %s", run._work_table(), run.partner_cursor)
        )
        return self.env.cr.fetchone()[0]
