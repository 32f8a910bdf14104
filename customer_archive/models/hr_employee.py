from odoo import api, models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "customer.archive.rule.cache.mixin"]

    # The record rules of the archives read these through ir.rule._eval_context.
    _archive_rule_cache_fields = frozenset({"user_id", "department_id", "active"})

    @api.model
    def _archive_rule_cache_create_concerns(self, vals_list):
        # the user's departments changed: rules again
        return any(vals.get("user_id") for vals in vals_list)

    def _archive_rule_cache_unlink_concerns(self):
        return any(self.mapped("user_id"))
