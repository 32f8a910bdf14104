from odoo import models

# Stored figures of the archive that the merge changes behind the ORM's back:
# Odoo's merge moves the references (transactions, documents...) with SQL.
FIGURES_TO_RECOMPUTE = (
    "transaction_total",
    "transaction_count",
    "transaction_average",
    "transaction_frequency",
    "first_transaction_date",
    "last_transaction_date",
    "breach_count",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids)
        # Merging removes the merged-away duplicates: that is not the hard
        # delete of an archive the no-delete rule forbids, since their
        # transactions, documents and history move to the remaining archive.
        result = super(
            BasePartnerMergeAutomaticWizard, self.with_context(customer_archive_merge=True)
        )._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivors = partners.exists()
        self.env.invalidate_all()
        for name in FIGURES_TO_RECOMPUTE:
            self.env.add_to_compute(survivors._fields[name], survivors)
        survivors._archive_recompute_after_merge()
        survivors.flush_recordset()
        return result
