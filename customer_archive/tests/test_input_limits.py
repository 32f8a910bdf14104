import logging
import random

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ArchiveCase


def random_text(length, seed):
    """Random characters of the Basic Multilingual Plane and beyond
    (CJK, emoji…), without surrogates and control characters."""
    rng = random.Random(seed)
    ranges = [(0x21, 0x7E), (0xA1, 0x2FFF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1FAFF)]
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _index in range(length))


@tagged("post_install", "-at_install")
class TestInputLimits(ArchiveCase):
    """A name of 10 000 random characters is refused with an error naming
    the field, before SQL: nothing is written to the log with the values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chinese(cls.rep, modules=("base", "customer_archive"))
        cls.Partner = cls.env["res.partner"].with_user(cls.rep).with_context(lang="zh_CN")
        cls.company = cls.Partner.create({"name": "长度测试公司", "is_company": True, "user_id": cls.rep.id})

    def assertRefusedQuietly(self, field_label, function):
        with (
            self.assertNoLogs("odoo", level=logging.WARNING),
            self.assertRaisesRegex(ValidationError, field_label) as error,
            self.env.cr.savepoint(),
        ):
            function()
        self.assertIn("10000", str(error.exception))
        return error.exception

    def test_long_name_is_refused_before_sql(self):
        name = random_text(10000, seed=12)
        error = self.assertRefusedQuietly(
            "名称", lambda: self.Partner.create({"name": name, "is_company": True})
        )
        self.assertNotIn(name[:20], str(error), "the value is not repeated")
        self.assertRefusedQuietly("名称", lambda: self.company.write({"name": name}))
        self.assertEqual(self.company.name, "长度测试公司", "nothing saved is lost")
        # A key person (child contact) is a partner too.
        self.assertRefusedQuietly(
            "名称",
            lambda: self.company.write(
                {"child_ids": [(0, 0, {"name": name, "archive_key_person_role": "main_contact"})]}
            ),
        )

    def test_other_indexed_text_fields(self):
        text = random_text(10000, seed=13)
        for field in (
            "email",
            "phone",
            "mobile",
            "ref",
            "vat",
            "archive_unified_social_credit_code",
            "archive_number",
        ):
            label = self.Partner._fields[field]._description_string(self.Partner.env)
            self.assertRefusedQuietly(label, lambda field=field: self.company.write({field: text}))

    def test_form_shows_the_error(self):
        with self.assertRaisesRegex(ValidationError, "名称"):
            with Form(self.Partner) as form:
                form.name = random_text(10000, seed=14)

    def test_a_long_real_name_fits(self):
        name = "上海张江高科技园区" * 28  # 252 characters
        self.assertEqual(self.Partner.create({"name": name, "is_company": True}).name, name)
