import json

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.export import CSVExport, ExcelExport


def export_is_readonly(controller):
    """Whether an export request is served from a read-only transaction
    (from the replica when ``db_replica_host`` is set): Odoo routes its
    exports read-write because an export with external ids (the "id"
    column of an import-compatible export) creates the missing ones; any
    other export only reads (its audit row goes to the primary on its own,
    customer.archive.audit.log._log_read)."""
    try:
        data = json.loads(request.httprequest.form.get("data") or "{}")
    except ValueError:
        return False
    names = [field.get("name") or "" for field in data.get("fields") or () if isinstance(field, dict)]
    return bool(names) and not any(name == "id" or name.endswith("/id") for name in names)


class ArchiveExcelExport(ExcelExport):
    @http.route(readonly=export_is_readonly)
    def web_export_xlsx(self, data):
        return super().web_export_xlsx(data)


class ArchiveCSVExport(CSVExport):
    @http.route(readonly=export_is_readonly)
    def web_export_csv(self, data):
        return super().web_export_csv(data)
