"""What the scheduled jobs that work in committed chunks within a time budget
share (the contact plan, the pool's auto-return, the batch runs of the tier
recompute and the analysis): each chunk is committed when it ends, so a
worker's time limit or an error costs that chunk only."""

from contextlib import contextmanager

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
