from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..tools import pinyin

# The columns Odoo's name search compares with ilike (_rec_names_search of
# res_partner.py); each gets a trigram index.
NAME_SEARCH_COLUMNS = ("complete_name", "email", "ref", "vat", "company_registry", "archive_number")
PINYIN_COLUMNS = ("archive_name_pinyin", "archive_name_initials")
# The ilike wildcards: a search holding one is left to Odoo's plain domain.
LIKE_WILDCARDS = ("%", "_", "\\")


class ResPartner(models.Model):
    """Chinese search (中文检索) of contacts and archives: any substring of the
    name (also one or two Chinese characters, a surname), its pinyin and the
    pinyin initials (zhangwei / zw → 张伟), in the Contacts search, in many2one
    dropdowns (name_search) and wherever ``display_name`` is searched, with
    each comparison served by an index:

    - three characters or more: pg_trgm (GIN) indexes on the searched columns
      and on the two pinyin columns;
    - one or two characters (no trigram): ``archive_search_grams``, every
      character and pair of characters of the searched columns, with a GIN
      index on its array, compared by containment.

    Record rules apply as to any search: a sales rep finds only what they may read.
    """

    # A concern of res.partner: its search columns and the display_name search.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    archive_name_pinyin = fields.Char(
        string="Name in Pinyin",
        compute="_compute_archive_search_columns",
        store=True,
        prefetch="archive_search",
        help="Full pinyin of the name, lowercase (张伟 → zhangwei): the name is also found by it.",
    )
    archive_name_initials = fields.Char(
        string="Pinyin Initials",
        compute="_compute_archive_search_columns",
        store=True,
        prefetch="archive_search",
        help="Initials of the pinyin of the name (张伟 → zw): the name is also found by them.",
    )
    archive_search_grams = fields.Char(
        string="Search Characters",
        compute="_compute_archive_search_columns",
        store=True,
        prefetch="archive_search",
        help="Technical: every character and pair of characters of the searched fields, "
        "for searches of one or two characters.",
    )

    @api.depends(*NAME_SEARCH_COLUMNS)
    def _compute_archive_search_columns(self):
        for partner in self:
            full = pinyin.name_pinyin(partner.complete_name)
            initials = pinyin.name_initials(partner.complete_name)
            partner.archive_name_pinyin = full or False
            partner.archive_name_initials = initials or False
            partner.archive_search_grams = (
                pinyin.search_grams(*(partner[name] for name in NAME_SEARCH_COLUMNS), full, initials) or False
            )

    def init(self):
        cr = self.env.cr
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        unaccent = self.env.registry.unaccent
        for name in (*NAME_SEARCH_COLUMNS, *PINYIN_COLUMNS):
            # the expression Odoo's ilike compares (unaccent(col) with the unaccent option)
            expression = SQL("%s gin_trgm_ops", unaccent(SQL.identifier(name)))
            create_index(cr, f"res_partner_{name}_trigram_index", self._table, [expression.code], "gin")
        create_index(
            cr,
            "res_partner_archive_search_grams_index",
            self._table,
            ["string_to_array(archive_search_grams, ' ')"],
            "gin",
        )
        self._archive_init_duplicate_flags()

    @api.model
    def _search_display_name(self, operator, value):
        """Odoo's domain (ilike on the name, e-mail, reference, tax ID, company
        registry, archive number), pinyin added, as one leaf that
        ``_condition_to_sql`` turns into an indexed subquery."""
        if self._archive_is_text_search(operator, value):
            return [("archive_search_grams", "ilike", value.strip())]
        return super()._search_display_name(operator, value)

    @api.model
    def _archive_is_text_search(self, operator, value):
        return (
            operator == "ilike"
            and isinstance(value, str)
            and bool(value.strip())
            and not any(char in value for char in LIKE_WILDCARDS)
        )

    @api.model
    def _archive_text_search_query(self, term):
        """The query of the ids of the partners that ``term`` finds, record
        rules aside (the outer search applies them):

        - one or two characters: the array of grams contains it (GIN index);
        - longer: Odoo's ilike arms and the pinyin arms, each a trigram index.
        """
        # sudo: only builds the SQL of the match; the caller's search applies
        # the user's record rules and the active test to its result.
        Partner = self.sudo().with_context(active_test=False)
        if len(term) <= pinyin.SHORT_SEARCH:
            query = Partner._search([])
            query.add_where(self._archive_grams_condition(Partner, query, term))
            return query.select()
        spelled = pinyin.pinyin_query(term)  # zhang wei → zhangwei
        # Odoo's name search (BaseModel._search_display_name): ilike on each of _rec_names_search
        arms = [[(name, "ilike", term)] for name in self._rec_names_search]
        if len(spelled) > pinyin.SHORT_SEARCH:
            arms.extend([(name, "ilike", spelled)] for name in PINYIN_COLUMNS)
        found = Partner._search(expression.OR(arms)).select()
        if spelled and len(spelled) <= pinyin.SHORT_SEARCH:  # "z w": initials
            grams = Partner._search([])
            grams.add_where(self._archive_grams_condition(Partner, grams, spelled))
            found = SQL("%s UNION %s", found, grams.select())
        return found

    @api.model
    def _archive_grams_condition(self, model, query, term):
        """``term`` (one or two characters) is one of the grams."""
        return SQL(
            "(string_to_array(%s, ' ') @> ARRAY[%s]::text[])",
            model._field_to_sql(query.table, "archive_search_grams", query),
            term.lower(),
        )

    def _condition_to_sql(self, alias, fname, operator, value, query):
        if fname == "archive_search_grams" and self._archive_is_text_search(operator, value):
            # The ids are collected first (an InitPlan), then read by primary
            # key and sorted: PostgreSQL would otherwise walk the name index in
            # list order and filter, and the names holding a surname sit
            # together in that order (张… after every name before 张).
            return SQL(
                "(%s = ANY(ARRAY(%s)))",
                self._field_to_sql(alias, "id", query),
                self._archive_text_search_query(value.strip()),
            )
        return super()._condition_to_sql(alias, fname, operator, value, query)
