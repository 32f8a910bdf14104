from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestInteractions(ArchiveCase):
    """互动历史: the log of calls, meetings and visits, fed by completed activities."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "宁波海天贸易有限公司", "is_company": True})
        cls.manager = cls.env["res.partner"].create(
            {"name": "孙海涛", "parent_id": cls.customer.id, "function": "营销总监"}
        )
        cls.visit_type = cls.env["mail.activity.type"].create(
            {"name": "Customer Visit", "res_model": "res.partner"}
        )

    def _activity(self, activity_type, record=None, summary=False):
        record = record or self.customer
        return self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "summary": summary,
                "user_id": self.rep.id,
            }
        )

    def test_logging_a_visit_takes_name_and_rank_of_the_key_person(self):
        interaction = (
            self.env["customer.archive.interaction"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "interaction_type": "visit",
                    "summary": "季度拜访",
                    "person_met_id": self.manager.id,
                    "outcome": "<p>同意试订一批</p>",
                }
            )
        )
        self.assertEqual(interaction.person_met_name, "孙海涛")
        self.assertEqual(interaction.person_rank, "营销总监")
        self.assertEqual(interaction.user_id, self.rep)
        self.assertEqual(self.customer.archive_interaction_ids, interaction)
        self.assertEqual(self.customer.archive_interaction_count, 1)

    def test_done_call_becomes_an_interaction_with_the_feedback(self):
        activity = self._activity(self.env.ref("mail.mail_activity_data_call"), summary="每周电话沟通")
        activity.with_user(self.rep).action_feedback(feedback="客户确认下月订单")
        interaction = self.customer.archive_interaction_ids
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.interaction_type, "call")
        self.assertEqual(interaction.summary, "每周电话沟通")
        self.assertIn("客户确认下月订单", interaction.outcome)
        self.assertEqual(interaction.user_id, self.rep)
        self.assertEqual(interaction.activity_type_id, self.env.ref("mail.mail_activity_data_call"))
        self.assertFalse(activity.exists())

    def test_activity_types_map_to_interaction_types_in_one_go(self):
        activities = (
            self._activity(self.env.ref("mail.mail_activity_data_meeting"))
            | self._activity(self.visit_type)
            | self._activity(self.env.ref("mail.mail_activity_data_email"))
            | self._activity(self.env.ref("mail.mail_activity_data_todo"))
        )
        activities.with_user(self.rep)._action_done(feedback="已完成")
        interactions = self.customer.archive_interaction_ids
        self.assertEqual(
            sorted(interactions.mapped("interaction_type")), ["email", "meeting", "other", "visit"]
        )
        visit = interactions.filtered(lambda i: i.interaction_type == "visit")
        self.assertEqual(visit.summary, "Customer Visit")
        self.assertEqual(visit.activity_type_id, self.visit_type)

    def test_activities_on_other_records_are_not_logged(self):
        self._activity(self.env.ref("mail.mail_activity_data_call"), record=self.manager).with_user(
            self.rep
        ).action_feedback(feedback="联系人电话")
        self.assertFalse(
            self.env["customer.archive.interaction"].search([("partner_id", "=", self.manager.id)])
        )
        self.assertFalse(self.customer.archive_interaction_ids)

    def test_contact_plan_visit_type_is_logged_as_visit(self):
        visit_type = self.env.ref(
            "customer_archive.mail_activity_type_archive_visit", raise_if_not_found=False
        )
        if not visit_type:
            # the contact plan (issue 4) brings this type; without it, one like it
            visit_type = self.env["mail.activity.type"].create(
                {"name": "Archive visit", "res_model": "res.partner"}
            )
        activity = self._activity(visit_type, summary="拜访营销总监")
        activity.with_user(self.rep).action_feedback(feedback="对方同意试用新产品")
        interaction = self.customer.archive_interaction_ids
        self.assertEqual(interaction.interaction_type, "visit")
        self.assertEqual(interaction.summary, "拜访营销总监")

    def test_views_open_for_a_rep(self):
        Interaction = self.env["customer.archive.interaction"].with_user(self.rep)
        views = Interaction.get_views(
            [(False, "list"), (False, "form"), (False, "calendar"), (False, "pivot"), (False, "search")]
        )
        self.assertEqual(set(views["views"]), {"list", "form", "calendar", "pivot", "search"})
        Document = self.env["customer.archive.document"].with_user(self.rep)
        self.assertIn(
            "filing_sequence",
            Document.get_views([(False, "list"), (False, "form")])["models"][Document._name]["fields"],
        )
        form = (
            self.env["res.partner"].with_user(self.rep).get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in (
            "archive_interaction_ids",
            "archive_document_ids",
            "archive_duplicate_ids",
            "archive_completeness",
        ):
            self.assertIn(f'name="{name}"', form)
