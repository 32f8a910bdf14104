import hashlib
import os
import tempfile

import xlsxwriter

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_partner import ARCHIVE_STATES, ARCHIVE_TIERS, KEY_PERSON_ROLES
from ..tools import masking

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Key contacts are listed in the order of the scheme: legal representative,
# main responsible persons, main contacts.
KEY_PERSON_ROLE_ORDER = {role: index for index, (role, _label) in enumerate(KEY_PERSON_ROLES)}


class CustomerArchiveContactListExport(models.TransientModel):
    """Export the contact list (客户联络一览表) of customer archives as XLSX.

    The workbook is streamed: archives are read in batches (keyset pagination
    on the archive number; one query for the archives and one for all their
    child contacts per batch), written row by row with xlsxwriter's
    ``constant_memory`` mode to a temporary file, and that file becomes the
    attachment without being read into memory: the memory used does not grow
    with the number of archives.
    """

    _name = "customer.archive.contact.list.export"
    _description = "Customer Archive Contact List Export"

    _batch_size = 1000

    scope = fields.Selection(
        [
            ("selected", "Selected Archives"),
            ("all", "All Archives"),
            ("mine", "My Archives"),
        ],
        required=True,
        default=lambda self: "selected" if self._default_partner_ids() else "all",
        help="Which archives the contact list contains; the tier and state filters narrow "
        "all archives or your archives.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "customer_archive_contact_list_export_partner_rel",
        "export_id",
        "partner_id",
        string="Archives",
        default=lambda self: self._default_partner_ids(),
        domain=[("is_customer_archive", "=", True)],
    )
    archive_tier = fields.Selection(ARCHIVE_TIERS, string="Tier", help="Only archives of this tier.")
    archive_state = fields.Selection(ARCHIVE_STATES, help="Only archives in this state.")
    archive_count = fields.Integer(string="Archives to Export", compute="_compute_archive_count")
    attachment_id = fields.Many2one("ir.attachment", string="Contact List File", readonly=True)

    @api.model
    def _default_partner_ids(self):
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            return self.env["res.partner"].browse(context["active_ids"]).exists()
        return self.env["res.partner"]

    @api.depends("scope", "partner_ids", "archive_tier", "archive_state")
    def _compute_archive_count(self):
        partners = self.env["res.partner"]
        for wizard in self:
            wizard.archive_count = partners.search_count(wizard._get_archive_domain())

    def _get_archive_domain(self):
        self.ensure_one()
        domain = [("is_customer_archive", "=", True)]
        if self.scope == "selected":
            return [*domain, ("id", "in", self.partner_ids.ids)]
        if self.scope == "mine":
            domain.append(("user_id", "=", self.env.uid))
        if self.archive_tier:
            domain.append(("archive_tier", "=", self.archive_tier))
        if self.archive_state:
            domain.append(("archive_state", "=", self.archive_state))
        return domain

    def _get_columns(self):
        """(header, width) of each column, headers in the user's language."""
        return [
            (self.env._("Archive Number"), 16),
            (self.env._("Customer Name"), 32),
            (self.env._("Tier"), 6),
            (self.env._("Customer Phone"), 16),
            (self.env._("Customer E-mail"), 26),
            (self.env._("Key Contacts"), 34),
            (self.env._("Contact Phones"), 18),
            (self.env._("Contact E-mails"), 28),
            (self.env._("Responsible Rep"), 14),
            (self.env._("Last Contact"), 13),
            (self.env._("Next Planned Contact"), 13),
        ]

    def action_export(self):
        """Write the contact list, store it as an attachment and download it."""
        self.ensure_one()
        file_name = "{}_{}.xlsx".format(self.env._("Contact List"), fields.Date.context_today(self))
        Attachment = self.env["ir.attachment"]
        # Written next to the filestore (same file system): stored by renaming it, never read into memory.
        directory = Attachment._filestore() if Attachment._storage() == "file" else None
        if directory:
            os.makedirs(directory, exist_ok=True)
        handle, path = tempfile.mkstemp(
            prefix="customer_archive_contact_list_", suffix=".xlsx", dir=directory
        )
        os.close(handle)
        try:
            self._write_contact_list(path)
            self.attachment_id = self._store_contact_list(path, file_name)
        finally:
            if os.path.exists(path):
                os.unlink(path)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def _store_contact_list(self, path, file_name):
        """The attachment of the XLSX file at ``path``. With the file store
        (Odoo's default) the file is hashed in chunks and moved into the
        filestore as Odoo stores an attachment (``<sha[:2]>/<sha>``), so the
        memory used does not grow with the file; with attachments in the
        database it is read once, as Odoo itself needs the bytes."""
        Attachment = self.env["ir.attachment"]
        vals = {"name": file_name, "mimetype": XLSX_MIMETYPE, "res_model": self._name, "res_id": self.id}
        if Attachment._storage() != "file":
            with open(path, "rb") as xlsx_file:
                return Attachment.create({**vals, "raw": xlsx_file.read()})
        sha = hashlib.sha1()
        with open(path, "rb") as xlsx_file:
            for chunk in iter(lambda: xlsx_file.read(1 << 20), b""):
                sha.update(chunk)
        checksum = sha.hexdigest()
        store_fname = f"{checksum[:2]}/{checksum}"
        full_path = Attachment._full_path(store_fname)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if not os.path.exists(full_path):
            os.replace(path, full_path)
            # removed by the filestore's garbage collection if the transaction aborts
            Attachment._mark_for_gc(store_fname)
        attachment = Attachment.create(vals)
        # ir.attachment's create and write compute these from the bytes; they are known here.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s, file_size = %s, checksum = %s WHERE id = %s",
                store_fname,
                os.path.getsize(full_path),
                checksum,
                attachment.id,
            )
        )
        attachment.invalidate_recordset(["store_fname", "file_size", "checksum", "raw", "datas"])
        return attachment

    def _write_contact_list(self, path):
        """Stream the contact list into the XLSX file at ``path``."""
        columns = self._get_columns()
        workbook = xlsxwriter.Workbook(
            path,
            {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "strings_to_numbers": False},
        )
        try:
            sheet = workbook.add_worksheet(self.env._("Contact List"))
            formats = {
                "title": workbook.add_format({"bold": True, "font_size": 14}),
                "subtitle": workbook.add_format({"italic": True, "font_color": "#595959"}),
                "header": workbook.add_format(
                    {
                        "bold": True,
                        "bg_color": "#D9E1F2",
                        "border": 1,
                        "text_wrap": True,
                        "valign": "vcenter",
                    }
                ),
                "text": workbook.add_format({"valign": "top", "text_wrap": True}),
                "date": workbook.add_format({"valign": "top", "num_format": "yyyy-mm-dd"}),
            }
            for index, (_header, width) in enumerate(columns):
                sheet.set_column(index, index, width)
            last_column = len(columns) - 1
            # Rows are written strictly in order (constant_memory mode).
            sheet.merge_range(0, 0, 0, last_column, self.env._("Customer Contact List"), formats["title"])
            sheet.write(
                1,
                0,
                self.env._(
                    "%(count)s archives, printed on %(date)s by %(user)s",
                    count=self.env["res.partner"].search_count(self._get_archive_domain()),
                    date=fields.Date.context_today(self),
                    user=self.env.user.name,
                ),
                formats["subtitle"],
            )
            header_row = 3
            sheet.set_row(header_row, 30)
            for index, (header, _width) in enumerate(columns):
                sheet.write_string(header_row, index, header, formats["header"])
            sheet.freeze_panes(header_row + 1, 0)
            row = header_row + 1
            for line in self._iter_contact_list_rows(self._iter_archive_batches()):
                for index, value in enumerate(line):
                    if not value:
                        continue
                    if isinstance(value, str):
                        sheet.write_string(row, index, value, formats["text"])
                    else:
                        sheet.write_datetime(row, index, value, formats["date"])
                row += 1
            sheet.autofilter(header_row, 0, max(row - 1, header_row), last_column)
        finally:
            workbook.close()

    def _iter_archive_batches(self):
        """Yield the archives to export in batches of ``_batch_size``, in
        archive-number order: each batch is the next one after the last
        archive number (keyset pagination on the unique, indexed number), so
        the ids of all archives are never held at once. Archives without a
        number come last, by id."""
        Partner = self.env["res.partner"]
        domain = self._get_archive_domain()
        numbered = [*domain, ("archive_number", "!=", False)]
        while True:
            batch = Partner.search_fetch(
                numbered, ["archive_number"], order="archive_number", limit=self._batch_size
            )
            if not batch:
                break
            last_number = batch[-1].archive_number
            yield batch.ids
            numbered = [*domain, ("archive_number", ">", last_number)]
        unnumbered = [*domain, ("archive_number", "=", False)]
        while True:
            batch = Partner.search(unnumbered, order="id", limit=self._batch_size)
            if not batch:
                break
            yield batch.ids
            unnumbered = [*domain, ("archive_number", "=", False), ("id", ">", batch[-1].id)]

    def _iter_contact_list_rows(self, batches):
        """Yield the cell values of one row per archive, from batches of ids."""
        Partner = self.env["res.partner"]
        tier_labels = dict(Partner._fields["archive_tier"]._description_selection(self.env))
        role_labels = dict(Partner._fields["archive_key_person_role"]._description_selection(self.env))
        user_names = {}
        partner_fields = [
            "archive_number",
            "name",
            "archive_tier",
            "phone",
            "mobile",
            "email",
            "user_id",
            "archive_last_contact_date",
            "archive_next_contact_date",
        ]
        contact_fields = [
            "parent_id",
            "name",
            "function",
            "archive_key_person_role",
            "phone",
            "mobile",
            "email",
        ]
        # Masking (脱敏): without the group Sensitive Data the phones are 138****5678.
        if Partner._archive_reads_unmasked():

            def phone(value):
                return value

        else:
            phone = masking.mask_phone
        for batch_ids in batches:
            partners = Partner.browse(batch_ids)
            partners.fetch(partner_fields)
            # All child contacts of the batch in one query.
            contacts = Partner.search_fetch(
                [("parent_id", "in", batch_ids), ("type", "=", "contact")],
                contact_fields,
                order="parent_id, id",
            )
            contacts_by_parent = {}
            for contact in contacts:
                contacts_by_parent.setdefault(contact.parent_id.id, []).append(contact)
            missing_users = {
                partner.user_id.id for partner in partners if partner.user_id
            } - user_names.keys()
            if missing_users:
                users = self.env["res.users"].browse(missing_users)
                users.fetch(["name"])
                user_names.update((user.id, user.name) for user in users)
            for partner in partners:
                key_contacts = self._select_key_contacts(contacts_by_parent.get(partner.id, []))
                names, phones, emails = [], [], []
                for contact in key_contacts:
                    details = (
                        [role_labels[contact.archive_key_person_role]]
                        if contact.archive_key_person_role
                        else []
                    )
                    if contact.function:
                        details.append(contact.function)
                    names.append(f"{contact.name} ({', '.join(details)})" if details else contact.name or "")
                    phones.append(" / ".join(filter(None, [phone(contact.phone), phone(contact.mobile)])))
                    emails.append(contact.email or "")
                yield (
                    partner.archive_number or "",
                    partner.name or "",
                    tier_labels.get(partner.archive_tier, ""),
                    " / ".join(filter(None, [phone(partner.phone), phone(partner.mobile)])),
                    partner.email or "",
                    "\n".join(names),
                    "\n".join(phones) if any(phones) else "",
                    "\n".join(emails) if any(emails) else "",
                    user_names.get(partner.user_id.id, ""),
                    partner.archive_last_contact_date,
                    partner.archive_next_contact_date,
                )
            # Keep the memory flat: drop the batch from the record cache.
            partners.invalidate_recordset()
            contacts.invalidate_recordset()

    @api.model
    def _select_key_contacts(self, contacts):
        """The contacts with a key-person role if there are any, else all, by role."""
        with_role = [contact for contact in contacts if contact.archive_key_person_role]
        if with_role:
            return sorted(
                with_role, key=lambda contact: KEY_PERSON_ROLE_ORDER[contact.archive_key_person_role]
            )
        return contacts
