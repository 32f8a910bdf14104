from odoo import api, models

# The record rules of the archives read these through ir.rule._eval_context.
ACCESS_FIELDS = {"user_id", "department_id", "active"}


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env.registry.clear_cache()  # the user's departments changed: rules again
        return employees

    def write(self, vals):
        result = super().write(vals)
        if ACCESS_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        had_users = any(self.mapped("user_id"))
        result = super().unlink()
        if had_users:
            self.env.registry.clear_cache()
        return result
