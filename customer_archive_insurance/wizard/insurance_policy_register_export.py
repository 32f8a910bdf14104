import base64
import io

import xlsxwriter

from odoo import api, fields, models

from ..models.insurance_policy import POLICY_STATES, PRODUCT_TYPES


class InsurancePolicyRegisterExport(models.TransientModel):
    """Exports the policy register (保单登记表) as an XLSX workbook."""

    _name = "insurance.policy.register.export"
    _description = "Policy Register Export"

    state = fields.Selection(POLICY_STATES, string="Status", help="Leave empty for every status.")
    product_type = fields.Selection(PRODUCT_TYPES, help="Leave empty for every product type.")
    agent_id = fields.Many2one("res.users", help="Leave empty for every agent.")
    date_from = fields.Date(string="Start Date From")
    date_to = fields.Date(string="Start Date To")

    def _policy_domain(self):
        self.ensure_one()
        domain = []
        if self.state:
            domain.append(("state", "=", self.state))
        if self.product_type:
            domain.append(("product_type", "=", self.product_type))
        if self.agent_id:
            domain.append(("agent_id", "=", self.agent_id.id))
        if self.date_from:
            domain.append(("start_date", ">=", self.date_from))
        if self.date_to:
            domain.append(("start_date", "<=", self.date_to))
        return domain

    def _columns(self):
        policy = self.env["insurance.policy"]

        def label(name):
            return policy._fields[name]._description_string(self.env)

        def selection(name):
            return dict(policy._fields[name]._description_selection(self.env))

        product_types, states, frequencies = (
            selection("product_type"),
            selection("state"),
            selection("payment_frequency"),
        )
        return [
            (label("name"), lambda p: p.name, None),
            (label("insurer_id"), lambda p: self._party_name(p.insurer_id), None),
            (label("product_type"), lambda p: product_types.get(p.product_type, ""), None),
            (label("policyholder_id"), lambda p: self._party_name(p.policyholder_id), None),
            (label("insured_id"), lambda p: self._party_name(p.insured_id), None),
            (label("agent_id"), lambda p: p.agent_id.name or "", None),
            (label("state"), lambda p: states.get(p.state, ""), None),
            (label("start_date"), lambda p: p.start_date, "date"),
            (label("end_date"), lambda p: p.end_date, "date"),
            (label("payment_frequency"), lambda p: frequencies.get(p.payment_frequency, ""), None),
            (label("premium"), lambda p: p.premium, "money"),
            (label("annual_premium"), lambda p: p.annual_premium, "money"),
            (label("sum_insured"), lambda p: p.sum_insured, "money"),
            (label("pricing_factor"), lambda p: p.pricing_factor, None),
            (label("claims_paid"), lambda p: p.claims_paid, "money"),
        ]

    def _party_name(self, partner):
        # sudo: the register shows the names of the parties of policies the
        # user may see, as the policy form does, even when the partner's
        # archive itself is restricted.
        return partner.sudo().display_name or ""

    @api.model
    def _money_format(self, currency):
        """Excel number format of the amounts: the currency's symbol on its
        side (``"¥" #,##0.00`` for renminbi), as Odoo shows them."""
        symbol = '"{}"'.format((currency.symbol or currency.name or "").replace('"', ""))
        digits = "0." + "0" * currency.decimal_places if currency.decimal_places else "0"
        number = f"#,##{digits}"
        return f"{symbol} {number}" if currency.position == "before" else f"{number} {symbol}"

    def _generate_xlsx(self):
        """The register as XLSX bytes: a title row, a header row, one row per policy."""
        self.ensure_one()
        policies = self.env["insurance.policy"].search(self._policy_domain(), order="insurer_id, name")
        columns = self._columns()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Policy Register"))
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "money": workbook.add_format({"num_format": self._money_format(self.env.company.currency_id)}),
        }
        sheet.write(0, 0, self.env._("Policy Register"), title)
        for col, (name, _getter, _kind) in enumerate(columns):
            sheet.write(1, col, name, header)
            sheet.set_column(col, col, 16)
        for row, policy in enumerate(policies, start=2):
            for col, (_name, getter, kind) in enumerate(columns):
                value = getter(policy)
                if kind == "date" and value:
                    sheet.write_datetime(row, col, fields.Datetime.to_datetime(value), formats["date"])
                elif value is False or value is None:
                    sheet.write_blank(row, col, None)
                else:
                    sheet.write(row, col, value, formats.get(kind))
        sheet.freeze_panes(2, 0)
        workbook.close()
        return output.getvalue()

    def action_export(self):
        self.ensure_one()
        filename = self.env._("Policy Register") + f" {fields.Date.context_today(self)}.xlsx"
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(self._generate_xlsx()),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
