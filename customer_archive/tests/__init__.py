from . import test_archive_number
