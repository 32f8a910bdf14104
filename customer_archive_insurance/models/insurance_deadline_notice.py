from odoo import api, fields, models
from odoo.osv import expression


class InsuranceDeadlineNotice(models.Model):
    """One row per activity the daily job created for a deadline: the
    record, the kind of notice (reminder, escalation...) and the deadline it
    is about. The job creates an activity only for a key it has not logged
    yet, so a second run on the same day, or a run after the activity was
    done, creates nothing; a deadline that moves (documents complete later,
    a reminder sent) is a new key and gets its own notice."""

    _name = "insurance.deadline.notice"
    _description = "Insurance Deadline Notice"
    _order = "id desc"

    res_model = fields.Char(string="Document Model", required=True, index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, index=True)
    kind = fields.Char(required=True)
    deadline = fields.Date(required=True)
    user_id = fields.Many2one("res.users", string="Notified User", ondelete="set null")
    activity_id = fields.Many2one("mail.activity", ondelete="set null")

    _sql_constraints = [
        (
            "key_unique",
            "unique(res_model, res_id, kind, deadline)",
            "A deadline notice is created once per record, kind and deadline.",
        ),
    ]

    @api.model
    def _notify_once(self, items):
        """Create the activities of ``items`` whose key has no notice yet.

        ``items``: dicts with ``record``, ``kind``, ``deadline``, ``user``,
        ``activity_type``, ``date_deadline``, ``summary``, ``note``.
        Returns the created activities."""
        items = [item for item in items if item["user"]]
        if not items:
            return self.env["mail.activity"]
        models_ids = {}
        for item in items:
            models_ids.setdefault(item["record"]._name, set()).add(item["record"].id)
        domain = expression.OR(
            [[("res_model", "=", model), ("res_id", "in", list(ids))] for model, ids in models_ids.items()]
        )
        # sudo: the job logs notices for records of every user.
        existing = {
            (notice.res_model, notice.res_id, notice.kind, notice.deadline)
            for notice in self.sudo().search(domain)
        }
        todo, seen = [], set()
        for item in items:
            key = (item["record"]._name, item["record"].id, item["kind"], item["deadline"])
            if key in existing or key in seen:
                continue
            seen.add(key)
            todo.append((key, item))
        if not todo:
            return self.env["mail.activity"]
        model_ids = {model: self.env["ir.model"]._get_id(model) for model in models_ids}
        # sudo: the job creates activities for the staff on records they
        # handle; quick update: no notification e-mail per activity.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_ids[item["record"]._name],
                        "res_id": item["record"].id,
                        "activity_type_id": item["activity_type"].id,
                        "user_id": item["user"].id,
                        "date_deadline": item["date_deadline"],
                        "summary": item["summary"],
                        "note": item["note"],
                    }
                    for _key, item in todo
                ]
            )
        )
        self.sudo().create(
            [
                {
                    "res_model": key[0],
                    "res_id": key[1],
                    "kind": key[2],
                    "deadline": key[3],
                    "user_id": item["user"].id,
                    "activity_id": activity.id,
                }
                for (key, item), activity in zip(todo, activities, strict=True)
            ]
        )
        return activities

    @api.model
    def _escalation_user(self, user, fallback_param):
        """Who a missed deadline goes to: the manager of ``user`` in the
        company's hierarchy (as the core's contact plan escalates), else the
        user named in the setting ``fallback_param``."""
        manager = self.env["customer.contact.plan"]._manager_of(user) if user else self.env["res.users"]
        if manager:
            return manager
        # sudo: configuration parameters are read by the job.
        user_id = self.env["ir.config_parameter"].sudo().get_param(fallback_param)
        fallback = (
            self.env["res.users"].sudo().browse(int(user_id)).exists()
            if user_id and user_id.isdigit()
            else None
        )
        return fallback or self.env["res.users"]
