from odoo import api, models
from odoo.tools import SQL


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """Two more names for the record rules of the customer archives:
        ``archive_department_ids`` (the departments of the user's employees)
        and ``archive_granted_partner_ids`` (the archives of the user's active
        access grants).

        As plain id lists, the rules stay simple comparisons of the partner's
        own columns: PostgreSQL can use the indexes, and the ORM's in-memory
        check of records already read does not load departments, employees
        and grants for every record. The rules are cached per user, so the
        models these lists come from clear the cache when they change
        (``hr.employee``, ``customer.archive.access.grant``)."""
        context = super()._eval_context()
        uid = self.env.uid
        self.env["hr.employee"].flush_model(["user_id", "department_id", "active"])
        self.env["customer.archive.access.grant"].flush_model(["user_id", "partner_id", "state"])
        context["archive_department_ids"] = self._archive_ids(
            SQL(
                "SELECT DISTINCT department_id FROM hr_employee"
                " WHERE user_id = %s AND active AND department_id IS NOT NULL ORDER BY 1",
                uid,
            )
        )
        context["archive_granted_partner_ids"] = self._archive_ids(
            SQL(
                "SELECT DISTINCT partner_id FROM customer_archive_access_grant"
                " WHERE user_id = %s AND state = 'active' ORDER BY 1",
                uid,
            )
        )
        return context

    def _archive_ids(self, query):
        """The first column of ``query`` (an ``odoo.tools.SQL``), as a list."""
        self.env.cr.execute(query)
        return [row[0] for row in self.env.cr.fetchall()]
