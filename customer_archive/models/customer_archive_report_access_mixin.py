from odoo import fields, models
from odoo.tools import SQL

from .res_partner import ARCHIVE_TIERS
from .res_partner_access import ACCESS_COLUMNS


class CustomerArchiveReportAccessMixin(models.AbstractModel):
    """Rows of a report view over the customer archives that carry their
    archive's access columns (see res_partner_access.py), so that record
    rules mirroring the archives' read rules
    (``security/customer_archive_analysis_rules.xml``) count for each user
    only the archives they may read.

    The view selects the columns with :meth:`_archive_access_view_columns`
    from its archive joined as ``p``."""

    _name = "customer.archive.report.access.mixin"
    _description = "Report Rows Read with the Archives' Rules"
    _rec_name = "partner_id"
    # What the view reads: the ORM flushes these before it queries the view.
    _depends = {"res.partner": list(ACCESS_COLUMNS)}

    partner_id = fields.Many2one("res.partner", string="Customer Archive", readonly=True)
    archive_access_scope = fields.Integer(readonly=True)
    archive_access_user_id = fields.Many2one("res.users", readonly=True)
    archive_access_tier = fields.Selection(ARCHIVE_TIERS, readonly=True)
    archive_access_restricted = fields.Boolean(readonly=True)

    def _archive_access_view_columns(self):
        """The access columns of the archive row ``p``, for the view's SELECT."""
        return SQL(", ").join(SQL("p.%s", SQL.identifier(column)) for column in ACCESS_COLUMNS)

    def action_open_archives(self):
        """The archives behind the selected rows (read with the user's rules)."""
        partners = self.env["res.partner"].search([("id", "in", self.partner_id.ids)])
        return partners._archive_analysis_open_action(self.env._("Archives"))
