from odoo import api, fields, models


class ResUsers(models.Model):
    """The customer pools a user is a member of (directly, or through the
    department of one of their employees): the read scope of the pool
    rule in ``security/customer_archive_pool_rules.xml``."""

    # A concern of res.users: the pools; the other fields are in res_users.py.
    _inherit = "res.users"  # pylint: disable=consider-merging-classes-inherited

    archive_pool_ids = fields.Many2many(
        "customer.archive.pool",
        string="Customer Pools",
        compute="_compute_archive_pool_ids",
        compute_sudo=True,
    )

    @api.depends("employee_ids.department_id")
    def _compute_archive_pool_ids(self):
        Pool = self.env["customer.archive.pool"]
        for user in self:
            departments = user.employee_ids.filtered("active").department_id
            user.archive_pool_ids = Pool.search(
                ["|", ("member_user_ids", "in", user.ids), ("member_department_ids", "in", departments.ids)]
            )
