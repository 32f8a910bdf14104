"""What the scheduled jobs that work in committed chunks within a time budget
share (the contact plan, the pool's auto-return, the batch runs of the tier
recompute and the analysis): each chunk is committed when it ends, so a
worker's time limit or an error costs that chunk only."""

from contextlib import contextmanager

from odoo.tools import SQL

DEFAULT_TIME_BUDGET = 30.0


def time_budget(env, param, default=DEFAULT_TIME_BUDGET):
    """Seconds a call of the job works for: the setting ``param``, else ``default``."""
    # sudo: configuration read by the job.
    value = env["ir.config_parameter"].sudo().get_param(param)
    try:
        return float(value) if value else default
    except ValueError:
        return default


def commit(env):
    """End of a chunk: what it did is kept whatever happens to the next one."""
    env.flush_all()
    env.cr.commit()  # pylint: disable=invalid-commit


@contextmanager
def chunk(env, do_commit):
    """One chunk: committed when it ends (``do_commit``), else in a savepoint
    (tests, one transaction): either way a chunk cut off by an error leaves
    nothing of itself behind."""
    if do_commit:
        yield
        commit(env)
    else:
        with env.cr.savepoint():
            yield


def continue_later(env, finished, cron_xmlid, do_commit):
    """End of a call of the job: while work is left (not ``finished``) its
    cron ``cron_xmlid`` is triggered again, so the next call gets the
    worker's limits afresh; committed when ``do_commit``."""
    if not finished:
        cron = env.ref(cron_xmlid, raise_if_not_found=False)
        if cron:
            # sudo: the job re-triggers its own cron.
            cron.sudo()._trigger()
    if do_commit:
        commit(env)


@contextmanager
def one_call_at_a_time(env, lock, do_commit):
    """Yields whether this call holds the advisory lock ``lock`` (False: an
    overlapping call has it, this one should skip). With ``do_commit`` the
    lock is the session's, held across the chunk commits and released at
    the end, after rolling back what an error left uncommitted; without,
    the transaction's lock is enough and there is nothing to release."""
    cr = env.cr
    function = "pg_try_advisory_lock" if do_commit else "pg_try_advisory_xact_lock"
    cr.execute(SQL("SELECT %s(%s)", SQL(function), lock))
    if not cr.fetchone()[0]:
        yield False
        return
    try:
        yield True
    except Exception:
        if do_commit:
            cr.rollback()
        raise
    finally:
        if do_commit:
            cr.execute(SQL("SELECT pg_advisory_unlock(%s)", lock))
