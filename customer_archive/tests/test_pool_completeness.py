import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ArchiveCase

PHONE = "+86 21 5888 1234"
# The completeness fields the return writes with SQL, read from the table.
COLUMNS = ("archive_completeness", "archive_missing_field_names", "archive_completeness_band")


@tagged("post_install", "-at_install")
class TestPoolReturnCompleteness(ArchiveCase):
    """The nightly return takes the rep away with SQL, and the rep is a
    required field of the completeness: the statement writes the new
    completeness (score, missing fields, band) itself, from the ORM's own
    compute of one archive per state. The values must be those the ORM
    computes for each archive, also where Python's round (half to even)
    and SQL's round (half away from zero) differ, and nothing is left for
    the ORM to recompute."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["customer.archive.required.field"]
        Rule.with_context(active_test=False).search([]).unlink()

        def rule(name, applies_to, sequence):
            field = cls.env["ir.model.fields"]._get("res.partner", name)
            return {"field_id": field.id, "applies_to": applies_to, "sequence": sequence}

        # individuals: 8 fields, companies: 5 fields
        Rule.create(
            [
                rule("phone", "both", 1),
                rule("street", "both", 2),
                rule("user_id", "both", 3),
                rule("archive_gender", "individual", 4),
                rule("archive_birth_date", "individual", 5),
                rule("archive_occupation", "individual", 6),
                rule("archive_source_channel", "individual", 7),
                rule("archive_transaction_ids", "individual", 8),
                rule("archive_main_business", "company", 9),
                rule("archive_key_person_ids", "company", 10),
            ]
        )
        cls.pool = cls.env["customer.archive.pool"].create(
            {
                "name": "完整度公海",
                "member_department_ids": [(6, 0, cls.sales_department.ids)],
                "return_days_without_followup": 30,
                "return_days_without_transaction": 0,
            }
        )

    def individual(self, name, **values):
        return self.create_archive(
            name,
            rep=self.rep,
            is_company=False,
            archive_department_id=self.sales_department.id,
            **values,
        )

    def stored(self, partners):
        """The values in the table, as the statement left them."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, archive_completeness, archive_missing_field_names, archive_completeness_band"
            " FROM res_partner WHERE id = ANY(%s)",
            [partners.ids],
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def test_sql_completeness_is_the_orm_compute_in_every_state(self):
        with freeze_time("2026-01-01"):
            filled = {
                "phone": PHONE,
                "street": "浦东新区世纪大道100号",
                "archive_gender": "female",
                "archive_birth_date": datetime.date(1980, 5, 1),
                "archive_source_channel": "web",
            }
            # 5 of 8 left without the rep: 62.5 %, Python rounds to 62, SQL to 63
            half_even = self.individual("完整度客户甲", **filled) | self.individual("完整度客户乙", **filled)
            # 1 of 8: 12.5 %, 12 against 13
            sparse = self.individual("完整度客户丙", phone=PHONE)
            # 7 of 8: 87.5 %, 88 both ways
            full = self.individual("完整度客户丁", archive_occupation="教师", **filled)
            self.env["customer.archive.transaction"].create(
                {"partner_id": full.id, "amount": 800, "date": datetime.date(2025, 12, 1)}
            )
            # a company: 3 of 5 (no key person)
            company = self.create_archive(
                "完整度公司",
                rep=self.rep,
                is_company=True,
                phone=PHONE,
                street="静安区南京西路1号",
                archive_main_business="工业自动化",
                archive_department_id=self.sales_department.id,
            )
            # not due: keeps its rep and its completeness
            kept = self.individual("完整度客户戊", **filled)
            self.env.flush_all()
        self.env["customer.archive.interaction"].create(
            {
                "partner_id": kept.id,
                "summary": "电话回访",
                "user_id": self.rep.id,
                "date": "2026-02-10 09:00:00",
            }
        )
        returning = half_even | sparse | full | company
        before = self.stored(returning | kept)
        with freeze_time("2026-02-15"):
            returned = self.pool._auto_return()
        self.assertEqual(returned, returning)
        pending = {
            field.name
            for field, ids in self.env.transaction.tocompute.items()
            if field.model_name == "res.partner" and set(ids) & set(returning.ids)
        }
        self.assertFalse(pending, "the statement wrote them: nothing left for the ORM")
        written = self.stored(returning | kept)
        self.assertEqual(written[kept.id], before[kept.id])
        # the values the ORM computes for the same archives
        Partner = self.env["res.partner"]
        for name in COLUMNS:
            self.env.add_to_compute(Partner._fields[name], returning | kept)
        Partner.flush_model(COLUMNS)
        self.assertEqual(written, self.stored(returning | kept), "SQL and ORM completeness drifted apart")
        # the cases where the two roundings differ
        for partner in half_even:
            self.assertEqual(
                written[partner.id],
                (62, "user_id,archive_occupation,archive_transaction_ids", "50_79"),
            )
        self.assertEqual(written[sparse.id][0], 12)
        self.assertEqual(written[full.id], (88, "user_id", "80_99"))
        self.assertEqual(written[company.id], (60, "user_id,archive_key_person_ids", "50_79"))
        # what a user reads afterwards
        self.assertEqual(company.archive_completeness, 60)
        self.assertIn("Salesperson", company.archive_missing_fields)

    def test_rep_not_required_completeness_unchanged(self):
        self.env["customer.archive.required.field"].search([("field_id.name", "=", "user_id")]).active = False
        with freeze_time("2026-01-01"):
            partner = self.individual("无需销售客户", phone=PHONE)
            self.env.flush_all()
        before = self.stored(partner)
        self.assertEqual(before[partner.id][0], 14, "1 of 7")
        with freeze_time("2026-02-15"):
            self.assertEqual(self.pool._auto_return(), partner)
        self.assertEqual(self.stored(partner), before)
