from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

REQUEST_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]

APPROVAL_ROUTES = [
    ("marketing", "Marketing Manager"),
    ("service", "Customer Service Manager"),
]

ROUTE_GROUPS = {
    "marketing": "customer_archive.group_archive_marketing_manager",
    "service": "customer_archive.group_archive_service_manager",
}

APPROVAL_ACTIVITY = "customer_archive.mail_activity_type_archive_access_approval"


class CustomerArchiveAccessRequest(models.Model):
    """A user asks to read archives outside their reach (其他部门人员…需经客户
    服务部予以批准): which archives, why, for how long. A-class requests go
    to marketing managers, the others to customer-service managers."""

    _name = "customer.archive.access.request"
    _description = "Customer Archive Access Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    name = fields.Char(string="Request Number", readonly=True, copy=False, default="/")
    requester_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        readonly=True,
        tracking=True,
    )
    # What the requester named (number, name where they knew it) ...
    line_ids = fields.One2many(
        "customer.archive.access.request.line", "request_id", string="Archives Asked For", copy=False
    )
    archive_labels = fields.Char(
        string="Archives",
        compute="_compute_archive_labels",
        help="Archive numbers, and the names the requester already knew.",
    )
    # ... and the archives themselves, for routing, approval and grants.
    partner_ids = fields.Many2many(
        "res.partner",
        string="Archive Records",
        compute="_compute_partner_ids",
        inverse="_inverse_partner_ids",
        store=True,
        readonly=False,
        domain=[("is_customer_archive", "=", True)],
    )
    reason = fields.Text(required=True, tracking=True)
    duration_days = fields.Integer(
        string="Duration (Days)", required=True, default=30, tracking=True, help="How long access is needed."
    )
    date_to = fields.Date(
        string="Access Until",
        compute="_compute_date_to",
        store=True,
        help="Last day of access: approval date plus the duration.",
    )
    state = fields.Selection(
        REQUEST_STATES, default="draft", required=True, readonly=True, index=True, tracking=True, copy=False
    )
    approval_route = fields.Selection(
        APPROVAL_ROUTES,
        string="Approved By",
        compute="_compute_approval_route",
        store=True,
        help="A-class archives are approved by a marketing manager, the others by a customer-service manager.",
    )
    approver_id = fields.Many2one("res.users", readonly=True, tracking=True, copy=False)
    approver_comment = fields.Text(tracking=True, copy=False)
    approval_date = fields.Date(readonly=True, copy=False)
    grant_ids = fields.One2many("customer.archive.access.grant", "request_id", string="Grants", readonly=True)
    grant_count = fields.Integer(compute="_compute_grant_count")
    can_approve = fields.Boolean(compute="_compute_can_approve")

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK(duration_days > 0)",
            "The duration of an access request must be at least one day.",
        ),
    ]

    @api.depends("line_ids.partner_id")
    def _compute_partner_ids(self):
        for request in self:
            # sudo: the lines' archives are hidden from the requester.
            request.partner_ids = request.sudo().line_ids.partner_id

    def _inverse_partner_ids(self):
        """Archives set directly (data files, managers, scripts) get their
        lines. Nobody names by id an archive they may not read: that is what
        the lines' exact lookup is for."""
        Line = self.env["customer.archive.access.request.line"]
        for request in self:
            lines = request.sudo().line_ids
            added = request.partner_ids - lines.partner_id
            if not self.env.su and added - added._filtered_access("read"):
                raise AccessError(
                    self.env._(
                        "Archives: name the archives you may not open by their archive number or full name."
                    )
                )
            (lines - lines.filtered(lambda line, kept=request.partner_ids: line.partner_id in kept)).unlink()
            Line.sudo().create(
                [
                    {
                        "request_id": request.id,
                        "reference": partner.archive_number or partner.name,
                        "partner_id": partner.id,
                        **Line._archive_line_values(partner, True),
                    }
                    for partner in added.sudo()
                ]
            )

    @api.depends("line_ids.archive_number", "line_ids.archive_name")
    @api.depends_context("uid")
    def _compute_archive_labels(self):
        for request in self:
            labels = []
            for line in request.line_ids:
                # sudo: the name is added for users who may read the archive
                # (the approvers), never for the others.
                archive = line.sudo().partner_id
                readable = archive.with_env(self.env)._filtered_access("read") if archive else archive
                name = line.archive_name or readable.name
                labels.append(" ".join(filter(None, (line.archive_number, name))))
            request.archive_labels = ", ".join(labels)

    @api.model
    def action_request_archive_access(self, partner_id):
        """From the "no access" message of an archive (a link, a direct
        URL): a new request form naming that archive. Its number is shown,
        its name only where a message or activity of the user named it."""
        Line = self.env["customer.archive.access.request.line"]
        # sudo: the user opened this archive's link; only whether it is an
        # archive, its number and (if known) its name are used.
        partner = self.env["res.partner"].sudo().browse(int(partner_id)).exists()
        archive = partner.commercial_partner_id if partner else partner
        if not archive.is_customer_archive:
            raise UserError(self.env._("This link does not lead to a customer archive."))
        if archive.with_env(self.env)._filtered_access("read"):
            return {
                "type": "ir.actions.act_window",
                "res_model": "res.partner",
                "res_id": archive.id,
                "views": [[False, "form"]],
                "target": "current",
            }
        known = Line._archive_name_known_from_link(archive | partner)
        Line._archive_log_lookup(archive.archive_number, archive, detail_suffix="link")
        reference = archive.archive_number
        if (
            known
            and self.env["res.partner"]
            .sudo()
            .search_count([("is_customer_archive", "=", True), ("name", "=", archive.name)])
            == 1
        ):
            reference = archive.name
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Access Request"),
            "res_model": "customer.archive.access.request",
            "views": [[False, "form"]],
            "target": "current",
            "context": {
                "default_line_ids": [
                    Command.create({"reference": reference, **Line._archive_line_values(archive, known)})
                ],
            },
        }

    @api.depends("duration_days", "approval_date")
    def _compute_date_to(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.date_to = (request.approval_date or today) + timedelta(days=request.duration_days - 1)

    @api.depends("partner_ids")
    def _compute_approval_route(self):
        for request in self:
            # sudo: the tier of archives the requester cannot read decides the route.
            tiers = request.sudo().partner_ids.mapped("archive_access_tier")
            request.approval_route = "marketing" if "a" in tiers else "service"

    def _compute_grant_count(self):
        for request in self:
            request.grant_count = len(request.grant_ids)

    @api.depends("approval_route", "state")
    @api.depends_context("uid")
    def _compute_can_approve(self):
        for request in self:
            request.can_approve = (
                request.state == "submitted"
                and request.requester_id != self.env.user
                and self.env.user.has_group(ROUTE_GROUPS[request.approval_route or "service"])
            )

    @api.constrains("partner_ids")
    def _check_partner_ids(self):
        for request in self:
            # sudo: the requester asks precisely for archives they cannot read.
            if not all(request.sudo().partner_ids.mapped("is_customer_archive")):
                raise ValidationError(self.env._("Archives: an access request only names customer archives."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # sudo: every user may file a request and needs a number.
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("customer.archive.access.request")
        return super().create(vals_list)

    def write(self, vals):
        if (
            {"state", "approver_id", "approval_date"} & set(vals)
            and not self.env.su
            and not self.env.context.get("customer_archive_request_transition")
        ):
            raise UserError(
                self.env._(
                    "The state of an access request changes only with its Submit, Approve and Refuse buttons."
                )
            )
        if "partner_ids" in vals and any(request.state != "draft" for request in self):
            raise UserError(
                self.env._("Archives: a submitted access request cannot be changed; file a new one.")
            )
        return super().write(vals)

    def _transition(self, vals):
        return self.with_context(customer_archive_request_transition=True).write(vals)

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    def _find_approver(self):
        """The user who gets the "To Approve" activity: a member of the
        approving group, preferably the manager (in HR) of an archive's
        department, then any department manager, then any member; never the
        requester, and archive administrators only as the last resort."""
        self.ensure_one()
        # sudo: the requester may read neither the group members nor HR data.
        group = self.env.ref(ROUTE_GROUPS[self.approval_route]).sudo()
        candidates = group.users.filtered(
            lambda user: user.active and not user.share and user != self.requester_id and user.id > 2
        )
        if not candidates:
            raise UserError(
                self.env._(
                    "Nobody can approve this request: give a user the group %(group)s "
                    "(Settings → Users) and submit again.",
                    group=group.name,
                )
            )
        departments = (
            self.sudo()
            .partner_ids.commercial_partner_id.filtered("is_customer_archive")
            .archive_department_id
        )
        managers = self.env["hr.department"].sudo().search([("manager_id.user_id", "in", candidates.ids)])
        admins = self.env.ref("customer_archive.group_archive_admin").sudo().users
        for pool in (
            departments.manager_id.user_id & candidates,
            managers.manager_id.user_id & candidates - admins,
            candidates - admins,
            candidates,
        ):
            if pool:
                return pool.sorted("id")[:1]
        return candidates[:1]

    def action_submit(self):
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only a draft access request can be submitted."))
            if request.requester_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("Only the requester submits an access request."))
            if not request.sudo().line_ids:
                raise UserError(
                    self.env._("Archives: name at least one archive by its archive number or full name.")
                )
            approver = request._find_approver()
            request._transition({"state": "submitted", "approver_id": approver.id})
            request.activity_schedule(
                APPROVAL_ACTIVITY,
                user_id=approver.id,
                # in the approver's language: the summary is stored as text
                summary=request.with_context(lang=approver.lang or self.env.lang).env._(
                    "Approve access request %(name)s", name=request.name
                ),
                note=request.reason,
            )
        return True

    def _check_can_approve(self):
        for request in self:
            if request.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted access request can be approved or refused: %(name)s is not.",
                        name=request.name,
                    )
                )
            if self.env.su:
                continue
            group = self.env.ref(ROUTE_GROUPS[request.approval_route])
            if not self.env.user.has_group(ROUTE_GROUPS[request.approval_route]):
                raise AccessError(
                    self.env._(
                        "Only a %(group)s may approve or refuse %(name)s.",
                        group=group.name,
                        name=request.name,
                    )
                )
            if request.requester_id == self.env.user:
                raise AccessError(
                    self.env._("Nobody approves their own access request: %(name)s.", name=request.name)
                )

    def _close_approval_activities(self, feedback):
        if self.env.context.get("customer_archive_activity_done"):
            return
        activity_type = self.env.ref(APPROVAL_ACTIVITY)
        activities = self.activity_ids.filtered(lambda activity: activity.activity_type_id == activity_type)
        activities.with_context(customer_archive_activity_done=True).action_feedback(feedback=feedback)

    def action_approve(self, comment=None):
        self._check_can_approve()
        today = fields.Date.context_today(self)
        grant_vals = []
        for request in self:
            request._transition(
                {
                    "state": "approved",
                    "approver_id": self.env.uid,
                    "approval_date": today,
                    "approver_comment": comment or request.approver_comment,
                }
            )
            grant_vals += [
                {
                    "user_id": request.requester_id.id,
                    "partner_id": partner.id,
                    "date_from": today,
                    "date_to": request.date_to,
                    "request_id": request.id,
                }
                for partner in request.sudo().partner_ids
            ]
        self.env["customer.archive.access.grant"].create(grant_vals)
        self._close_approval_activities(self.env._("Approved"))
        return True

    def action_refuse(self, comment=None):
        self._check_can_approve()
        for request in self:
            comment = comment or request.approver_comment
            if not comment:
                raise UserError(
                    self.env._(
                        "Approver Comment: say why %(name)s is refused, then refuse it.", name=request.name
                    )
                )
            request._transition(
                {"state": "refused", "approver_id": self.env.uid, "approver_comment": comment}
            )
        self._close_approval_activities(self.env._("Refused"))
        return True

    def action_revoke(self):
        self.grant_ids.action_revoke()
        return True

    def action_open_grants(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_archive.action_customer_archive_access_grant"
        )
        action["domain"] = [("request_id", "=", self.id)]
        return action

    @api.model
    def _archive_approve_from_activities(self, activities, feedback=False):
        """Hook of mail.activity's ``_action_done`` (mail_activity.py): marking
        a "To Approve" activity of an access request as done approves the
        request, with the feedback as the approver's comment."""
        if self.env.context.get("customer_archive_activity_done"):
            return
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        approvals = activities.filtered(
            lambda activity: activity.activity_type_id == activity_type
            and activity.res_model == "customer.archive.access.request"
        )
        requests = self.browse(approvals.mapped("res_id"))
        requests.filtered(lambda request: request.state == "submitted").with_context(
            customer_archive_activity_done=True
        ).action_approve(comment=feedback or None)
