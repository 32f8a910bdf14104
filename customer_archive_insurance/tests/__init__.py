from . import test_insurance_client
from . import test_insurance_health_record
from . import test_insurance_policy
from . import test_insurance_claim
from . import test_insurance_reminders
from . import test_insurance_access
from . import test_insurance_reports
from . import test_translation
