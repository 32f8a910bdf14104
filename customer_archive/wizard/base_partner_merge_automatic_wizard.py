import datetime

from odoo import api, models

# Stored figures of the archive that the merge changes behind the ORM's back:
# Odoo's merge moves the references (transactions, documents...) with SQL.
FIGURES_TO_RECOMPUTE = (
    "archive_transaction_total",
    "archive_transaction_count",
    "archive_transaction_average",
    "archive_transaction_frequency",
    "archive_first_transaction_date",
    "archive_last_transaction_date",
    "archive_breach_count",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _get_ordered_partner(self, partner_ids):
        """The destination Odoo proposes is the last partner of this order.
        Odoo takes the oldest record; for customer archives that is the
        oldest archive (lowest archive number: imported archives are newer
        records with older numbers), then the most complete one. Active
        partners and archives come before the others, as in Odoo."""
        partners = self.env["res.partner"].browse(partner_ids)

        def best_first(partner):
            return (
                not partner.active,
                not partner.is_customer_archive,
                not partner.archive_number,
                partner.archive_number or "",
                -partner.archive_completeness,
                partner.create_date or datetime.datetime(1970, 1, 1),
                partner.id,
            )

        return partners.sorted(best_first, reverse=True)

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
