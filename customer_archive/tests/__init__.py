from . import test_archive_number
from . import test_translation
from . import test_archive_data
from . import test_data_quality
