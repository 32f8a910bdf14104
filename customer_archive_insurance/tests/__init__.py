from . import test_insurance_client
from . import test_translation
