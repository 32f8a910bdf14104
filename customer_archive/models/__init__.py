from . import res_partner
from . import res_users
from . import res_company
from . import customer_archive_transaction
from . import customer_archive_feedback
