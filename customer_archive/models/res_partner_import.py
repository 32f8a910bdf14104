import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.models import fix_import_export_id_paths
from odoo.osv import expression

from ..tools import crypto, identity

# Columns of the import template (客户档案表), in the order of the paper
# form: the archive, its basic and business data, the last three years'
# sales, then the key persons (one row each, below their company).
IMPORT_TEMPLATE_FIELDS = (
    "name",
    "is_company",
    "archive_unified_social_credit_code",
    "archive_source_channel",
    "archive_department_id",
    "user_id",
    "street",
    "city",
    "phone",
    "mobile",
    "email",
    "website",
    "archive_founding_date",
    "archive_registered_capital",
    "archive_main_shareholders",
    "archive_bank_name",
    "archive_company_size",
    "archive_employee_count",
    "archive_company_type",
    "archive_industry_position",
    "archive_main_business",
    "archive_sales_last_year",
    "archive_sales_two_years_ago",
    "archive_sales_three_years_ago",
    "archive_credit_rating",
    "archive_key_person_ids/name",
    "archive_key_person_ids/archive_key_person_role",
    "archive_key_person_ids/function",
    "archive_key_person_ids/phone",
    "archive_key_person_ids/mobile",
    "archive_key_person_ids/email",
)

# Rows of the template with the drop-downs of the selection columns.
TEMPLATE_ROWS = 5000

# Identity keys an imported row is matched on (res_partner_data_quality.DUPLICATE_KEYS):
# column of the file -> stored key column(s) of the archives.
IMPORT_MATCH_KEYS = {
    "archive_unified_social_credit_code": ("archive_unified_social_credit_code",),
    "archive_resident_id_number": ("archive_resident_id_number_blind_index",),
    "phone": ("archive_duplicate_phone_key", "archive_duplicate_mobile_key"),
    "mobile": ("archive_duplicate_phone_key", "archive_duplicate_mobile_key"),
    "email": ("archive_duplicate_email_key",),
}
# stored key -> column of the file it comes from
MATCH_COLUMNS = {
    "archive_unified_social_credit_code": "archive_unified_social_credit_code",
    "archive_resident_id_number_blind_index": "archive_resident_id_number",
    "archive_duplicate_email_key": "email",
}
# Super's load() is retried without the records it refused at most this often.
IMPORT_RETRIES = 3


class ResPartner(models.Model):
    """Import of customer archives through Odoo's Import (base_import):
    every row checked as the form checks it, matched against the existing
    archives and the other rows of the file, and recorded with its import
    batch and source channel."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_import_batch_id = fields.Many2one(
        "customer.archive.import.batch",
        string="Import Batch",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The import that created or last updated this archive.",
    )

    @api.model
    def get_import_templates(self):
        if self.env.context.get("customer_archive_skip"):
            return super().get_import_templates()
        return [
            {
                "label": self.env._("Customer Archive Template (客户档案表)"),
                "template": "/customer_archive/import_template",
            }
        ]

    # ------------------------------------------------------------------
    # Template
    # ------------------------------------------------------------------
    @api.model
    def _archive_import_template_headers(self):
        """The column titles of the template in the reader's language: the
        field labels base_import matches them against, "Key Persons/Name"
        for the key persons' columns."""
        headers = []
        for path in IMPORT_TEMPLATE_FIELDS:
            model, labels = self, []
            for name in path.split("/"):
                field = model._fields[name]
                labels.append(field._description_string(self.env))
                if field.relational:
                    model = self.env[field.comodel_name]
            headers.append("/".join(labels))
        return headers

    @api.model
    def _archive_import_template_field(self, path):
        model = self
        for name in path.split("/"):
            field = model._fields[name]
            if field.relational:
                model = self.env[field.comodel_name]
        return field

    @api.model
    def _archive_import_template_xlsx(self):
        """The import template (客户档案表) as XLSX bytes: a header row and
        an example company with two key persons."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Customer Archives"))
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        for column, header in enumerate(self._archive_import_template_headers()):
            sheet.write(0, column, header, bold)
            sheet.set_column(column, column, max(12, len(header) * 2))
            field = self._archive_import_template_field(IMPORT_TEMPLATE_FIELDS[column])
            if field.type == "selection":
                # a drop-down of the labels the import accepts, in the reader's language
                labels = [label for _value, label in field._description_selection(self.env)]
                sheet.data_validation(
                    1, column, TEMPLATE_ROWS, column, {"validate": "list", "source": labels}
                )
        sheet.freeze_panes(1, 1)
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # load(): checks, matching, batch and channel
    # ------------------------------------------------------------------
    def load(self, fields, data):
        if not self.env.context.get("import_file") or self.env.context.get("customer_archive_skip"):
            return super().load(fields, data)

        def load_rows(model, fields, rows):
            # the load() of Odoo on ``model`` (this model with the import's context)
            return super(ResPartner, model).load(fields, rows)  # noqa: UP008

        return self._archive_import_load(fields, data, load_rows)

    def _load_records_write(self, values):
        if self.env.context.get("archive_import_matching"):
            # An archive found by its identity keys is completed by the row:
            # an empty cell keeps the archive's value instead of erasing it.
            values = {name: value for name, value in values.items() if value not in (False, None, "", [])}
        return super()._load_records_write(values)

    def _archive_import_load(self, fields, data, load_rows):
        """Odoo's load() of the rows that pass the archive checks, on the
        archives they match: see ``customer.archive.import.batch``."""
        options = self.env.context.get("archive_import_options") or {}
        batch = self.env["customer.archive.import.batch"].browse(
            self.env.context.get("archive_import_batch_id") or []
        )
        paths = [fix_import_export_id_paths(name) for name in fields]
        one2many = {name for name, field in self._fields.items() if field.type == "one2many"}
        top_columns = [index for index, path in enumerate(paths) if path[0] not in one2many]
        column = {path[0]: index for index, path in enumerate(paths) if len(path) == 1}

        # records of the file: (first row, last row + 1), as load() groups them
        blocks = []
        for index, row in enumerate(data):
            if not blocks or any(row[i] for i in top_columns):
                blocks.append([index, index + 1])
            else:
                blocks[-1][1] = index + 1
        limit = self.env.context.get("_import_limit") or len(blocks)
        nextrow = blocks[limit][0] if len(blocks) > limit else 0
        blocks = blocks[:limit]

        row_offset = self._archive_import_row_offset(options)
        messages, warnings, failed = [], [], set()

        def report(block_index, field_name, text, kind="error"):
            start, end = blocks[block_index]
            message = {
                "type": kind,
                "priority": kind,
                "message": self.env._("Row %(row)s: %(error)s", row=start + row_offset, error=text),
                "rows": {"from": start, "to": end - 1},
                "record": block_index,
            }
            if field_name:
                message["field"] = field_name
            if kind == "error":
                messages.append(message)
                failed.add(block_index)
            else:
                warnings.append(message)

        keys = self._archive_import_check_rows(data, blocks, column, report)
        updates = self._archive_import_match(blocks, keys, column, options, report, data)

        valid = [index for index in range(len(blocks)) if index not in failed]
        savepoint = self.env.cr.savepoint()
        ids, result_messages, refused = self._archive_import_write(
            fields, data, blocks, valid, updates, column, batch, options, load_rows
        )
        failed.update(index for index, _text in refused)
        messages += result_messages
        if options.get("all_or_nothing") and messages:
            # nothing of the file is written when one row is refused
            savepoint.close(rollback=True)
            self.pool.reset_changes()
            ids = False
        else:
            savepoint.close(rollback=False)
            if ids and not options.get("dryrun"):
                # the new archives whose rows name no rep go to the pool of
                # their department; an archive the file only updated stays where it is
                created = self.browse(ids) - self.browse(list(updates.values()))
                created._archive_pool_assign_unowned()
        if options.get("dryrun"):
            messages += warnings
        updated = len([index for index in updates if index not in failed]) if ids else 0
        if batch and not options.get("dryrun"):
            batch._record_chunk(
                created=len(ids or []) - updated,
                updated=updated,
                failed=len(failed),
                messages=messages + warnings,
            )
        return {"ids": ids, "messages": messages, "nextrow": nextrow}

    @api.model
    def _archive_import_row_offset(self, options):
        """Row number in the spreadsheet of the first row given to load()."""
        return options.get("skip", 0) + (2 if options.get("has_headers", True) else 1)

    def _archive_import_label(self, name):
        return self._fields[name]._description_string(self.env)

    def _archive_import_check_rows(self, data, blocks, column, report):
        """The checks of the form on the first row of each record (identity
        codes, phones, e-mail); returns {record: {stored key: value}} of the
        valid records and reports the invalid ones."""
        today = fields.Date.context_today(self)
        country = self.env.company.country_id
        keys = {}
        for block_index, (start, _end) in enumerate(blocks):
            row = data[start]

            def value(name, row=row):
                return (row[column[name]] or "").strip() if name in column else ""

            row_keys = {}
            code = identity.normalize_code(value("archive_unified_social_credit_code"))
            if code and not identity.is_valid_uscc(code):
                report(
                    block_index,
                    "archive_unified_social_credit_code",
                    self.env._(
                        "%(field)s is not valid. It has 18 characters (digits and capital letters without "
                        "I, O, S, V, Z) and the last one is a check character; check the code on the "
                        "business licence.",
                        field=self._archive_import_label("archive_unified_social_credit_code"),
                    ),
                )
            elif code:
                row_keys["archive_unified_social_credit_code"] = code
            resident_id = identity.normalize_code(value("archive_resident_id_number"))
            if resident_id and not identity.is_valid_resident_id(resident_id, today=today):
                report(
                    block_index,
                    "archive_resident_id_number",
                    self.env._(
                        "%(field)s is not valid. It has 18 characters, the 7th to 14th are the birth date "
                        "and the last one is a check digit (0-9 or X); check the number on the ID card.",
                        field=self._archive_import_label("archive_resident_id_number"),
                    ),
                )
            elif resident_id:
                row_keys["archive_resident_id_number_blind_index"] = crypto.blind_index(resident_id)
            phones = set()
            for name in ("phone", "mobile"):
                number = value(name)
                if not number:
                    continue
                vals = {name: number}
                try:
                    self._archive_format_phone_vals(vals, country)
                except ValidationError as error:
                    report(block_index, name, error.args[0])
                    continue
                digits = identity.phone_digits(vals[name])
                if len(digits) >= 5:
                    phones.add(digits)
            if phones:
                row_keys["phones"] = phones
            email = value("email")
            if email and not identity.is_valid_email(email):
                report(
                    block_index,
                    "email",
                    self.env._(
                        "%(field)s is not an e-mail address, e.g. name@example.com.",
                        field=self._archive_import_label("email"),
                    ),
                )
            elif email:
                row_keys["archive_duplicate_email_key"] = email.lower()
            name_key = "".join(value("name").split()).lower()
            if name_key:
                row_keys["archive_duplicate_name_key"] = name_key
            keys[block_index] = row_keys
        return keys

    def _archive_import_match(self, blocks, keys, column, options, report, data):
        """Rows that repeat an earlier row of the file are refused; rows that
        match one existing archive update it (or are reported, per the
        import's option); a name alone only warns. Returns {record: archive
        id} of the records that update an archive."""
        seen = {}
        labels = {
            "archive_unified_social_credit_code": self._archive_import_label(
                "archive_unified_social_credit_code"
            ),
            "archive_resident_id_number_blind_index": self._archive_import_label(
                "archive_resident_id_number"
            ),
            "phones": self.env._("Phone or Mobile"),
            "archive_duplicate_email_key": self._archive_import_label("email"),
        }
        for block_index, row_keys in keys.items():
            for kind, values in row_keys.items():
                if kind == "archive_duplicate_name_key":
                    continue
                for value in values if kind == "phones" else [values]:
                    first = seen.setdefault((kind, value), block_index)
                    if first != block_index and block_index in keys:
                        report(
                            block_index,
                            MATCH_COLUMNS.get(kind),
                            self.env._(
                                "it has the same %(field)s as row %(row)s: the customer appears twice in "
                                "the file. Keep one of the two rows.",
                                field=labels[kind],
                                row=blocks[first][0] + self._archive_import_row_offset(options),
                            ),
                        )
        has_id = [column[name] for name in ("id", ".id") if name in column]
        candidates = {
            index: row_keys
            for index, row_keys in keys.items()
            if not any(data[blocks[index][0]][i] for i in has_id)
        }
        existing = self._archive_import_existing(candidates.values())
        updates = {}
        for block_index, row_keys in candidates.items():
            matches, field_name = set(), None
            for kind, values in row_keys.items():
                if kind == "archive_duplicate_name_key":
                    continue
                for value in values if kind == "phones" else [values]:
                    found = existing.get((kind, value), set())
                    if found and not matches and kind != "phones":
                        # the column the match was found by
                        field_name = MATCH_COLUMNS[kind]
                    matches |= found
            if not matches:
                named = existing.get(
                    ("archive_duplicate_name_key", row_keys.get("archive_duplicate_name_key"))
                )
                if named:
                    report(
                        block_index,
                        "name",
                        self.env._(
                            "an archive with the same name exists already; the row creates a new "
                            "archive. Check that it is another customer."
                        ),
                        kind="warning",
                    )
                continue
            archives = self.browse(sorted(matches))
            writable = archives._filtered_access("write")
            if len(archives) > 1:
                report(
                    block_index,
                    field_name,
                    self.env._(
                        "it matches %(count)s existing archives (%(numbers)s): merge them first "
                        "(Possible Duplicates) or leave the row out.",
                        count=len(archives),
                        numbers=", ".join(writable.mapped("archive_number")) or "…",
                    ),
                )
            elif not writable:
                report(
                    block_index,
                    field_name,
                    self.env._(
                        "it matches an existing archive of another rep or department, which you may "
                        "not change. Leave the row out, or ask the archive's owner to import it."
                    ),
                )
            elif options.get("duplicate_mode") == "report":
                report(
                    block_index,
                    field_name,
                    self.env._(
                        "it matches the existing archive %(number)s. Leave the row out, or import "
                        "again with “Matching archives: update them”.",
                        number=archives.archive_number,
                    ),
                )
            else:
                updates[block_index] = archives.id
        return updates

    def _archive_import_existing(self, rows_keys):
        """{(key kind, value): {archive ids}} of the existing archives sharing
        a key with the rows: one indexed search over all keys."""
        wanted = {}
        for row_keys in rows_keys:
            for kind, values in row_keys.items():
                wanted.setdefault(kind, set()).update(values if kind == "phones" else [values])
        domains = []
        for kind, values in wanted.items():
            columns = (
                ("archive_duplicate_phone_key", "archive_duplicate_mobile_key")
                if kind == "phones"
                else (kind,)
            )
            domains += [[(name, "in", list(values))] for name in columns]
        if not domains:
            return {}
        # sudo: an archive the importing user may not read is still the
        # same customer: it is matched (and the row refused), not duplicated.
        archives = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                expression.AND([[("is_customer_archive", "=", True)], expression.OR(domains)]),
                [
                    "archive_unified_social_credit_code",
                    "archive_resident_id_number_blind_index",
                    "archive_duplicate_phone_key",
                    "archive_duplicate_mobile_key",
                    "archive_duplicate_email_key",
                    "archive_duplicate_name_key",
                ],
            )
        )
        existing = {}
        for archive in archives:
            for kind, values in wanted.items():
                columns = (
                    ("archive_duplicate_phone_key", "archive_duplicate_mobile_key")
                    if kind == "phones"
                    else (kind,)
                )
                for name in columns:
                    if archive[name] and archive[name] in values:
                        existing.setdefault((kind, archive[name]), set()).add(archive.id)
        return existing

    def _archive_import_write(self, fields, data, blocks, valid, updates, column, batch, options, load_rows):
        """load() of the valid records, with the database id of the archive
        each updates, the import batch and the source channel; a record load()
        refuses is left out and the others loaded again. Returns (ids,
        messages of the refused records with their rows in the file,
        [(record, message)])."""
        fields = list(fields)
        extra = {}
        if updates and ".id" not in column:
            extra[".id"] = lambda index: str(updates.get(index, ""))
        if batch:
            extra["archive_import_batch_id/.id"] = lambda index: str(batch.id)
        channel = options.get("source_channel")
        if channel and "archive_source_channel" not in column:
            extra["archive_source_channel"] = lambda index: channel
        fields += list(extra)
        rows_of = {}
        for index in valid:
            start, end = blocks[index]
            rows = [list(row) + [""] * len(extra) for row in data[start:end]]
            for position, make in enumerate(extra.values(), len(fields) - len(extra)):
                rows[0][position] = make(index)
            if ".id" in column and index in updates:
                rows[0][column[".id"]] = str(updates[index])
            if (
                channel
                and "archive_source_channel" in column
                and not rows[0][column["archive_source_channel"]]
            ):
                rows[0][column["archive_source_channel"]] = channel
            rows_of[index] = rows
        messages, refused = [], []
        Model = self.with_context(
            _import_limit=None, archive_import_options=None, archive_import_matching=bool(updates)
        )
        for _attempt in range(IMPORT_RETRIES):
            order, matrix, origin = [], [], []
            for index in valid:
                if index in dict(refused):
                    continue
                order.append(index)
                start = blocks[index][0]
                for offset, row in enumerate(rows_of[index]):
                    matrix.append(row)
                    origin.append((index, start + offset))
            if not matrix:
                return [], messages, refused
            result = load_rows(Model, fields, matrix)
            errors = [message for message in result["messages"] if message.get("type") == "error"]
            if not errors:
                return result["ids"] or [], messages, refused
            for message in errors:
                rows = message.get("rows") or {}
                if "from" not in rows:
                    messages.append(message)
                    continue
                index, row_from = origin[min(rows["from"], len(origin) - 1)]
                _index_to, row_to = origin[min(rows.get("to", rows["from"]), len(origin) - 1)]
                text = message["message"]
                refused.append((index, text))
                messages.append(
                    dict(
                        message,
                        message=self.env._(
                            "Row %(row)s: %(error)s",
                            row=row_from + self._archive_import_row_offset(options),
                            error=text,
                        ),
                        rows={"from": row_from, "to": row_to},
                        record=index,
                    )
                )
            if options.get("all_or_nothing"):
                return False, messages, refused
        return False, messages, refused
