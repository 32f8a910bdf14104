"""One override per method per model in each addon.

A model extended in several files of an addon (res.partner per concern:
access, data quality, tiers…) defines each method once: create, write,
_action_done… live in the model's main file and call named hooks of the
concerns (``_archive_before_write_tier``…). Two classes of one addon
defining the same method stack by the import order of ``models/__init__.py``
only; this test names them. (pylint-odoo's
``consider-merging-classes-inherited`` only sees the classes, not their
methods.)
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("customer_archive", "customer_archive_insurance")


def _model_of(node):
    """The model a class defines or extends: its _name, else its first _inherit."""
    name = inherit = None
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            target = stmt.targets[0].id
            if target == "_name":
                name = ast.literal_eval(stmt.value)
            elif target == "_inherit":
                value = ast.literal_eval(stmt.value)
                inherit = value if isinstance(value, str) else value[0]
    return name or inherit


def stacked_overrides(addon_dir):
    """{(model, method): [file:line, …]} for the methods defined more than once."""
    definitions = defaultdict(list)
    for path in sorted(addon_dir.glob("**/*.py")):
        if "tests" in path.relative_to(addon_dir).parts or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef):
                continue
            model = _model_of(node)
            if not model:
                continue
            for stmt in node.body:
                if isinstance(stmt, ast.FunctionDef):
                    definitions[model, stmt.name].append(
                        f"{path.relative_to(addon_dir.parent)}:{stmt.lineno}"
                    )
    return {key: places for key, places in definitions.items() if len(places) > 1}


def test_one_override_per_method_per_model():
    for addon in ADDONS:
        stacked = stacked_overrides(ROOT / addon)
        assert not stacked, "\n".join(
            f"{model}.{method} is defined in {', '.join(places)}: define it once, in the model's "
            "main file, and call a hook of each concern"
            for (model, method), places in sorted(stacked.items())
        )


def test_the_check_sees_stacked_overrides(tmp_path):
    """The check itself: two classes extending one model with the same method."""
    models = tmp_path / "addon" / "models"
    models.mkdir(parents=True)
    for name in ("a", "b"):
        (models / f"{name}.py").write_text(
            "from odoo import models\n\n\nclass ResPartner(models.Model):\n"
            '    _inherit = "res.partner"\n\n    def write(self, vals):\n'
            "        return super().write(vals)\n",
            encoding="utf-8",
        )
    assert list(stacked_overrides(models.parent)) == [("res.partner", "write")]
