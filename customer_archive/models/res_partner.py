from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.counts import count_by

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
        group_expand=True,
    )
    archive_department_id = fields.Many2one(
        "hr.department",
        string="Owning Department",
        index="btree_not_null",
        tracking=True,
        default=lambda self: self.env.user.employee_id.department_id,
    )
    # Not tracked by mail.thread: its chatter line, as every effect of a tier
    # change, is written by res.partner._archive_apply_tier_change (res_partner_tier.py).
    archive_tier = fields.Selection(
        ARCHIVE_TIERS,
        string="Tier",
        index=True,
        help="ABC tier (ABC分类): A about 20 %, B and C about 40 % of customers.",
    )

    # Identity keys: validated and used for duplicate detection.
    archive_unified_social_credit_code = fields.Char(
        string="Unified Social Credit Code",
        index="btree_not_null",
        tracking=True,
        help="统一社会信用代码: 18 characters, last one a check character (GB 32100-2015).",
    )
    archive_resident_id_number = fields.Char(
        string="Resident ID Number",
        index="btree_not_null",
        copy=False,
        help="身份证号: 18 characters, last one a check digit (GB 11643-1999).",
    )
    archive_gender = fields.Selection([("male", "Male"), ("female", "Female")], string="Sex")
    archive_birth_date = fields.Date(string="Birth Date")
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
    archive_founding_date = fields.Date(string="Founding Date", tracking=True)
    archive_currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    archive_registered_capital = fields.Monetary(
        string="Registered Capital", currency_field="archive_currency_id", tracking=True
    )
    archive_main_shareholders = fields.Text(string="Main Shareholders")
    archive_bank_name = fields.Char(string="Bank", help="Bank where the customer holds its account (开户行).")
    archive_bank_account_number = fields.Char(string="Bank Account Number")
    archive_occupation = fields.Char(string="Occupation")
    archive_family_situation = fields.Text(string="Family Situation")
    archive_age = fields.Integer(
        string="Age", compute="_compute_age", help="Age in full years, from the birth date."
    )

    # Key persons (客户负责人及联系人资料): child contacts with a role
    archive_key_person_role = fields.Selection(KEY_PERSON_ROLES, string="Key Person Role", tracking=True)
    archive_education = fields.Selection(EDUCATION_LEVELS, string="Education")
    archive_hobbies = fields.Text(string="Hobbies and Interests")
    archive_key_person_ids = fields.One2many(
        "res.partner",
        "parent_id",
        string="Key Persons",
        domain=[("archive_key_person_role", "!=", False)],
    )

    # Business data (客户经营资料)
    archive_company_size = fields.Selection(COMPANY_SIZES, string="Company Size", tracking=True)
    archive_employee_count = fields.Integer(string="Number of Employees", tracking=True)
    archive_employee_count_domestic = fields.Integer(string="Chinese Employees")
    archive_employee_count_foreign = fields.Integer(string="Foreign Employees")
    archive_company_type = fields.Selection(COMPANY_TYPES, string="Nature of Company", tracking=True)
    archive_industry_position = fields.Selection(
        INDUSTRY_POSITIONS, string="Industry Position", tracking=True
    )
    archive_main_business = fields.Text(string="Main Business")
    archive_additional_business = fields.Text(string="Additional Business")
    archive_sales_last_year = fields.Monetary(string="Sales Last Year", currency_field="archive_currency_id")
    archive_sales_two_years_ago = fields.Monetary(
        string="Sales Two Years Ago", currency_field="archive_currency_id"
    )
    archive_sales_three_years_ago = fields.Monetary(
        string="Sales Three Years Ago", currency_field="archive_currency_id"
    )

    # Transactions with us (同本公司的交易情况): stored so that lists and
    # exports do not recompute them per row.
    archive_transaction_ids = fields.One2many(
        "customer.archive.transaction", "partner_id", string="Transactions"
    )
    archive_transaction_total = fields.Monetary(
        string="Transaction Total",
        compute="_compute_transaction_figures",
        store=True,
        currency_field="archive_currency_id",
        help="Sum of the transaction amounts; amounts in another currency are converted "
        "into the archive currency at the rate of the day the figures were last recomputed.",
    )
    archive_transaction_count = fields.Integer(
        string="Transaction Count", compute="_compute_transaction_figures", store=True
    )
    # averages of the archives in a pivot or grouped list, not their sum
    archive_transaction_average = fields.Monetary(
        string="Average Transaction",
        compute="_compute_transaction_figures",
        store=True,
        currency_field="archive_currency_id",
        aggregator="avg",
    )
    archive_transaction_frequency = fields.Float(
        string="Transactions per Year",
        compute="_compute_transaction_figures",
        store=True,
        digits=(16, 2),
        aggregator="avg",
        help="Number of transactions divided by the years between the first and the last "
        "transaction, counted as at least one year: 6 transactions from January 2023 to "
        "January 2026 are 2 a year, a single transaction is 1 a year.",
    )
    archive_first_transaction_date = fields.Date(
        string="First Transaction Date", compute="_compute_transaction_figures", store=True
    )
    archive_last_transaction_date = fields.Date(
        string="Last Transaction Date", compute="_compute_transaction_figures", store=True
    )
    archive_breach_count = fields.Integer(
        string="Breaches of Contract", compute="_compute_transaction_figures", store=True
    )

    # Assessment
    archive_credit_rating = fields.Selection(CREDIT_RATINGS, string="Credit Rating", tracking=True)
    archive_our_advantages = fields.Text(string="Our Advantages")
    archive_our_weaknesses = fields.Text(string="Our Weaknesses and Countermeasures")
    archive_remarks = fields.Text(string="Remarks")

    # Feedback (客户反馈)
    archive_feedback_ids = fields.One2many("customer.archive.feedback", "partner_id", string="Feedback")
    archive_feedback_count = fields.Integer(string="Feedback Count", compute="_compute_feedback_count")

    _sql_constraints = [
        (
            "archive_number_unique",
            "unique(archive_number)",
            "The archive number must be unique: another archive already has it.",
        ),
    ]

    @api.depends("archive_birth_date")
    def _compute_age(self):
        today = fields.Date.context_today(self)
        for partner in self:
            birth = partner.archive_birth_date
            partner.archive_age = (
                today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
                if birth
                else 0
            )

    @api.depends(
        "archive_currency_id",
        "archive_transaction_ids.amount",
        "archive_transaction_ids.currency_id",
        "archive_transaction_ids.date",
        "archive_transaction_ids.breach_of_contract",
    )
    def _compute_transaction_figures(self):
        # Saved partners: grouped queries for the whole recordset, not one
        # search per partner. Partners being edited in a form (new records of
        # an onchange) are computed from the lines in memory, so the figures
        # follow the unsaved lines.
        saved = self.filtered(lambda partner: isinstance(partner.id, int))
        figures = saved._transaction_figures_from_database()
        for partner in self - saved:
            figures[partner.id] = partner._transaction_figures_from_lines(partner.archive_transaction_ids)
        for partner in self:
            total, count, first, last, breaches = figures.get(partner.id, (0.0, 0, False, False, 0))
            years = max((last - first).days / 365.25, 1.0) if count and first and last else 1.0
            partner.update(
                {
                    "archive_transaction_total": total,
                    "archive_transaction_count": count,
                    "archive_transaction_average": total / count if count else 0.0,
                    "archive_transaction_frequency": count / years,
                    "archive_first_transaction_date": first,
                    "archive_last_transaction_date": last,
                    "archive_breach_count": breaches,
                }
            )

    def _transaction_amount_in_archive_currency(self, amount, currency):
        """``amount`` in ``currency`` converted (at today's rate) into the
        archive currency of this partner; no conversion for equal currencies."""
        target = self.archive_currency_id or self.env.company.currency_id
        if not currency or currency == target:
            return amount
        return currency._convert(amount, target, self.env.company, fields.Date.context_today(self))

    def _transaction_figures_from_database(self):
        """{partner id: (total, count, first date, last date, breaches)}."""
        if not self:
            return {}
        Transaction = self.env["customer.archive.transaction"]
        figures = {}
        rows = Transaction._read_group(
            [("partner_id", "in", self.ids)],
            ["partner_id", "currency_id"],
            ["amount:sum", "__count", "date:min", "date:max"],
        )
        for partner, currency, amount, count, first, last in rows:
            total, old_count, old_first, old_last, _breaches = figures.get(
                partner.id, (0.0, 0, False, False, 0)
            )
            figures[partner.id] = (
                total + partner._transaction_amount_in_archive_currency(amount, currency),
                old_count + count,
                min(old_first, first) if old_first else first,
                max(old_last, last) if old_last else last,
                0,
            )
        breaches = Transaction._read_group(
            [("partner_id", "in", self.ids), ("breach_of_contract", "=", True)],
            ["partner_id"],
            ["__count"],
        )
        for partner, count in breaches:
            figures[partner.id] = figures[partner.id][:4] + (count,)
        return figures

    def _transaction_figures_from_lines(self, transactions):
        """The same figures computed from transaction records in memory."""
        dates = [date for date in transactions.mapped("date") if date]
        total = sum(
            self._transaction_amount_in_archive_currency(transaction.amount, transaction.currency_id)
            for transaction in transactions
        )
        return (
            total,
            len(transactions),
            min(dates) if dates else False,
            max(dates) if dates else False,
            len(transactions.filtered("breach_of_contract")),
        )

    def _compute_feedback_count(self):
        counts = count_by(self.env["customer.archive.feedback"], "partner_id", self)
        for partner in self:
            partner.archive_feedback_count = counts.get(partner, 0)

    @api.constrains(
        "archive_employee_count", "archive_employee_count_domestic", "archive_employee_count_foreign"
    )
    def _check_employee_split(self):
        for partner in self:
            counts = (
                partner.archive_employee_count,
                partner.archive_employee_count_domestic,
                partner.archive_employee_count_foreign,
            )
            if any(count < 0 for count in counts):
                raise ValidationError(
                    self.env._("Employee counts of %(name)s cannot be negative.", name=partner.display_name)
                )
            if (
                partner.archive_employee_count_domestic + partner.archive_employee_count_foreign
                > partner.archive_employee_count
            ):
                raise ValidationError(
                    self.env._(
                        "Chinese Employees (%(domestic)s) plus Foreign Employees (%(foreign)s) of %(name)s "
                        "exceed the Number of Employees (%(total)s): correct the employee split.",
                        domestic=partner.archive_employee_count_domestic,
                        foreign=partner.archive_employee_count_foreign,
                        total=partner.archive_employee_count,
                        name=partner.display_name,
                    )
                )

    def _archive_open_action(self, xml_id, domain=None, context=None):
        """The window action ``xml_id`` of a smart button of this archive: by
        default on the records of this archive, new ones created for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [("partner_id", "=", self.id)] if domain is None else domain
        action["context"] = {"default_partner_id": self.id} if context is None else context
        return action

    def action_open_archive_transactions(self):
        return self._archive_open_action("customer_archive.action_customer_archive_transaction")

    def action_open_archive_feedback(self):
        return self._archive_open_action("customer_archive.action_customer_archive_feedback")

    @api.model
    def _is_archive_vals(self, vals):
        """A new partner is a customer archive unless it is a child contact."""
        if vals.get("parent_id"):
            return False
        return vals.get(
            "is_customer_archive",
            not self.env.context.get("customer_archive_skip"),
        )

    @api.model
    def _archive_default_user(self):
        """The responsible rep of a new archive: its creator, when they are
        an archive user (reps own what they create). Not the superuser of
        data loads and scheduled jobs."""
        user = self.env.user
        if (
            user.id != SUPERUSER_ID
            and not user.share
            and user.has_group("customer_archive.group_archive_user")
        ):
            return user
        return self.env["res.users"]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # The form of a new archive shows today's archive date and its
        # creator as the responsible rep; a manager can pick another one.
        if not (values.get("parent_id") or self.env.context.get("default_parent_id")) and values.get(
            "is_customer_archive", not self.env.context.get("customer_archive_skip")
        ):
            if "archive_date" in fields_list and not values.get("archive_date"):
                values["archive_date"] = fields.Date.context_today(self)
            # An import is no form: a row that names no rep leaves the
            # archive to the pool of its department (res_partner_import.py).
            if (
                "user_id" in fields_list
                and not values.get("user_id")
                and not self.env.context.get("import_file")
            ):
                values["user_id"] = self._archive_default_user().id or False
        return values

    # The one create and write of res.partner in this addon: each concern
    # adds a named hook, kept in its own file, called here in a fixed order
    # (data quality, archive number; tier lock checks, audit, data quality,
    # archive number; then the audit row, the tier history and plan, the
    # separate consent for the sensitive fields, after their inverses).
    @api.model_create_multi
    def create(self, vals_list):
        self._archive_before_create_quality(vals_list)
        today = fields.Date.context_today(self)
        default_user = not self.env.context.get("import_file") and self._archive_default_user()
        for vals in vals_list:
            is_archive = self._is_archive_vals(vals)
            vals["is_customer_archive"] = bool(is_archive)
            if is_archive:
                # The web client sends archive_date: False for an empty field.
                if not vals.get("archive_date"):
                    vals["archive_date"] = today
                # An explicit value (also an empty one) is kept; a create
                # without it gets the creator, except in an import.
                if "user_id" not in vals and default_user:
                    vals["user_id"] = default_user.id
                if not vals.get("archive_number"):
                    vals["archive_number"] = self._next_archive_number()
        partners = super().create(vals_list)
        partners._archive_after_create_tier()
        partners._archive_after_create_consent(vals_list)
        return partners

    def write(self, vals):
        old_tiers = self._archive_before_write_tier(vals)
        audited = self._archive_before_write_audit(vals)
        self._archive_before_write_quality(vals)
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
        result = super().write(vals)
        self._archive_after_write_audit(vals, audited)
        self._archive_after_write_tier(vals, old_tiers)
        self._archive_after_write_consent(vals)
        return result

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
        # The column default made every existing partner an archive: child
        # contacts, users' and companies' partners are not.
        not_archives = self.with_context(active_test=False).search(
            [
                ("is_customer_archive", "=", True),
                "|",
                "|",
                ("parent_id", "!=", False),
                ("user_ids", "!=", False),
                ("id", "in", company_partners.ids),
            ]
        )
        not_archives.write({"is_customer_archive": False})
        partners.write({"is_customer_archive": True})
