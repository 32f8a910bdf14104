from . import insurance_policy_register_export
from . import insurance_policy_surrender
