from . import import_template
