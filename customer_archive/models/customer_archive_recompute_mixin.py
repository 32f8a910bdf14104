from odoo import api, models

from ..tools.recompute import recompute_all_archives


class CustomerArchiveRecomputeMixin(models.AbstractModel):
    """Configuration that stored fields of every archive are computed from
    (the required documents, the completeness scheme): creating, changing or
    deleting it marks ``_archive_recompute_fields`` of every archive to
    recompute, set-based at the next flush (``recompute_all_archives``).

    ``_archive_recompute_triggers``: the configuration's fields that matter
    (a record created with one of them set, a write of one of them); empty:
    every create and write does.
    """

    _name = "customer.archive.recompute.mixin"
    _description = "Configuration the Archives Are Computed From"

    _archive_recompute_fields = ()
    _archive_recompute_triggers = frozenset()

    def _archive_recompute(self):
        recompute_all_archives(self.env, *self._archive_recompute_fields)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        triggers = self._archive_recompute_triggers
        # a new record set active changes nothing by itself; one with a trigger set does
        if not triggers or any(vals.get(name) for vals in vals_list for name in triggers - {"active"}):
            records._archive_recompute()
        return records

    def write(self, vals):
        result = super().write(vals)
        if not self._archive_recompute_triggers or self._archive_recompute_triggers & set(vals):
            self._archive_recompute()
        return result

    def unlink(self):
        result = super().unlink()
        self.env[self._name]._archive_recompute()
        return result
