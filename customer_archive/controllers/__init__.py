from . import export
from . import import_template
