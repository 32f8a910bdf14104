from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestFieldLabels(TransactionCase):
    """Two fields of a model with one label read the same in exports, filters
    and custom groupings, and make Odoo warn at every start ("Two fields …
    have the same label")."""

    def test_no_two_fields_share_a_label(self):
        modules = ("customer_archive", "customer_archive_insurance")
        models = set(
            self.env["ir.model.data"]
            .search([("module", "in", modules), ("model", "=", "ir.model.fields")])
            .mapped(lambda data: self.env["ir.model.fields"].browse(data.res_id).model)
        )
        clashes = []
        for model_name in sorted(models):
            by_label = {}
            for field in self.env[model_name]._fields.values():
                other = by_label.setdefault(field.string, field)
                if other is not field:
                    clashes.append(f"{model_name}: {other.name} / {field.name} ({field.string})")
        self.assertEqual(clashes, [])
