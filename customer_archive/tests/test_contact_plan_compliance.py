import ast
from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.osv import expression
from odoo.tests import tagged

from .test_contact_plan import ContactPlanCase


@tagged("post_install", "-at_install")
class TestContactPlanCompliance(ContactPlanCase):
    """The compliance pivot, as a manager opens it, counts the overdue
    calls, visits and reviews and shows the completion rate."""

    def _default_domain(self):
        """The domain of the search filters the action applies by default."""
        action = self.env.ref("customer_archive.action_customer_contact_plan_report")
        context = ast.literal_eval(action.context)
        arch = etree.fromstring(
            self.env.ref("customer_archive.view_customer_contact_plan_report_search").arch
        )
        domains = []
        for key in context:
            if key.startswith("search_default_"):
                node = arch.find(f".//filter[@name='{key.removeprefix('search_default_')}']")
                self.assertIsNotNone(node, key)
                self.assertTrue(node.get("domain"), f"{key}: a date filter hides the older overdue items")
                domains.append(ast.literal_eval(node.get("domain")))
        return expression.AND(domains or [[]])

    def test_overdue_reviews_and_completion_rate_in_the_default_view(self):
        # Not frozen: the report's SQL view compares with the database's CURRENT_DATE.
        today = date.today()
        # Archived two years ago, never reviewed: its review is long overdue.
        partner = self._planned_customer("b", archive_date=today - relativedelta(years=2))
        review = self._open(partner, "review")
        self.assertLess(review.date_deadline, today - relativedelta(months=3))
        self._open(partner, "call").action_feedback(feedback="已电话沟通")
        self.env.flush_all()
        domain = expression.AND([self._default_domain(), [("partner_id", "=", partner.id)]])
        rows = self.env["customer.contact.plan.report"]._read_group(
            domain,
            ["user_id"],
            [
                "planned_count:sum",
                "due_count:sum",
                "done_count:sum",
                "overdue_count:sum",
                "completion_rate:avg",
            ],
        )
        # the done call and the next one, the visit (due today, not overdue
        # yet) and the overdue review: 2 due, 1 done, 1 overdue, 50 %
        self.assertEqual(rows, [(self.rep, 4, 2, 1, 1, 50.0)])
        by_kind = dict(
            self.env["customer.contact.plan.report"]._read_group(domain, ["kind"], ["overdue_count:sum"])
        )
        self.assertEqual(by_kind["review"], 1, "overdue reviews count as 逾期")
        pivot = self.env.ref("customer_archive.view_customer_contact_plan_report_pivot")
        self.assertIn('name="completion_rate"', pivot.arch)
