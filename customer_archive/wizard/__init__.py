from . import base_partner_merge_automatic_wizard
from . import customer_archive_contact_list_export
from . import customer_archive_privacy_export
from . import customer_tier_override
from . import customer_archive_retention_forecast
