from odoo import api, models


class CustomerArchiveRuleCacheMixin(models.AbstractModel):
    """Clears the registry cache when a record the archives' record rules read changes.

    ``ir.rule._compute_domain`` is cached per user; the rules of the archives read
    grants, pools and employees through ``ir.rule._eval_context``, so a change of
    these must drop the cached domains. A model lists in ``_archive_rule_cache_fields``
    the fields whose write concerns the rules; creating and deleting records always
    does, unless the model narrows it in the two ``_archive_rule_cache_*_concerns`` hooks.
    """

    _name = "customer.archive.rule.cache.mixin"
    _description = "Clears the record rules' cache on change"

    _archive_rule_cache_fields = frozenset()

    @api.model
    def _archive_rule_cache_create_concerns(self, vals_list):
        return True

    def _archive_rule_cache_unlink_concerns(self):
        return True

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._archive_rule_cache_create_concerns(vals_list):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._archive_rule_cache_fields & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        concerned = self._archive_rule_cache_unlink_concerns()
        result = super().unlink()
        if concerned:
            self.env.registry.clear_cache()
        return result
