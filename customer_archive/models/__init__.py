from . import res_partner
from . import res_users
from . import res_company
from . import customer_archive_transaction
from . import customer_archive_feedback
from . import customer_archive_required_field
from . import res_partner_data_quality
