from . import insurance_policy_register_export
