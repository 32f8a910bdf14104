from . import test_insurance_client
