from odoo import http
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CustomerArchiveImportTemplate(http.Controller):
    @http.route("/customer_archive/import_template", type="http", auth="user", methods=["GET"])
    def import_template(self, **_kwargs):
        """The import template (客户档案表) in the reader's language, whose
        column titles Odoo's Import maps without manual matching."""
        partners = request.env["res.partner"]
        content = partners._archive_import_template_xlsx()
        file_name = request.env._("customer_archive_template") + ".xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(file_name)),
            ],
        )
