from . import insurance_report
from . import insurance_claim_deadline_report
