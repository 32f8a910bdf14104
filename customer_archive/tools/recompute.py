"""Recomputing a stored field of every customer archive after a change of configuration."""


def recompute_all_archives(env, *field_names):
    """Mark ``field_names`` of every archive (archived ones too) to recompute.

    The computes run set-based at the next flush, not one archive at a time.
    """
    Partner = env["res.partner"]
    partners = Partner.with_context(active_test=False).search([("is_customer_archive", "=", True)])
    for name in field_names:
        env.add_to_compute(Partner._fields[name], partners)
