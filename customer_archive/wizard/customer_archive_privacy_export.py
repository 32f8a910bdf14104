import base64
import io
import json

import xlsxwriter

from odoo import fields, models

EXPORT_FORMATS = [
    ("json", "JSON"),
    ("xlsx", "Excel (XLSX)"),
]


class CustomerArchivePrivacyExport(models.TransientModel):
    """Everything stored about a person, in one file (个人信息保护): for the
    archive administrator, on the person's request. Every export is logged."""

    _name = "customer.archive.privacy.export"
    _description = "Customer Archive Privacy Export"

    partner_id = fields.Many2one("res.partner", string="Person", required=True, ondelete="cascade")
    file_format = fields.Selection(EXPORT_FORMATS, string="Format", required=True, default="json")
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    def _render_json(self, data):
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()

    def _render_xlsx(self, data):
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        for index, (section, rows) in enumerate(data.items()):
            # Sheet names: at most 31 characters, unique.
            sheet = workbook.add_worksheet(f"{index + 1} {section}"[:31])
            columns = sorted({key for row in rows for key in row})
            for col, name in enumerate(columns):
                sheet.write(0, col, name, bold)
            for line, row in enumerate(rows, start=1):
                for col, name in enumerate(columns):
                    value = row.get(name)
                    sheet.write(line, col, value if isinstance(value, int | float | str) else str(value))
        workbook.close()
        return stream.getvalue()

    def action_export(self):
        self.ensure_one()
        partner = self.partner_id
        data = partner._archive_privacy_data()
        content = self._render_json(data) if self.file_format == "json" else self._render_xlsx(data)
        number = partner.sudo().archive_number or str(partner.id)
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": f"privacy_export_{number}.{self.file_format}",
            }
        )
        self.env["customer.archive.audit.log"]._log(
            partner,
            "privacy_export",
            detail=self.env._(
                "%(format)s, %(count)s records from %(models)s models",
                format=self.file_format.upper(),
                count=sum(len(rows) for rows in data.values()),
                models=len(data),
            ),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
