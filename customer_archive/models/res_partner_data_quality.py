from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..tools import identity
from ..tools.counts import count_by
from .customer_archive_required_field import COMPLETENESS_CANDIDATES, COMPLETENESS_DEPENDENCIES

# Keys compared to find possible duplicates, in the order they are reported.
DUPLICATE_KEYS = (
    "archive_duplicate_name_key",
    "archive_duplicate_phone_key",
    "archive_duplicate_mobile_key",
    "archive_duplicate_email_key",
    "archive_unified_social_credit_code",
    # the keyed hash of the encrypted ID number: compared, never decrypted
    "archive_resident_id_number_blind_index",
)

# Longest value, in characters, of the indexed text columns of res.partner
# that archives fill: PostgreSQL refuses an index row of more than about
# 2 700 bytes (a Chinese character takes 3 bytes in UTF-8, some 4), and the
# derived columns (complete name, duplicate keys) are indexed too. A longer
# value is refused before SQL, naming the field, instead of failing in the
# database with the whole row written to the log.
MAX_LENGTHS = {
    "name": 256,
    "ref": 64,
    "vat": 64,
    "company_registry": 64,
    "email": 254,
    "phone": 64,
    "mobile": 64,
    "archive_number": 64,
    "archive_unified_social_credit_code": 32,
    "archive_resident_id_number": 32,
}

# Readers of ID numbers (res_partner_access.SENSITIVE_GROUP).
SENSITIVE_GROUP = "customer_archive.group_archive_sensitive"

# Phone fields checked and formatted on archives and key persons.
PHONE_FIELDS = ("phone", "mobile")


class ResPartner(models.Model):
    """Data quality of customer archives: identity codes, formats,
    completeness, duplicates, and no hard delete."""

    # A concern of res.partner: its fields and hooks; create and write are in res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_completeness = fields.Integer(
        string="Completeness (%)",
        compute="_compute_archive_completeness",
        store=True,
        aggregator="avg",  # a department's or rep's completeness is the mean, not the sum
        help="Share of the required fields (Contacts → Configuration → Required Archive Fields) that are filled; "
        "a list (key persons, transactions) counts as filled when it holds a row.",
    )
    # Stored as technical names; shown as labels in the reader's language
    # (a Chinese manager reads Chinese labels whoever saved the archive last).
    archive_missing_field_names = fields.Char(compute="_compute_archive_completeness", store=True)
    archive_missing_fields = fields.Char(string="Missing Fields", compute="_compute_archive_missing_fields")
    archive_duplicate_name_key = fields.Char(
        string="Duplicate Name Key", compute="_compute_duplicate_keys", store=True, index="btree_not_null"
    )
    archive_duplicate_phone_key = fields.Char(
        string="Duplicate Phone Key", compute="_compute_duplicate_keys", store=True, index="btree_not_null"
    )
    archive_duplicate_mobile_key = fields.Char(
        string="Duplicate Mobile Key", compute="_compute_duplicate_keys", store=True, index="btree_not_null"
    )
    archive_duplicate_email_key = fields.Char(
        string="Duplicate Email Key", compute="_compute_duplicate_keys", store=True, index="btree_not_null"
    )
    archive_duplicate_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_archive_duplicates",
        search="_search_archive_duplicates",
    )
    archive_duplicate_count = fields.Integer(compute="_compute_archive_duplicates")
    # Kept by PostgreSQL triggers (_archive_init_duplicate_flags) whenever a
    # key of an archive changes, however it is written: the "Possible
    # Duplicates" filter reads one indexed column instead of grouping all
    # archives by six keys.
    archive_has_duplicates = fields.Boolean(
        string="Has Possible Duplicates",
        readonly=True,
        copy=False,
        help="Another active archive shares the name, a phone, the e-mail, the credit code or the ID number.",
    )
    # Phones are stored formatted (+86 21 5080 1234): searching 021-50801234,
    # 50801234 or +86 21 5080 1234 finds them all.
    archive_phone_search = fields.Char(
        string="Phone or Mobile",
        compute="_compute_archive_phone_search",
        search="_search_archive_phone_search",
    )

    # Archive documents (立档和归档) and interaction history (互动历史)
    archive_document_ids = fields.One2many(
        "customer.archive.document", "partner_id", string="Archive Documents"
    )
    archive_document_count = fields.Integer(string="Documents", compute="_compute_archive_document_count")
    archive_documents_complete = fields.Boolean(
        string="Documents Complete",
        compute="_compute_archive_documents_complete",
        store=True,
        help="The archive holds a document of every required type "
        "(Contacts → Configuration → Archive Document Types).",
    )
    archive_missing_document_type_ids = fields.Many2many(
        "customer.archive.document.type",
        string="Missing Documents",
        compute="_compute_archive_missing_document_type_ids",
    )
    archive_interaction_ids = fields.One2many(
        "customer.archive.interaction", "partner_id", string="Interaction History"
    )
    archive_interaction_count = fields.Integer(
        string="Interactions", compute="_compute_archive_interaction_count"
    )

    # ------------------------------------------------------------------
    # Normalisation and validation
    # ------------------------------------------------------------------
    @api.model
    def _normalize_identity_vals(self, vals):
        for name in ("archive_unified_social_credit_code", "archive_resident_id_number"):
            if vals.get(name):
                vals[name] = identity.normalize_code(vals[name])
        if vals.get("archive_resident_id_number") and identity.is_valid_resident_id(
            vals["archive_resident_id_number"]
        ):
            code = vals["archive_resident_id_number"]
            # The ID number carries the birth date and (17th digit) the gender.
            vals.setdefault("archive_birth_date", identity.resident_id_birth_date(code))
            vals.setdefault("archive_gender", "male" if int(code[16]) % 2 else "female")
        return vals

    # Hooks of res.partner's create and write (res_partner.py): ``vals``
    # checked and normalised in place.
    @api.model
    def _archive_before_create_quality(self, vals_list):
        for vals in vals_list:
            self._archive_check_lengths(vals)
            self._archive_format_phones_create(vals)
            self._normalize_identity_vals(vals)

    def _archive_before_write_quality(self, vals):
        self._archive_check_lengths(vals)
        self._archive_format_phones_write(vals)
        self._normalize_identity_vals(vals)

    # ------------------------------------------------------------------
    # Phones: checked and formatted as Odoo's phone_validation does
    # ------------------------------------------------------------------
    def _archive_format_phones_create(self, vals):
        """Phones of a new archive or key person, in place in ``vals``."""
        if not any(vals.get(name) for name in PHONE_FIELDS):
            return
        parent = self.browse(vals.get("parent_id") or [])
        if not (self._is_archive_vals(vals) or parent.commercial_partner_id.is_customer_archive):
            return
        country = self.env["res.country"].browse(vals.get("country_id") or []) or parent.country_id
        self._archive_format_phone_vals(vals, country)

    def _archive_format_phones_write(self, vals):
        """Phones written on archives and key persons, in place in ``vals``:
        formatted once when the records share a country, else only checked."""
        if not any(vals.get(name) for name in PHONE_FIELDS):
            return
        partners = self.filtered(
            lambda p: p.is_customer_archive or p.commercial_partner_id.is_customer_archive
        )
        if not partners:
            return
        if "country_id" in vals:
            countries = [self.env["res.country"].browse(vals["country_id"] or [])]
        else:
            countries = list({partner.country_id or partner.parent_id.country_id for partner in partners})
        if len(countries) == 1:
            self._archive_format_phone_vals(vals, countries[0])
        else:
            for country in countries:
                self._archive_format_phone_vals(dict(vals), country)

    def _compute_archive_phone_search(self):
        for partner in self:
            partner.archive_phone_search = partner.phone or partner.mobile

    def _search_archive_phone_search(self, operator, value):
        if operator not in ("ilike", "=") or not isinstance(value, str) or not value.strip():
            return ["|", ("phone", operator, value), ("mobile", operator, value)]
        value = value.strip()
        terms = {value}
        number, _extension = identity.split_phone_extension(value)
        formatted = self._phone_format(number=number, force_format="INTERNATIONAL")
        if formatted:
            terms.add(formatted)
        domain = expression.OR(
            [[("phone", "ilike", term)] for term in terms] + [[("mobile", "ilike", term)] for term in terms]
        )
        # archives: by their digits without country code (duplicate keys)
        digits = identity.phone_digits(number)
        if len(digits) >= 3:
            domain = expression.OR(
                [
                    domain,
                    [("archive_duplicate_phone_key", "ilike", digits)],
                    [("archive_duplicate_mobile_key", "ilike", digits)],
                ]
            )
        return domain

    @api.model
    def _archive_format_phone_vals(self, vals, country):
        """Check the phone and mobile in ``vals`` with Odoo's phone
        validation (``_phone_format``, the partner's country, else the
        company's) and write them back in the international format
        (+86 21 5080 1234); an extension (转 8001) is kept. A number that is
        not valid for the country is refused, naming the field but not the
        number (Odoo's HTTP layer logs the message of a refused call)."""
        country = country or self.env.company.country_id
        for name in PHONE_FIELDS:
            value = vals.get(name)
            if not value or not isinstance(value, str) or not country:
                continue
            number, extension = identity.split_phone_extension(value.strip())
            try:
                formatted = self._phone_format(
                    number=number, country=country, force_format="INTERNATIONAL", raise_exception=True
                )
            except UserError:
                raise ValidationError(
                    self.env._(
                        "%(field)s is not a valid phone number in %(country)s. Enter a mobile "
                        "number (e.g. 138 0013 8000) or a landline with its area code (e.g. 021 5080 1234), "
                        "or the number with its country code (+…).",
                        field=self._fields[name]._description_string(self.env),
                        country=country.name,
                    )
                ) from None
            if formatted:
                vals[name] = f"{formatted} {extension}" if extension else formatted

    @api.model
    def _archive_check_lengths(self, vals):
        """Refuse an over-long value of an indexed text field (``MAX_LENGTHS``)
        with an error naming the field; the value itself is not repeated
        (it may be personal data, and it is too long to read)."""
        for name, limit in MAX_LENGTHS.items():
            value = vals.get(name)
            if isinstance(value, str) and len(value) > limit:
                raise ValidationError(
                    self.env._(
                        "%(field)s is too long: %(length)s characters, at most %(limit)s are allowed. "
                        "Shorten it and save again.",
                        field=self._fields[name]._description_string(self.env),
                        length=len(value),
                        limit=limit,
                    )
                )

    @api.constrains("archive_unified_social_credit_code")
    def _check_unified_social_credit_code(self):
        for partner in self.filtered("archive_unified_social_credit_code"):
            if not identity.is_valid_uscc(partner.archive_unified_social_credit_code):
                raise ValidationError(
                    self.env._(
                        "Unified Social Credit Code: “%(code)s” of %(name)s is not valid. It has 18 characters "
                        "(digits and capital letters without I, O, S, V, Z) and the last one is a check "
                        "character; please check the code on the business licence.",
                        code=partner.archive_unified_social_credit_code,
                        name=partner.display_name,
                    )
                )

    # The errors below name the field, not the value or the person: Odoo's
    # HTTP layer logs the message of every refused call (odoo.http WARNING).
    @api.constrains("archive_resident_id_number", "archive_birth_date")
    def _check_resident_id_number(self):
        # sudo: the check digit and the birth date are validated for every
        # user who saves a birth date, also those who may not read ID numbers.
        for partner in self.sudo().filtered("archive_resident_id_number"):
            code = partner.archive_resident_id_number
            if not identity.is_valid_resident_id(code, today=fields.Date.context_today(self)):
                raise ValidationError(
                    self.env._(
                        "Resident ID Number is not valid. It has 18 characters, the "
                        "7th to 14th are the birth date and the last one is a check digit (0-9 or X); "
                        "please check the number on the ID card."
                    )
                )
            birth = identity.resident_id_birth_date(code)
            if partner.archive_birth_date and partner.archive_birth_date != birth:
                raise ValidationError(
                    self.env._(
                        "Birth Date does not match the birth date in the Resident ID Number (its 7th to "
                        "14th characters). Correct one of the two."
                    )
                )

    @api.constrains("phone", "mobile", "email")
    def _check_contact_formats(self):
        for partner in self.filtered("is_customer_archive"):
            for name in ("phone", "mobile"):
                if not identity.is_valid_phone(partner[name]):
                    raise ValidationError(
                        self.env._(
                            "%(field)s is not a phone number. Use digits, spaces, "
                            "dashes and an optional leading +, e.g. +86 21 5080 1234 or 138 0013 8000.",
                            field=self._fields[name].get_description(self.env)["string"],
                        )
                    )
            if not identity.is_valid_email(partner.email):
                raise ValidationError(self.env._("Email is not an e-mail address, e.g. name@example.com."))

    # ------------------------------------------------------------------
    # Completeness
    # ------------------------------------------------------------------
    @api.depends("is_customer_archive", "is_company", *COMPLETENESS_CANDIDATES, *COMPLETENESS_DEPENDENCIES)
    def _compute_archive_completeness(self):
        rules = self.env["customer.archive.required.field"].sudo()._rules_by_kind()
        for partner in self:
            required = rules["company" if partner.is_company else "individual"]
            if not partner.is_customer_archive or not required:
                partner.archive_completeness = 100 if partner.is_customer_archive else 0
                partner.archive_missing_field_names = False
                continue
            missing = [name for name in required if not partner[name]]
            partner.archive_completeness = round(100 * (len(required) - len(missing)) / len(required))
            partner.archive_missing_field_names = ",".join(missing) or False

    # What decides the completeness of an archive besides its required
    # fields, which its stored missing names tell (see _compute_archive_completeness).
    COMPLETENESS_STATE = ("is_customer_archive", "is_company", "archive_missing_field_names")

    @api.model
    def _archive_completeness_followers(self):
        """The stored fields an SQL statement sets with the completeness: its
        two own ones, and the stored computes of any concern that depend on
        them and on the archive's state alone (e.g. the completeness band);
        a field that depends on anything else stays with the ORM."""
        own = [self._fields["archive_completeness"], self._fields["archive_missing_field_names"]]
        allowed = {field.name for field in own} | set(self.COMPLETENESS_STATE)
        followers = list(own)
        for field in self.pool.get_trigger_tree(own).root:
            if (
                field not in followers
                and field.model_name == self._name
                and field.store
                and field.compute
                and set(self.pool.field_depends[field]) <= allowed
            ):
                followers.append(field)
        return followers

    @api.model
    def _archive_completeness_when_cleared(self, candidates, cleared):
        """What the completeness becomes when an SQL statement empties the
        fields ``cleared`` of archives (the nightly return of the customer
        pool takes their rep away), computed by the ORM's own compute: one
        definition of the rule, its rounding included.

        The completeness of an archive is decided by its state
        (``COMPLETENESS_STATE``: whether it is an archive, a company, and
        which required fields it misses). For each state among the archives
        ``candidates`` (SQL selecting their ids), one of them, copied in
        memory with ``cleared`` emptied (``new(origin=…)``, as a form does),
        gives the values of all.

        Returns ``(fields, table)``: the stored fields to set
        (``_archive_completeness_followers``) and an SQL ``VALUES`` table
        with the columns ``state_*`` (the state before) and the new value
        of each field under its own name; ``table`` is None when there is
        no candidate. Join it on ``_archive_completeness_state_join``."""
        followers = self._archive_completeness_followers()
        self.flush_model([*self.COMPLETENESS_STATE, *cleared])
        self.env.cr.execute(
            SQL(
                "SELECT min(p.id) FROM res_partner p WHERE p.id IN (%s) GROUP BY %s",
                candidates,
                SQL(", ").join(self._archive_completeness_state("p")),
            )
        )
        representatives = self.browse(row[0] for row in self.env.cr.fetchall())
        if not representatives:
            return followers, None
        copies = self.browse()
        for partner in representatives:
            copies |= self.new(dict.fromkeys(cleared, False), origin=partner)
        rows = []
        for partner, copy in zip(representatives, copies, strict=True):
            # the state as _archive_completeness_state reads it: no NULL
            state = [
                SQL("%s", partner[name] or ("" if self._fields[name].type == "char" else False))
                for name in self.COMPLETENESS_STATE
            ]
            values = [
                SQL("%s::%s", field.convert_to_column(copy[field.name], copy), SQL(field.column_type[1]))
                for field in followers
            ]
            rows.append(SQL("(%s)", SQL(", ").join(state + values)))
        columns = [f"state_{name}" for name in self.COMPLETENESS_STATE] + [field.name for field in followers]
        table = SQL(
            "(VALUES %s) AS %s(%s)",
            SQL(", ").join(rows),
            SQL.identifier("completeness"),
            SQL(", ").join(SQL.identifier(column) for column in columns),
        )
        return followers, table

    @api.model
    def _archive_completeness_state(self, alias):
        """SQL: the state (``COMPLETENESS_STATE``) of the archive ``alias``,
        one expression per column, NULL read as the ORM reads it."""
        return [
            SQL(
                "COALESCE(%s, %s)",
                SQL.identifier(alias, name),
                SQL("''") if self._fields[name].type == "char" else SQL("FALSE"),
            )
            for name in self.COMPLETENESS_STATE
        ]

    @api.model
    def _archive_completeness_state_join(self, alias):
        """SQL: the row of ``completeness`` (the table above) of the state of
        the archive ``alias``."""
        return SQL(" AND ").join(
            SQL("%s = %s", expression, SQL.identifier("completeness", f"state_{name}"))
            for name, expression in zip(
                self.COMPLETENESS_STATE, self._archive_completeness_state(alias), strict=True
            )
        )

    @api.depends("archive_missing_field_names")
    @api.depends_context("lang")
    def _compute_archive_missing_fields(self):
        for partner in self:
            names = (partner.archive_missing_field_names or "").split(",")
            partner.archive_missing_fields = (
                ", ".join(
                    self._fields[name].get_description(self.env)["string"]
                    for name in names
                    if name in self._fields
                )
                or False
            )

    # ------------------------------------------------------------------
    # Duplicates
    # ------------------------------------------------------------------
    @api.depends("name", "phone", "mobile", "email", "is_customer_archive")
    def _compute_duplicate_keys(self):
        for partner in self:
            if not partner.is_customer_archive:
                partner.update(dict.fromkeys(DUPLICATE_KEYS[:4], False))
                continue
            name = "".join((partner.name or "").split()).lower()
            phone = identity.phone_digits(partner.phone)
            mobile = identity.phone_digits(partner.mobile)
            partner.archive_duplicate_name_key = name or False
            partner.archive_duplicate_phone_key = phone if len(phone) >= 5 else False
            partner.archive_duplicate_mobile_key = mobile if len(mobile) >= 5 else False
            partner.archive_duplicate_email_key = (partner.email or "").strip().lower() or False

    def _duplicate_domain(self):
        """One OR-domain matching any archive sharing a key with any of self."""
        domains = []
        for partner in self:
            values = {
                "archive_duplicate_name_key": partner.archive_duplicate_name_key,
                "archive_unified_social_credit_code": partner.archive_unified_social_credit_code,
                "archive_resident_id_number_blind_index": partner._duplicate_resident_id_index(),
                "archive_duplicate_email_key": partner.archive_duplicate_email_key,
            }
            for key, value in values.items():
                if value:
                    domains.append([(key, "=", value)])
            for phone in {partner.archive_duplicate_phone_key, partner.archive_duplicate_mobile_key} - {
                False
            }:
                domains.append(
                    [
                        "|",
                        ("archive_duplicate_phone_key", "=", phone),
                        ("archive_duplicate_mobile_key", "=", phone),
                    ]
                )
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    def _duplicate_resident_id_index(self):
        """The blind index of the ID number: stored for a saved archive, from
        the value being typed for one edited in a form."""
        self.ensure_one()
        # sudo: the blind index column is technical; it reveals no ID number.
        if isinstance(self.id, int):
            return self.sudo().archive_resident_id_number_blind_index
        return (
            self.sudo()
            ._encrypted_values("archive_resident_id_number", self.sudo().archive_resident_id_number)
            .get("archive_resident_id_number_blind_index")
        )

    @api.depends(*DUPLICATE_KEYS, "archive_resident_id_number")
    def _compute_archive_duplicates(self):
        if not (self.env.su or self.env.user.has_group(SENSITIVE_GROUP)):
            # sudo: duplicates are also found by ID numbers the user may not
            # read; only the duplicates the user may read are shown.
            self.sudo()._compute_archive_duplicates()
            for partner in self:
                visible = partner.sudo().archive_duplicate_ids.with_env(self.env)._filtered_access("read")
                partner.archive_duplicate_ids = visible
                partner.archive_duplicate_count = len(visible)
            return
        archives = self.filtered("is_customer_archive")
        candidates = self.browse()
        if archives:
            # One search for the whole recordset, distributed in memory.
            candidates = self.search(
                expression.AND([[("is_customer_archive", "=", True)], archives._duplicate_domain()])
            )
        for partner in self:
            if not partner.is_customer_archive:
                partner.archive_duplicate_ids = False
                partner.archive_duplicate_count = 0
                continue
            phones = {partner.archive_duplicate_phone_key, partner.archive_duplicate_mobile_key} - {False}
            own = {
                key: partner[key]
                for key in DUPLICATE_KEYS
                if key not in ("archive_duplicate_phone_key", "archive_duplicate_mobile_key")
            }
            own["archive_resident_id_number_blind_index"] = partner._duplicate_resident_id_index()
            duplicates = candidates.filtered(
                lambda other, partner=partner, phones=phones, own=own: other.id != partner._origin.id
                and (
                    any(other[key] and other[key] == value for key, value in own.items())
                    or bool(phones & {other.archive_duplicate_phone_key, other.archive_duplicate_mobile_key})
                )
            )
            partner.archive_duplicate_ids = duplicates
            partner.archive_duplicate_count = len(duplicates)

    def _search_archive_duplicates(self, operator, value):
        """Archives that share a key with another archive: the flag kept by the triggers."""
        if operator not in ("!=", "=") or value not in (False, True):
            raise NotImplementedError(self.env._("Unsupported search on Possible Duplicates."))
        # The triggers run when the stored computed keys are written: write the pending ones first.
        self.flush_model([*DUPLICATE_KEYS, "is_customer_archive", "active"])
        has_duplicates = (operator == "=") == bool(value)
        return [("archive_has_duplicates", "=" if has_duplicates else "!=", True)]

    @api.model
    def _archive_duplicate_ids_query(self):
        """The ids of the active archives sharing a key with another one, by
        grouping every archive (the whole-table query the flag replaces; used
        to set the flag when the triggers are first created)."""
        queries = [
            SQL(
                """SELECT id FROM res_partner WHERE %(key)s IN (
                        SELECT %(key)s FROM res_partner
                         WHERE %(key)s IS NOT NULL AND is_customer_archive AND active
                      GROUP BY %(key)s HAVING count(*) > 1)
                    AND is_customer_archive AND active""",
                key=SQL.identifier(key),
            )
            for key in DUPLICATE_KEYS
        ]
        queries.append(
            SQL(
                """SELECT p.id FROM res_partner p
                     JOIN res_partner o ON o.id != p.id AND o.is_customer_archive AND o.active
                      AND (o.archive_duplicate_phone_key = p.archive_duplicate_mobile_key
                           OR o.archive_duplicate_mobile_key = p.archive_duplicate_phone_key)
                    WHERE p.is_customer_archive AND p.active"""
            )
        )
        return SQL(" UNION ").join(queries)

    def _archive_init_duplicate_flags(self):
        """Create the triggers that keep ``archive_has_duplicates`` (called
        by res.partner's ``init``); the first time, set the flag of every
        archive in one statement.

        A row trigger fires when a key, ``is_customer_archive`` or ``active``
        of a partner changes (and on insert and delete): it recomputes the
        flag of that partner and of every partner sharing one of its old or
        new keys, each an indexed lookup. The recomputation writes only the
        flag, which fires no trigger."""
        cr = self.env.cr
        cr.execute(
            SQL("SELECT 1 FROM pg_trigger WHERE tgname = %s", "customer_archive_duplicate_flags_update")
        )
        first_time = not cr.rowcount
        keys = SQL(", ").join(SQL.identifier(key) for key in DUPLICATE_KEYS)
        params = SQL(", ").join(SQL("%s text", SQL.identifier(f"k_{key}")) for key in DUPLICATE_KEYS)
        # a candidate shares a key with the changed row (phones: phone and mobile alike)
        candidate = SQL(" OR ").join(
            [
                SQL("c.id = changed_id"),
                *(
                    SQL("c.%s = %s", SQL.identifier(key), SQL.identifier(f"k_{key}"))
                    for key in DUPLICATE_KEYS
                    if key not in ("archive_duplicate_phone_key", "archive_duplicate_mobile_key")
                ),
                SQL(
                    "c.archive_duplicate_phone_key IN (k_archive_duplicate_phone_key, k_archive_duplicate_mobile_key)"
                ),
                SQL(
                    "c.archive_duplicate_mobile_key IN (k_archive_duplicate_phone_key, k_archive_duplicate_mobile_key)"
                ),
            ]
        )
        shares = SQL(" OR ").join(
            [
                *(
                    SQL("o.%(key)s = c.%(key)s", key=SQL.identifier(key))
                    for key in DUPLICATE_KEYS
                    if key not in ("archive_duplicate_phone_key", "archive_duplicate_mobile_key")
                ),
                SQL(
                    "o.archive_duplicate_phone_key IN (c.archive_duplicate_phone_key, c.archive_duplicate_mobile_key)"
                ),
                SQL(
                    "o.archive_duplicate_mobile_key IN (c.archive_duplicate_phone_key, c.archive_duplicate_mobile_key)"
                ),
            ]
        )
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION customer_archive_refresh_duplicate_flags(changed_id int, %(params)s)
                RETURNS void LANGUAGE sql AS $body$
                    UPDATE res_partner p SET archive_has_duplicates = f.flag
                      FROM (SELECT c.id, c.is_customer_archive AND c.active AND EXISTS (
                                   SELECT 1 FROM res_partner o
                                    WHERE o.id != c.id AND o.is_customer_archive AND o.active
                                      AND (%(shares)s)) AS flag
                              FROM res_partner c
                             WHERE %(candidate)s) AS f
                     WHERE p.id = f.id AND COALESCE(p.archive_has_duplicates, FALSE) != f.flag
                $body$
                """,
                params=params,
                shares=shares,
                candidate=candidate,
            )
        )
        old_keys = SQL(", ").join(SQL("OLD.%s", SQL.identifier(key)) for key in DUPLICATE_KEYS)
        new_keys = SQL(", ").join(SQL("NEW.%s", SQL.identifier(key)) for key in DUPLICATE_KEYS)
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION customer_archive_duplicate_flags_trigger() RETURNS trigger
                LANGUAGE plpgsql AS $body$
                BEGIN
                    IF TG_OP != 'INSERT' THEN
                        PERFORM customer_archive_refresh_duplicate_flags(OLD.id, %(old_keys)s);
                    END IF;
                    IF TG_OP != 'DELETE' THEN
                        PERFORM customer_archive_refresh_duplicate_flags(NEW.id, %(new_keys)s);
                    END IF;
                    RETURN NULL;
                END
                $body$
                """,
                old_keys=old_keys,
                new_keys=new_keys,
            )
        )
        changed = SQL(" OR ").join(
            SQL("OLD.%(column)s IS DISTINCT FROM NEW.%(column)s", column=SQL.identifier(column))
            for column in (*DUPLICATE_KEYS, "is_customer_archive", "active")
        )
        cr.execute(
            SQL(
                """
                DROP TRIGGER IF EXISTS customer_archive_duplicate_flags_update ON res_partner;
                CREATE TRIGGER customer_archive_duplicate_flags_update
                 AFTER UPDATE OF %(keys)s, is_customer_archive, active ON res_partner
                 FOR EACH ROW WHEN (%(changed)s)
                 EXECUTE FUNCTION customer_archive_duplicate_flags_trigger();
                DROP TRIGGER IF EXISTS customer_archive_duplicate_flags_insert ON res_partner;
                CREATE TRIGGER customer_archive_duplicate_flags_insert
                 AFTER INSERT ON res_partner FOR EACH ROW WHEN (NEW.is_customer_archive)
                 EXECUTE FUNCTION customer_archive_duplicate_flags_trigger();
                DROP TRIGGER IF EXISTS customer_archive_duplicate_flags_delete ON res_partner;
                CREATE TRIGGER customer_archive_duplicate_flags_delete
                 AFTER DELETE ON res_partner FOR EACH ROW WHEN (OLD.is_customer_archive)
                 EXECUTE FUNCTION customer_archive_duplicate_flags_trigger();
                """,
                keys=keys,
                changed=changed,
            )
        )
        create_index(
            cr,
            "res_partner_archive_has_duplicates_index",
            self._table,
            ["id"],
            where="archive_has_duplicates",
        )
        if first_time:
            self._archive_refresh_all_duplicate_flags()

    @api.model
    def _archive_refresh_all_duplicate_flags(self):
        """Set the flag of every partner from the grouping query (one pass;
        after a bulk load by SQL with the triggers disabled)."""
        self.flush_model([*DUPLICATE_KEYS, "is_customer_archive", "active"])
        duplicates = self._archive_duplicate_ids_query()
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p SET archive_has_duplicates = f.flag
                     FROM (SELECT q.id, d.id IS NOT NULL AS flag
                             FROM res_partner q LEFT JOIN (%s) AS d ON d.id = q.id
                            WHERE q.archive_has_duplicates OR d.id IS NOT NULL) AS f
                    WHERE p.id = f.id AND COALESCE(p.archive_has_duplicates, FALSE) != f.flag""",
                duplicates,
            )
        )
        self.invalidate_model(["archive_has_duplicates"])

    def action_merge_duplicates(self):
        """Open Odoo's merge wizard on this archive and (at most two of) its
        duplicates, keeping the oldest, most complete archive (lowest
        archive number, the wizard's default; the user may pick another):
        transactions, documents, history and child contacts of the others
        move to it."""
        self.ensure_one()
        partners = self | self.archive_duplicate_ids[:2]
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({})
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Duplicates"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------
    # Archive documents and interactions
    # ------------------------------------------------------------------
    def _compute_archive_document_count(self):
        counts = count_by(self.env["customer.archive.document"], "partner_id", self)
        for partner in self:
            partner.archive_document_count = counts.get(partner, 0)

    def _archive_missing_document_types(self):
        """{partner: missing required document types}, from one grouped query."""
        # sudo: the required types are configuration every archive user is measured against
        required = self.env["customer.archive.document.type"].sudo()._required_types_by_kind()
        saved = self.filtered(lambda partner: isinstance(partner.id, int))
        present = dict(
            # sudo: the verdict counts every filed document, also those a
            # record rule may hide from the current user
            self.env["customer.archive.document"]
            .sudo()
            ._read_group([("partner_id", "in", saved.ids)], ["partner_id"], ["type_id:recordset"])
        )
        no_types = self.env["customer.archive.document.type"]
        missing = {}
        for partner in self:
            if not partner.is_customer_archive:
                missing[partner] = no_types
                continue
            if isinstance(partner.id, int):
                types = present.get(partner.sudo(), no_types).sudo()
            else:
                # a partner being edited in a form: the documents in memory
                types = partner.archive_document_ids.type_id.sudo()
            kind = "company" if partner.is_company else "individual"
            missing[partner] = (required[kind] - types).with_env(self.env)
        return missing

    @api.depends("is_customer_archive", "is_company", "archive_document_ids.type_id")
    def _compute_archive_documents_complete(self):
        missing = self._archive_missing_document_types()
        for partner in self:
            partner.archive_documents_complete = partner.is_customer_archive and not missing[partner]

    @api.depends("is_customer_archive", "is_company", "archive_document_ids.type_id")
    def _compute_archive_missing_document_type_ids(self):
        missing = self._archive_missing_document_types()
        for partner in self:
            partner.archive_missing_document_type_ids = missing[partner]

    def _compute_archive_interaction_count(self):
        counts = count_by(self.env["customer.archive.interaction"], "partner_id", self)
        for partner in self:
            partner.archive_interaction_count = counts.get(partner, 0)

    def action_open_archive_documents(self):
        return self._archive_open_action("customer_archive.action_customer_archive_document")

    def action_open_archive_interactions(self):
        return self._archive_open_action("customer_archive.action_customer_archive_interaction")

    def _archive_recompute_after_merge(self):
        """Odoo's merge moves documents and interactions with SQL: renumber
        the documents of the surviving archives and re-check them."""
        self.env["customer.archive.document"]._recompute_filing_order_of(self)
        self.env.add_to_compute(self._fields["archive_documents_complete"], self)

    # ------------------------------------------------------------------
    # No hard delete
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_customer_archive(self):
        archives = self.filtered("is_customer_archive")
        if (
            archives
            and not self.env.su
            and not self.env.context.get("customer_archive_merge")
            and not self.env.user.has_group("customer_archive.group_archive_admin")
        ):
            raise AccessError(
                self.env._(
                    "Customer archives are never deleted: close the archive (state Closed) or archive it "
                    "instead. Only the Archive Administrator may delete %(names)s.",
                    names=", ".join(archives[:5].mapped("display_name")),
                )
            )
