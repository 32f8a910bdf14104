from datetime import date

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.customer_archive.tests import common as archive_common

AGENT = "customer_archive_insurance.group_insurance_agent"
UNDERWRITER = "customer_archive_insurance.group_insurance_underwriter"
CLAIMS = "customer_archive_insurance.group_insurance_claims"
MANAGER = "customer_archive_insurance.group_insurance_manager"


def load_migration(version, name):
    """A migration script of this addon (see the core addon's ``load_migration``)."""
    return archive_common.load_migration(version, name, module="customer_archive_insurance")


def policy_values(insurer, client, agent, **vals):
    """The values of a yearly medical policy of 2026 of ``client`` sold by ``agent``."""
    return {
        "insurer_id": insurer.id,
        "policyholder_id": client.id,
        "insured_id": client.id,
        "agent_id": agent.id,
        "product_type": "medical",
        "payment_frequency": "annual",
        "base_premium": 1000.0,
        "sum_insured": 100000.0,
        "start_date": date(2026, 1, 1),
        "end_date": date(2026, 12, 31),
        **vals,
    }


class InsuranceCase(TransactionCase):
    """Two agents with a client each, an underwriter, a claims handler, a
    manager, an insurer and an in-force medical policy."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(cls.env, lang="en_US", login="ins_agent", name="代理人甲", groups=AGENT)
        cls.other_agent = new_test_user(
            cls.env, lang="en_US", login="ins_agent2", name="代理人乙", groups=AGENT
        )
        cls.underwriter = new_test_user(
            cls.env, lang="en_US", login="ins_underwriter", name="核保员", groups=UNDERWRITER
        )
        cls.claims_user = new_test_user(
            cls.env, lang="en_US", login="ins_claims", name="理赔员", groups=CLAIMS
        )
        cls.manager = new_test_user(
            cls.env, lang="en_US", login="ins_manager", name="保险经理", groups=MANAGER
        )
        cls.archive_user = new_test_user(
            cls.env, login="ins_archive_user", name="档案员", groups="customer_archive.group_archive_user"
        )
        Partner = cls.env["res.partner"]
        cls.insurer = Partner.create(
            {"name": "测试人寿保险公司", "is_company": True, "is_insurer": True, "is_customer_archive": False}
        )
        cls.insurer2 = Partner.create(
            {"name": "测试财产保险公司", "is_company": True, "is_insurer": True, "is_customer_archive": False}
        )
        cls.client = Partner.create(
            {
                "name": "周敏",
                "archive_birth_date": date(1980, 6, 15),
                "user_id": cls.agent.id,
                "insurance_agent_id": cls.agent.id,
            }
        )
        cls.other_client = Partner.create(
            {
                "name": "李强",
                "archive_birth_date": date(1975, 3, 12),
                "user_id": cls.other_agent.id,
                "insurance_agent_id": cls.other_agent.id,
            }
        )
        cls.office = cls.env.ref("customer_archive_insurance.occupation_office_worker")
        cls.miner = cls.env.ref("customer_archive_insurance.occupation_miner")
        cls.policy = cls.create_policy(cls.client, cls.agent, name="P-0001")

    @classmethod
    def create_policy(cls, client, agent, **vals):
        return cls.env["insurance.policy"].create(policy_values(cls.insurer, client, agent, **vals))
