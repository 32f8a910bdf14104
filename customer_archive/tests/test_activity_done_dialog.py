"""Marking an archive call or visit done asks whom the rep met (互动历史:
date, person met, their rank, the outcome) and writes it into the
interaction history."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ArchiveCase


@tagged("post_install", "-at_install")
class TestActivityDoneDialog(ArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "苏州精工机械有限公司", "is_company": True, "user_id": cls.rep.id}
        )
        cls.director = cls.env["res.partner"].create(
            {
                "name": "周明",
                "parent_id": cls.customer.id,
                "function": "营销总监",
                "archive_key_person_role": "main_contact",
            }
        )
        cls.visit_type = cls.env.ref("customer_archive.mail_activity_type_archive_visit")
        cls.call_type = cls.env.ref("customer_archive.mail_activity_type_archive_call")

    def _activity(self, activity_type, record=None):
        return (record or self.customer).activity_schedule(
            activity_type_id=activity_type.id, user_id=self.rep.id, summary="季度拜访营销总监"
        )

    def _dialog(self, activity, **values):
        """The Mark Done dialog of ``activity``, opened by the rep, with ``values``."""
        Wizard = self.env["customer.archive.activity.done"].with_user(self.rep)
        return Wizard.with_context(default_activity_id=activity.id).create(values)

    def test_which_activities_ask_whom_the_rep_met(self):
        visit = self._activity(self.visit_type).with_user(self.rep)
        call = self._activity(self.call_type).with_user(self.rep)
        todo = self._activity(self.env.ref("mail.mail_activity_data_todo")).with_user(self.rep)
        not_an_archive = self._activity(self.call_type, record=self.rep.partner_id).with_user(self.rep)
        self.assertTrue(visit.archive_asks_person_met)
        self.assertTrue(call.archive_asks_person_met)
        self.assertFalse(todo.archive_asks_person_met)
        self.assertFalse(not_an_archive.archive_asks_person_met)
        # the web client gets the flag with the activity
        data = visit.activity_format()
        self.assertTrue(data["mail.activity"][0]["archive_asks_person_met"])
        # Mark Done of the contact-plan list opens the dialog for the visit only
        action = visit.action_archive_mark_done()
        self.assertEqual(action["res_model"], "customer.archive.activity.done")
        self.assertEqual(action["context"]["default_activity_id"], visit.id)
        todo.action_archive_mark_done()
        self.assertFalse(todo.exists() and todo.active)

    def test_visit_done_with_the_key_person_met(self):
        visit = self._activity(self.visit_type)
        wizard = self._dialog(visit, person_met_id=self.director.id)
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual((wizard.person_met_name, wizard.person_rank), ("周明", "营销总监"))
        wizard.feedback = "同意下季度追加订单"
        wizard.action_done()
        interaction = self.customer.archive_interaction_ids
        self.assertRecordValues(
            interaction,
            [
                {
                    "interaction_type": "visit",
                    "person_met_id": self.director.id,
                    "person_met_name": "周明",
                    "person_rank": "营销总监",
                    "user_id": self.rep.id,
                }
            ],
        )
        self.assertIn("同意下季度追加订单", interaction.outcome)
        self.assertFalse(visit.active)  # kept done (keep_done), not open any more

    def test_call_done_with_a_typed_name(self):
        call = self._activity(self.call_type)
        wizard = self._dialog(call, person_met_name="李总", person_rank="总经理", feedback="确认交期")
        wizard.action_done()
        interaction = self.customer.archive_interaction_ids
        self.assertEqual(interaction.interaction_type, "call")
        self.assertFalse(interaction.person_met_id)
        self.assertEqual((interaction.person_met_name, interaction.person_rank), ("李总", "总经理"))

    def test_the_person_met_is_required_and_stays_inside_the_archive(self):
        call = self._activity(self.call_type)
        wizard = self._dialog(call, feedback="未接通")
        with self.assertRaises(UserError):
            wizard.action_done()
        self.assertTrue(call.active)
        # a context naming a contact of another customer does not link it
        other = self.env["res.partner"].create({"name": "别家客户"})
        stranger = self.env["res.partner"].create({"name": "外人", "parent_id": other.id})
        call.with_user(self.rep).with_context(
            customer_archive_person_met={call.id: {"person_met_id": stranger.id}}
        ).action_feedback(feedback="已联系")
        interaction = self.customer.archive_interaction_ids
        self.assertFalse(interaction.person_met_id)
        self.assertFalse(interaction.person_met_name)

    def test_call_done_with_a_satisfaction_score(self):
        """Issue 13: a return call records the customer's satisfaction (1–5)
        in the same Mark Done dialog; the score lands on the interaction and
        in the archive's satisfaction."""
        call = self._activity(self.call_type)
        wizard = self._dialog(
            call, person_met_id=self.director.id, satisfaction_score="4", feedback="回访满意"
        )
        wizard.action_done()
        interaction = self.customer.archive_interaction_ids
        self.assertEqual(interaction.interaction_type, "call")
        self.assertEqual(interaction.satisfaction_score, 4)
        # without a score the interaction stays unscored, not 0 counted as a score
        call2 = self._activity(self.call_type)
        self._dialog(call2, person_met_name="李总").action_done()
        unscored = self.customer.archive_interaction_ids - interaction
        self.assertFalse(unscored.satisfaction_score)
        # the dialog shows the score field
        arch = self.env["customer.archive.activity.done"].get_view(view_type="form")["arch"]
        self.assertIn('name="satisfaction_score"', arch)
