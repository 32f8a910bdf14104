from . import insurance_report
