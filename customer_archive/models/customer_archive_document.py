from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Fields of a document that decide where it is filed in its archive.
FILING_FIELDS = (
    "type_id",
    "type_id.sequence",
    "parent_id",
    "is_reply",
    "is_request",
    "is_main",
    "is_printed",
    "page_count",
    "document_date",
    "sequence",
)


class CustomerArchiveDocument(models.Model):
    """A document filed in a customer archive (立档和归档).

    The filing order follows the scheme: documents are classified by type,
    a document stays together with the documents filed with it (its
    attachments, the reply to a request, the draft of a printed copy), and
    inside such a group the three "before and after" rules apply: reply
    before request (批复在前、请示在后), main document before attachment
    (正件在前、附件在后), printed copy before draft (印件在前、定稿在后).
    Pages are then numbered continuously in that order (依次编写页号).
    """

    _name = "customer.archive.document"
    _description = "Customer Archive Document"
    _inherit = ["mail.thread"]
    _order = "partner_id, filing_sequence, id"

    name = fields.Char(string="Title", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer Archive",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("is_customer_archive", "=", True)],
    )
    type_id = fields.Many2one(
        "customer.archive.document.type",
        string="Document Type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    document_date = fields.Date(default=fields.Date.context_today, tracking=True)
    parent_id = fields.Many2one(
        "customer.archive.document",
        string="Filed With",
        index="btree_not_null",
        ondelete="set null",
        domain="[('partner_id', '=', partner_id), ('parent_id', '=', False), ('id', '!=', id)]",
        help="The document this one belongs to: the main document of an attachment, the request a "
        "reply answers, the printed copy of a draft. They are filed together.",
    )
    child_ids = fields.One2many("customer.archive.document", "parent_id", string="Filed Together")
    is_request = fields.Boolean(string="Request Document", help="A request (请示): filed after its reply.")
    is_reply = fields.Boolean(
        string="Reply Document", help="A reply (批复): filed before the request it answers."
    )
    is_main = fields.Boolean(
        string="Main Document",
        default=True,
        help="Main document (正件); leave unticked for an attachment (附件), filed after the main document.",
    )
    is_printed = fields.Boolean(
        string="Printed Copy",
        default=True,
        help="Printed copy (印件); leave unticked for the draft (定稿), filed after the printed copy.",
    )
    page_count = fields.Integer(string="Pages", default=1, required=True)
    sequence = fields.Integer(default=10, help="Order of documents that the filing rules leave equal.")
    filing_sequence = fields.Integer(
        string="Filing Order",
        compute="_compute_filing_order",
        store=True,
        readonly=True,
        aggregator=False,
        help="Position of the document in its archive, following the filing rules.",
    )
    start_page = fields.Integer(compute="_compute_filing_order", store=True, readonly=True, aggregator=False)
    end_page = fields.Integer(compute="_compute_filing_order", store=True, readonly=True, aggregator=False)
    user_id = fields.Many2one("res.users", string="Filed By", default=lambda self: self.env.user)
    note = fields.Text(string="Notes")

    @api.constrains("is_reply", "is_request")
    def _check_reply_or_request(self):
        for document in self.filtered(lambda doc: doc.is_reply and doc.is_request):
            raise ValidationError(
                self.env._(
                    "Reply Document and Request Document: “%(name)s” is either a reply or a request, not both. "
                    "Untick one of them.",
                    name=document.name,
                )
            )

    @api.constrains("page_count")
    def _check_page_count(self):
        for document in self.filtered(lambda doc: doc.page_count < 1):
            raise ValidationError(
                self.env._(
                    "Pages: “%(name)s” has %(pages)s pages; a filed document has at least one page.",
                    name=document.name,
                    pages=document.page_count,
                )
            )

    @api.constrains("parent_id", "partner_id")
    def _check_parent(self):
        for document in self.filtered("parent_id"):
            parent = document.parent_id
            if parent.partner_id != document.partner_id or parent.parent_id or parent == document:
                raise ValidationError(
                    self.env._(
                        "Filed With: “%(name)s” can only be filed with a document of the same archive that is "
                        "not itself filed with another one (“%(parent)s” is not).",
                        name=document.name,
                        parent=parent.name,
                    )
                )

    def _filing_rank(self):
        """Rank of a document inside its group: the three “before and after” rules."""
        self.ensure_one()
        return (
            0 if self.is_reply else 1,  # 批复在前、请示在后
            0 if self.is_main else 1,  # 正件在前、附件在后
            0 if self.is_printed else 1,  # 印件在前、定稿在后
        )

    @api.depends(*FILING_FIELDS, *(f"partner_id.archive_document_ids.{name}" for name in FILING_FIELDS))
    def _compute_filing_order(self):
        """Number the documents of every archive touched, with one search for
        all of them (a change to one document can move all its siblings)."""
        # One search for the saved siblings of every archive touched...
        saved_partners = self.partner_id.filtered(lambda partner: isinstance(partner.id, int))
        by_partner = defaultdict(dict)
        for document in self.search([("partner_id", "in", saved_partners.ids)]) if saved_partners else ():
            by_partner[document.partner_id.id][document.id] = document
        for document in self.filtered("partner_id"):
            partner = document.partner_id
            if not isinstance(partner.id, int):
                # ...a partner being edited in a form: its documents in memory
                by_partner[partner.id].update(
                    {doc._origin.id or doc.id: doc for doc in partner.archive_document_ids}
                )
            # the record being computed replaces its saved version
            by_partner[partner.id][document._origin.id or document.id] = document
        positions = {}
        for siblings in (list(documents.values()) for documents in by_partner.values()):

            def sort_key(document):
                # a document filed with another one sorts with it (same archive, see _check_parent)
                root = document.parent_id or document
                return (
                    root.type_id.sequence,
                    root.type_id.id,
                    root.document_date or fields.Date.to_date("9999-12-31"),
                    root.sequence,
                    root._origin.id or 0,
                    document._filing_rank(),
                    document.sequence,
                    document.document_date or fields.Date.to_date("9999-12-31"),
                    document._origin.id or 0,
                )

            page = 1
            for position, document in enumerate(sorted(siblings, key=sort_key), start=1):
                pages = max(document.page_count, 1)
                positions[document] = (position, page, page + pages - 1)
                page += pages
        for document in self:
            document.filing_sequence, document.start_page, document.end_page = positions.get(
                document, (0, 0, 0)
            )

    def _recompute_filing_order_of(self, partners):
        documents = self.search([("partner_id", "in", partners.ids)])
        for name in ("filing_sequence", "start_page", "end_page"):
            self.env.add_to_compute(self._fields[name], documents)

    def write(self, vals):
        old_partners = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        result = super().write(vals)
        if old_partners:
            # the archives the documents left must close the gap in their numbering
            self._recompute_filing_order_of(old_partners)
        return result

    def unlink(self):
        partners = self.partner_id
        result = super().unlink()
        self.env["customer.archive.document"]._recompute_filing_order_of(partners)
        return result
