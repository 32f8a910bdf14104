from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import masking

# Contact details hidden from the pool's members until they claim the customer.
POOL_MASKED_PHONES = ("phone", "mobile", "phone_sanitized", "phone_mobile_search")
POOL_MASKED_EMAILS = ("email", "email_normalized", "email_formatted")


class ResPartner(models.Model):
    """The customer pool (公海) on the archive: the pool it belongs to,
    whether it waits there unowned (a read scope of the pool's members in
    ``security/customer_archive_pool_rules.xml``), its contact details
    masked until a member claims it, claim, return and assignment."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_pool_id = fields.Many2one(
        "customer.archive.pool",
        string="Customer Pool",
        compute="_compute_archive_pool_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        help="The pool the archive goes back to when its rep neglects or returns it: "
        "by default the pool of its owning department.",
    )
    archive_pool_owner_date = fields.Date(
        string="Held Since",
        compute="_compute_archive_pool_owner_date",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="The day the current rep got the customer (or it went back to the pool): "
        "the start of the automatic return's clock.",
    )
    # The pool in which the archive (for a key person: its company) waits
    # without a rep; stored and indexed for the record rule of the members.
    archive_pool_open_id = fields.Many2one(
        "customer.archive.pool",
        string="Open in Pool",
        compute="_compute_archive_pool_open_id",
        store=True,
        index="btree_not_null",
    )
    archive_pool_masked = fields.Boolean(
        string="Contact Details Masked",
        compute="_compute_archive_pool_masked",
        help="The customer waits in a pool: its phones and e-mail show once you claim it.",
    )
    archive_pool_log_ids = fields.One2many(
        "customer.archive.pool.log", "partner_id", string="Pool History", readonly=True
    )

    @api.depends("archive_department_id", "is_customer_archive", "parent_id")
    def _compute_archive_pool_id(self):
        archives = self.filtered(lambda partner: partner.is_customer_archive and not partner.parent_id)
        pools = self.env["customer.archive.pool"]._pools_of_departments(archives.archive_department_id)
        for partner in self:
            if partner not in archives:
                partner.archive_pool_id = False
            elif pools.get(partner.archive_department_id.id):
                partner.archive_pool_id = pools[partner.archive_department_id.id]

    @api.depends("user_id")
    def _compute_archive_pool_owner_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.archive_pool_owner_date = today

    @api.depends(
        "is_customer_archive",
        "archive_pool_id",
        "user_id",
        "commercial_partner_id.is_customer_archive",
        "commercial_partner_id.archive_pool_id",
        "commercial_partner_id.user_id",
    )
    def _compute_archive_pool_open_id(self):
        for partner in self:
            archive = partner if partner.is_customer_archive else partner.commercial_partner_id
            waiting = archive.is_customer_archive and archive.archive_pool_id and not archive.user_id
            partner.archive_pool_open_id = archive.archive_pool_id if waiting else False

    @api.depends_context("uid")
    @api.depends("archive_pool_open_id")
    def _compute_archive_pool_masked(self):
        masked = self._archive_pool_masked_records()
        for partner in self:
            partner.archive_pool_masked = partner in masked

    # ------------------------------------------------------------------
    # Masking: contact details of customers waiting in a pool
    # ------------------------------------------------------------------
    def _archive_pool_masked_records(self):
        """The records of self whose contact details the current user reads
        masked: those waiting in a pool, for all but the pool managers."""
        if self.env["customer.archive.pool"]._is_pool_manager():
            return self.browse()
        # sudo: whether a record waits in a pool decides the masking, whatever the user may read.
        return self.sudo().filtered("archive_pool_open_id").with_env(self.env)

    @api.model
    def _archive_pool_mask_value(self, name, value):
        if not value or not isinstance(value, str):
            return value
        if name in POOL_MASKED_EMAILS:
            return masking.mask_email(value)
        return masking.mask_phone(value)

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        names = [name for name in fnames if name in POOL_MASKED_PHONES + POOL_MASKED_EMAILS]
        if not names or self.env.su:
            return result
        masked_ids = set(self._archive_pool_masked_records().ids)
        for values in result if masked_ids else ():
            if values.get("id") in masked_ids:
                for name in names:
                    if name in values:
                        values[name] = self._archive_pool_mask_value(name, values[name])
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """Exports mask the contact details of the customers waiting in a
        pool, with those of their key persons (the columns of all the lines
        of such a customer)."""
        if not _is_toplevel_call or self.env.su:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        masked = self._archive_pool_masked_records()
        if not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        columns = [
            (index, path[-1])
            for index, path in enumerate(fields)
            if path[-1] in POOL_MASKED_PHONES + POOL_MASKED_EMAILS
        ]
        lines = []
        # consecutive runs of masked and of plain records: the order of the lines is kept
        runs = []
        for partner in self:
            is_masked = partner in masked
            if runs and runs[-1][0] == is_masked:
                runs[-1][1].append(partner.id)
            else:
                runs.append((is_masked, [partner.id]))
        for is_masked, run_ids in runs:
            run_lines = super(ResPartner, self.browse(run_ids))._export_rows(
                fields, _is_toplevel_call=_is_toplevel_call
            )
            if is_masked:
                for line in run_lines:
                    for index, name in columns:
                        line[index] = self._archive_pool_mask_value(name, line[index])
            lines += run_lines
        return lines

    # ------------------------------------------------------------------
    # Claim, return, assignment
    # ------------------------------------------------------------------
    def _archive_pool_lock(self):
        """Lock the archives (two members claiming the same customer: the
        second one waits, then finds it claimed) and reread their rep."""
        self.env.cr.execute(
            SQL("SELECT id FROM res_partner WHERE id = ANY(%s) ORDER BY id FOR UPDATE", self.ids)
        )
        self.invalidate_recordset(["user_id", "archive_pool_open_id"])

    def _archive_pool_post(self, body):
        # sudo: the chatter line is written by whoever may do the action.
        for partner in self.sudo():
            partner.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")

    def action_archive_pool_claim(self):
        """A member takes customers waiting in the pool: within the pool's
        limits and cool-down, only customers the member may read (an
        A-class customer stays restricted)."""
        if not self:
            return True
        user = self.env.user
        self.check_access("read")
        self._archive_pool_lock()
        not_open = self.filtered(
            lambda partner: not partner.archive_pool_open_id or not partner.is_customer_archive
        )
        if not_open:
            raise UserError(
                self.env._(
                    "%(customer)s is not waiting in a customer pool: only customers without a rep can be claimed.",
                    customer=not_open[0].display_name,
                )
            )
        for pool, partners in self.grouped("archive_pool_open_id").items():
            pool._check_claim(partners, user)
            # sudo: a member claims customers of the pool that their own
            # rights let them read but not change (another department's).
            partners.sudo().write(
                {"user_id": user.id, "archive_pool_owner_date": fields.Date.context_today(self)}
            )
            self.env["customer.archive.pool.log"]._log(partners, pool, "claim", user=user)
            partners._archive_pool_post(
                self.env._("Claimed from the pool %(pool)s by %(user)s.", pool=pool.name, user=user.name)
            )
        return True

    def _archive_pool_return(self, reason):
        """Put the customers back into their pool (manual return): by their
        rep or a pool manager, with a reason."""
        if not reason or not reason.strip():
            raise UserError(self.env._("Reason: say why the customer goes back to the pool."))
        is_manager = self.env["customer.archive.pool"]._is_pool_manager()
        self._archive_pool_lock()
        for partner in self:
            if not partner.archive_pool_id or not partner.user_id:
                raise UserError(
                    self.env._(
                        "%(customer)s has no rep or no pool: set its Customer Pool first.",
                        customer=partner.display_name,
                    )
                )
            if not is_manager and partner.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the rep of %(customer)s or a pool manager may return it to the pool.",
                        customer=partner.display_name,
                    )
                )
        for pool, partners in self.grouped("archive_pool_id").items():
            previous = {partner.id: partner.user_id.id for partner in partners}
            # sudo: the rep gives the customer up; the write is theirs or a manager's, checked above.
            partners.sudo().write(
                {"user_id": False, "archive_pool_owner_date": fields.Date.context_today(self)}
            )
            self.env["customer.archive.pool.log"]._log(
                partners, pool, "return_manual", previous_users=previous, reason=reason
            )
            partners._archive_pool_close_warnings()
            partners._archive_pool_post(
                self.env._("Returned to the pool %(pool)s: %(reason)s", pool=pool.name, reason=reason)
            )
        return True

    def _archive_pool_assign(self, user, reason=False):
        """A pool manager gives customers to a rep (also from an
        assign-only pool), whatever the claim limits."""
        if not self.env["customer.archive.pool"]._is_pool_manager():
            raise AccessError(self.env._("Only pool managers assign customers of a pool to a rep."))
        self._archive_pool_lock()
        for pool, partners in self.grouped("archive_pool_id").items():
            if not pool:
                raise UserError(
                    self.env._(
                        "%(customer)s belongs to no customer pool: set its Customer Pool first.",
                        customer=partners[0].display_name,
                    )
                )
            previous = {partner.id: partner.user_id.id for partner in partners}
            # sudo: a manager may assign a customer to a rep of another department.
            partners.sudo().write(
                {"user_id": user.id, "archive_pool_owner_date": fields.Date.context_today(self)}
            )
            self.env["customer.archive.pool.log"]._log(
                partners, pool, "assign", user=user, previous_users=previous, reason=reason
            )
            partners._archive_pool_close_warnings()
            partners._archive_pool_post(
                self.env._("Assigned to %(user)s from the pool %(pool)s.", user=user.name, pool=pool.name)
            )
        return True

    def _archive_pool_close_warnings(self):
        types = self.env.ref("customer_archive.mail_activity_type_pool_warning") | self.env.ref(
            "customer_archive.mail_activity_type_pool_confirm"
        )
        # sudo: the pool's own activities of other users (warning, confirmation) are closed with it.
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", types.ids),
            ]
        ).unlink()

    def _archive_pool_assign_unowned(self):
        """Put the archives of self that have no rep into the pool of their
        department (imports whose rows name no rep), set-based: one write
        per pool and one history row per archive."""
        # sudo: the import decides the pool whatever the importer may read of the pools.
        archives = self.sudo().filtered(lambda partner: partner.is_customer_archive and not partner.user_id)
        pools = self.env["customer.archive.pool"]._pools_of_departments(archives.archive_department_id)
        placed = self.browse()
        for pool_id, partners in archives.grouped(
            lambda partner: pools.get(partner.archive_department_id.id) or partner.archive_pool_id.id
        ).items():
            if not pool_id:
                continue
            pool = self.env["customer.archive.pool"].sudo().browse(pool_id)
            partners.filtered(lambda partner, pool=pool: partner.archive_pool_id != pool).write(
                {"archive_pool_id": pool.id}
            )
            self.env["customer.archive.pool.log"]._log(
                partners, pool, "placed", reason=self.env._("Imported without a rep")
            )
            placed |= partners
        return placed.with_env(self.env)

    # Stored fields the auto-return statement writes itself, for the
    # archives and their key persons: the access columns (their compute
    # gives the same values for the other three, which do not follow the
    # rep) and the open pool.
    POOL_SQL_COMPUTED = (
        "archive_pool_owner_date",
        "archive_pool_open_id",
        "archive_access_user_id",
        "archive_access_restricted",
        "archive_access_tier",
        "archive_access_scope",
    )

    def _archive_pool_after_sql_return(self, key_persons, computed=()):
        """Tell the ORM what the auto-return statement changed (the rep, the
        clock of the archives in self; the access columns and open pool of
        them and of their ``key_persons``; the stored fields ``computed`` of
        the archives, e.g. their completeness): the caches are invalidated
        and every stored field that depends on the rep is marked to
        recompute; those the statement wrote itself are taken off that
        list, the others (of other modules) are recomputed now."""
        touched = self | key_persons
        names = ["user_id", "write_uid", "write_date", *self.POOL_SQL_COMPUTED, *computed]
        touched.invalidate_recordset(names)
        self.modified(["user_id", "archive_pool_owner_date"])
        for name in self.POOL_SQL_COMPUTED:
            self.env.remove_to_compute(self._fields[name], touched)
        for name in computed:
            self.env.remove_to_compute(self._fields[name], self)
        for model in ("customer.archive.pool.log", "mail.message", "mail.activity"):
            self.env[model].invalidate_model()
        self.env.flush_all()

    def action_archive_pool_open_return(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return to Pool"),
            "res_model": "customer.archive.pool.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def action_archive_pool_open_assign(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Assign to a Rep"),
            "res_model": "customer.archive.pool.assign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }
