from . import test_archive_number
from . import test_translation
