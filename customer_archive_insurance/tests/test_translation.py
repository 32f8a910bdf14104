from odoo.tests import TransactionCase, tagged

from odoo.addons.customer_archive.tests.common import untranslated_terms


@tagged("post_install", "-at_install")
class TestChineseTranslation(TransactionCase):
    def test_every_term_has_a_chinese_translation(self):
        missing = untranslated_terms(self.env, "customer_archive_insurance")
        self.assertFalse(
            missing,
            "Terms without a zh_CN translation (add them to customer_archive_insurance/i18n/zh_CN.po, "
            "then run ./setup/i18n.sh):\n" + "\n".join(missing),
        )
