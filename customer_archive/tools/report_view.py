from odoo import tools
from odoo.tools import SQL


def create_report_view(model, query):
    """(Re)create the SQL view of the report model ``model`` (``_auto = False``)
    as ``query``, an ``SQL`` SELECT whose columns are the model's fields; for
    the model's ``init``."""
    tools.drop_view_if_exists(model.env.cr, model._table)
    model.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(model._table), query))
