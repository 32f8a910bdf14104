from . import base_partner_merge_automatic_wizard
from . import customer_archive_contact_list_export
from . import customer_archive_privacy_export
from . import customer_tier_override
from . import customer_archive_activity_done
from . import customer_archive_plan_call
from . import customer_archive_assign_rep
from . import customer_archive_analysis
