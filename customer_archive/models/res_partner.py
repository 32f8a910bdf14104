from odoo import api, fields, models

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

    _sql_constraints = [
        (
            "archive_number_unique",
            "unique(archive_number)",
            "The archive number must be unique: another archive already has it.",
        ),
    ]

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
