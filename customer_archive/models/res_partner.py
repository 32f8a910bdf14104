from odoo import api, fields, models
from odoo.exceptions import ValidationError

ARCHIVE_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("dormant", "Dormant"),
    ("closed", "Closed"),
]

ARCHIVE_TIERS = [
    ("a", "A"),
    ("b", "B"),
    ("c", "C"),
]

SOURCE_CHANNELS = [
    ("web", "Internet"),
    ("advertising", "Advertising"),
    ("transaction_records", "Transaction Records"),
    ("association", "Industry Association or Authority"),
    ("rep_visit", "Sales Rep Visit or Market Survey"),
    ("questionnaire", "Questionnaire Mailed to the Customer"),
    ("investigation_agency", "Professional Investigation Agency"),
    ("other", "Other"),
]

KEY_PERSON_ROLES = [
    ("legal_representative", "Legal Representative"),
    ("main_responsible", "Main Responsible Person"),
    ("main_contact", "Main Contact"),
]

COMPANY_SIZES = [
    ("large", "Large"),
    ("medium", "Medium"),
    ("small", "Small"),
    ("micro", "Micro"),
]

COMPANY_TYPES = [
    ("listed", "Listed Company"),
    ("private_limited", "Private Limited Company"),
    ("sino_foreign_jv", "Sino-Foreign Joint Venture"),
    ("wholly_foreign_owned", "Wholly Foreign-Owned Enterprise"),
    ("state_owned", "State-Owned Enterprise"),
]

INDUSTRY_POSITIONS = [
    ("leader", "Leader"),
    ("influential", "Influential"),
    ("medium", "Medium"),
    ("small", "Small Manufacturer"),
    ("other", "Other"),
]

CREDIT_RATINGS = [
    ("aaa", "AAA"),
    ("aa", "AA"),
    ("a", "A"),
    ("b", "B"),
    ("c", "C"),
]

EDUCATION_LEVELS = [
    ("secondary", "Secondary School or Below"),
    ("college", "College"),
    ("bachelor", "Bachelor"),
    ("master", "Master"),
    ("doctorate", "Doctorate"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"
    _rec_names_search = ["complete_name", "email", "ref", "vat", "company_registry", "archive_number"]

    is_customer_archive = fields.Boolean(
        string="Customer Archive",
        default=lambda self: not self.env.context.get("customer_archive_skip"),
        copy=False,
        index=True,
        help="Customers (companies and individuals) are kept as archives with a "
        "number, a state and a responsible person. Child contacts, users and "
        "companies of this database are not archives.",
    )
    archive_number = fields.Char(
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        help="Unique archive number (档案编号), given once and never reused.",
    )
    archive_date = fields.Date(
        copy=False,
        tracking=True,
        help="Date the archive was opened (建档日期).",
    )
    archive_state = fields.Selection(
        ARCHIVE_STATES,
        default="draft",
        copy=False,
        index=True,
        tracking=True,
        group_expand="_group_expand_archive_state",
    )
    archive_department_id = fields.Many2one(
        "hr.department",
        string="Owning Department",
        index="btree_not_null",
        tracking=True,
        default=lambda self: self.env.user.employee_id.department_id,
    )
    archive_tier = fields.Selection(
        ARCHIVE_TIERS,
        string="Tier",
        index=True,
        tracking=True,
        help="ABC tier (ABC分类): A about 20 %, B and C about 40 % of customers.",
    )

    # Identity keys: validated and used for duplicate detection.
    unified_social_credit_code = fields.Char(
        string="Unified Social Credit Code",
        index="btree_not_null",
        tracking=True,
        help="统一社会信用代码: 18 characters, last one a check character (GB 32100-2015).",
    )
    resident_id_number = fields.Char(
        string="Resident ID Number",
        index="btree_not_null",
        copy=False,
        help="身份证号: 18 characters, last one a check digit (GB 11643-1999).",
    )
    gender = fields.Selection([("male", "Male"), ("female", "Female")])
    birth_date = fields.Date()
    # Kept up to date by the contact plan: last completed and next planned contact.
    archive_last_contact_date = fields.Date(string="Last Contact", readonly=True, copy=False)
    archive_next_contact_date = fields.Date(string="Next Planned Contact", readonly=True, copy=False)

    archive_source_channel = fields.Selection(
        SOURCE_CHANNELS,
        string="Source Channel",
        tracking=True,
        help="Where the information about this customer was collected (收集渠道).",
    )

    # Basic data (客户基本资料)
    founding_date = fields.Date(tracking=True)
    archive_currency_id = fields.Many2one(
        "res.currency",
        string="Archive Currency",
        default=lambda self: self.env.company.currency_id,
    )
    registered_capital = fields.Monetary(currency_field="archive_currency_id", tracking=True)
    main_shareholders = fields.Text()
    bank_name = fields.Char(string="Bank", help="Bank where the customer holds its account (开户行).")
    bank_account_number = fields.Char(string="Bank Account Number")
    occupation = fields.Char()
    family_situation = fields.Text()
    age = fields.Integer(compute="_compute_age", help="Age in full years, from the birth date.")

    # Key persons (客户负责人及联系人资料): child contacts with a role
    key_person_role = fields.Selection(KEY_PERSON_ROLES, tracking=True)
    education = fields.Selection(EDUCATION_LEVELS)
    hobbies = fields.Text(string="Hobbies and Interests")
    key_person_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Key Persons",
        domain=[("key_person_role", "!=", False)],
    )

    # Business data (客户经营资料)
    company_size = fields.Selection(COMPANY_SIZES)
    employee_count = fields.Integer(string="Employees")
    employee_count_domestic = fields.Integer(string="Chinese Employees")
    employee_count_foreign = fields.Integer(string="Foreign Employees")
    archive_company_type = fields.Selection(COMPANY_TYPES, string="Company Type")
    industry_position = fields.Selection(INDUSTRY_POSITIONS)
    main_business = fields.Text()
    additional_business = fields.Text()
    sales_last_year = fields.Monetary(currency_field="archive_currency_id", string="Sales Last Year")
    sales_two_years_ago = fields.Monetary(currency_field="archive_currency_id", string="Sales Two Years Ago")
    sales_three_years_ago = fields.Monetary(
        currency_field="archive_currency_id", string="Sales Three Years Ago"
    )

    # Transactions with us (同本公司的交易情况): stored so that lists and
    # exports do not recompute them per row.
    archive_transaction_ids = fields.One2many(
        "customer.archive.transaction", "partner_id", string="Transactions"
    )
    transaction_total = fields.Monetary(
        compute="_compute_transaction_figures", store=True, currency_field="archive_currency_id"
    )
    transaction_count = fields.Integer(compute="_compute_transaction_figures", store=True)
    transaction_average = fields.Monetary(
        string="Average Transaction",
        compute="_compute_transaction_figures",
        store=True,
        currency_field="archive_currency_id",
    )
    transaction_frequency = fields.Float(
        string="Transactions per Year",
        compute="_compute_transaction_figures",
        store=True,
        digits=(16, 2),
        help="Number of transactions divided by the years between the first "
        "transaction and the last one (at least one year).",
    )
    first_transaction_date = fields.Date(compute="_compute_transaction_figures", store=True)
    last_transaction_date = fields.Date(compute="_compute_transaction_figures", store=True)
    breach_count = fields.Integer(
        string="Breaches of Contract", compute="_compute_transaction_figures", store=True
    )

    # Assessment
    credit_rating = fields.Selection(CREDIT_RATINGS, tracking=True)
    our_advantages = fields.Text(string="Our Advantages")
    our_weaknesses = fields.Text(string="Our Weaknesses and Countermeasures")
    archive_remarks = fields.Text(string="Remarks")

    # Feedback (客户反馈)
    archive_feedback_ids = fields.One2many("customer.archive.feedback", "partner_id", string="Feedback")
    feedback_count = fields.Integer(compute="_compute_feedback_count")

    _sql_constraints = [
        (
            "archive_number_unique",
            "unique(archive_number)",
            "The archive number must be unique: another archive already has it.",
        ),
    ]

    @api.depends("birth_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for partner in self:
            birth = partner.birth_date
            partner.age = (
                today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
                if birth
                else 0
            )

    @api.depends(
        "archive_transaction_ids.amount",
        "archive_transaction_ids.date",
        "archive_transaction_ids.breach_of_contract",
    )
    def _compute_transaction_figures(self):
        # One grouped query for the whole recordset, not one per partner.
        rows = self.env["customer.archive.transaction"]._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id"],
            ["amount:sum", "__count", "date:min", "date:max"],
        )
        breaches = dict(
            self.env["customer.archive.transaction"]._read_group(
                [("partner_id", "in", self.ids), ("breach_of_contract", "=", True)],
                ["partner_id"],
                ["__count"],
            )
        )
        figures = {partner.id: (total, count, first, last) for partner, total, count, first, last in rows}
        for partner in self:
            total, count, first, last = figures.get(partner.id, (0.0, 0, False, False))
            partner.transaction_total = total
            partner.transaction_count = count
            partner.transaction_average = total / count if count else 0.0
            partner.first_transaction_date = first
            partner.last_transaction_date = last
            years = max(((last - first).days / 365.25) if count else 0.0, 1.0)
            partner.transaction_frequency = count / years if count else 0.0
            partner.breach_count = breaches.get(partner, 0)

    def _compute_feedback_count(self):
        counts = dict(
            self.env["customer.archive.feedback"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.feedback_count = counts.get(partner, 0)

    @api.constrains("employee_count", "employee_count_domestic", "employee_count_foreign")
    def _check_employee_split(self):
        for partner in self:
            counts = (partner.employee_count, partner.employee_count_domestic, partner.employee_count_foreign)
            if any(count < 0 for count in counts):
                raise ValidationError(
                    self.env._("Employee counts of %(name)s cannot be negative.", name=partner.display_name)
                )
            if partner.employee_count_domestic + partner.employee_count_foreign > partner.employee_count:
                raise ValidationError(
                    self.env._(
                        "Chinese Employees (%(domestic)s) plus Foreign Employees (%(foreign)s) of %(name)s "
                        "exceed the number of Employees (%(total)s): correct the employee split.",
                        domestic=partner.employee_count_domestic,
                        foreign=partner.employee_count_foreign,
                        total=partner.employee_count,
                        name=partner.display_name,
                    )
                )

    def action_open_archive_transactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_customer_archive_transaction"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_open_archive_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_customer_archive_feedback"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.model
    def _group_expand_archive_state(self, states, domain):
        return [key for key, _label in ARCHIVE_STATES]

    @api.model
    def _is_archive_vals(self, vals):
        """A new partner is a customer archive unless it is a child contact."""
        if vals.get("parent_id"):
            return False
        return vals.get(
            "is_customer_archive",
            not self.env.context.get("customer_archive_skip"),
        )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            is_archive = self._is_archive_vals(vals)
            vals["is_customer_archive"] = bool(is_archive)
            if is_archive:
                vals.setdefault("archive_date", today)
                if not vals.get("archive_number"):
                    vals["archive_number"] = self._next_archive_number()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("is_customer_archive") and "archive_number" not in vals:
            # Partners turned into archives later get their number then; the
            # archive date is the day the partner was first recorded.
            today = fields.Date.context_today(self)
            for partner in self.filtered(lambda p: not p.archive_number):
                super(ResPartner, partner).write(
                    {
                        "archive_number": self._next_archive_number(),
                        "archive_date": partner.archive_date
                        or (partner.create_date and partner.create_date.date())
                        or today,
                    }
                )
        return super().write(vals)

    @api.model
    def _next_archive_number(self):
        # sudo: every user who may create a customer gets a number, also
        # those without read access to ir.sequence.
        return self.env["ir.sequence"].sudo().next_by_code("customer.archive")

    @api.model
    def _init_existing_customer_archives(self):
        """Give an archive number to the customers that existed before."""
        company_partners = (
            self.env["res.company"]
            .with_context(active_test=False)
            .search([("partner_id", "!=", False)])
            .partner_id
        )
        partners = self.with_context(active_test=False).search(
            [
                ("parent_id", "=", False),
                ("archive_number", "=", False),
                ("user_ids", "=", False),
                ("id", "not in", company_partners.ids),
            ],
            order="id",
        )
        not_archives = self.with_context(active_test=False).search(
            [("id", "not in", partners.ids), ("is_customer_archive", "=", True)]
        )
        not_archives.write({"is_customer_archive": False})
        partners.write({"is_customer_archive": True})
