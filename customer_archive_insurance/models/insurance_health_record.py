from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What the risk factors of a health record (``_risk_factor_values``) are read from.
RISK_FACTOR_DEPENDS = (
    "age",
    "bmi",
    "smoker",
    "occupation_risk_class",
    "condition_ids.ongoing",
    "condition_ids.severity",
)


class InsuranceHealthRecord(models.Model):
    """A health and risk declaration (健康记录) of an insured person.

    Visible only to underwriters and claims staff (ACL); every read and change
    is written to the core addon's audit log.
    """

    _name = "insurance.health.record"
    _description = "Health and Risk Record"
    _inherit = ["mail.thread"]
    _order = "declaration_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Insured Person", required=True, index=True, tracking=True, ondelete="restrict"
    )
    agent_id = fields.Many2one(related="partner_id.insurance_agent_id", string="Agent", store=True)
    declaration_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    condition_ids = fields.One2many("insurance.health.condition", "health_record_id", string="Conditions")
    smoker = fields.Boolean(tracking=True)
    height_cm = fields.Float(string="Height (cm)", digits=(16, 1), tracking=True)
    weight_kg = fields.Float(string="Weight (kg)", digits=(16, 1), tracking=True)
    bmi = fields.Float(
        string="BMI",
        compute="_compute_bmi",
        store=True,
        digits=(16, 1),
        help="Body mass index: weight (kg) divided by the square of the height (m).",
    )
    age = fields.Integer(
        string="Age at Declaration",
        compute="_compute_age",
        store=True,
        help="Age in full years of the insured person on the declaration date, from the birth date.",
    )
    occupation_id = fields.Many2one("insurance.occupation", tracking=True)
    occupation_risk_class = fields.Selection(related="occupation_id.risk_class", store=True)
    risk_score = fields.Integer(
        compute="_compute_risk_score",
        store=True,
        help="Sum of the points of the risk scoring rules matching this record.",
    )
    # Not stored: the rules' names are read in the reader's language.
    risk_explanation = fields.Text(
        string="Applied Rules",
        compute="_compute_risk_explanation",
        help="Risk scoring rules that matched.",
    )
    pricing_factor = fields.Float(
        compute="_compute_pricing_factor",
        store=True,
        digits=(16, 2),
        help="Factor of the pricing band of the risk score; new policies of this person copy it.",
    )
    notes = fields.Text()

    @api.constrains("height_cm", "weight_kg")
    def _check_measures(self):
        # Neither the person nor the value: Odoo's HTTP layer logs the message.
        for record in self:
            if record.height_cm < 0 or record.height_cm > 300:
                raise ValidationError(self.env._("Height (cm) must lie between 0 and 300 cm."))
            if record.weight_kg < 0 or record.weight_kg > 500:
                raise ValidationError(self.env._("Weight (kg) must lie between 0 and 500 kg."))

    @api.depends("height_cm", "weight_kg")
    def _compute_bmi(self):
        for record in self:
            height_m = record.height_cm / 100.0
            record.bmi = (
                round(record.weight_kg / (height_m * height_m), 1) if height_m and record.weight_kg else 0.0
            )

    @api.depends("partner_id.archive_birth_date", "declaration_date")
    def _compute_age(self):
        for record in self:
            birth, day = record.partner_id.archive_birth_date, record.declaration_date
            record.age = (
                day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
                if birth and day
                else 0
            )

    def _risk_factor_values(self):
        self.ensure_one()
        ongoing = self.condition_ids.filtered("ongoing")
        return {
            "age": self.age,
            "bmi": self.bmi,
            "smoker": 1.0 if self.smoker else 0.0,
            "occupation_class": float(self.occupation_risk_class or 0),
            "condition_severity": float(max((int(c.severity) for c in ongoing), default=0)),
            "ongoing_condition_count": float(len(ongoing)),
        }

    def _risk_scores(self):
        """{record: (risk score, matched scoring rules)} of these records."""
        rule_model = self.env["insurance.risk.rule"].sudo()  # sudo: scoring rules are read by the computation
        return {record: rule_model._score(record._risk_factor_values()) for record in self}

    @api.depends(*RISK_FACTOR_DEPENDS)
    def _compute_risk_score(self):
        for record, (score, _rules) in self._risk_scores().items():
            record.risk_score = score

    @api.depends_context("lang")
    @api.depends(*RISK_FACTOR_DEPENDS)
    def _compute_risk_explanation(self):
        for record, (_score, rules) in self._risk_scores().items():
            record.risk_explanation = "\n".join(f"{rule.name}: {rule.points:+d}" for rule in rules)

    @api.depends("risk_score")
    def _compute_pricing_factor(self):
        band_model = self.env[
            "insurance.pricing.band"
        ].sudo()  # sudo: pricing bands are read by the computation
        for record in self:
            record.pricing_factor = band_model._factor_for_score(record.risk_score)

    @api.model
    def _latest_for_partners(self, partners):
        """The latest health record of each partner: {partner id: record}."""
        latest = {}
        for record in self.search(
            [("partner_id", "in", partners.ids)], order="declaration_date desc, id desc"
        ):
            latest.setdefault(record.partner_id.id, record)
        return latest

    # Audit: health data is sensitive (domain §4), every access is logged.
    def _audit(self, operation, field_names=None, detail=None):
        if self:
            # sudo: the audit log is written for every reader, who may not
            # have write access to the log itself; env.user stays the reader.
            self.env["customer.archive.audit.log"].sudo()._log(
                self, operation, field_names=field_names, detail=detail
            )

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields=fields, load=load)
        # read stays read-only (servable by a replica): the audit row goes
        # into a short transaction of its own on the primary.
        # sudo: like _audit, the log is written for every reader.
        self.env["customer.archive.audit.log"].sudo()._log_read(self, "read", field_names=fields)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._audit(
            "write", field_names=sorted({key for vals in vals_list for key in vals}), detail="create"
        )
        return records

    def write(self, vals):
        result = super().write(vals)
        self._audit("write", field_names=sorted(vals))
        return result

    def unlink(self):
        self._audit("unlink")
        return super().unlink()
