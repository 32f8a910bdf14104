"""The addons as OCA ships them: each addon builds into a wheel
(``pyproject.toml`` with the whool backend, version from the manifest), the
wheels install into a fresh virtualenv beside Odoo, and Odoo run from that
virtualenv, with an addons path that does not contain the checkout, installs
them into a new database.

Offline: the wheels are built without build isolation and installed without
an index (whool, Odoo and the addons' Python dependencies are already in the
project's virtualenv, which the fresh one sees through a ``.pth`` file).
"""

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from contextlib import closing
from email.parser import HeaderParser
from pathlib import Path

import odoo
from odoo.tools import SQL, config

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("customer_archive", "customer_archive_insurance")

# Run by the fresh virtualenv's Python after the install: loads the new
# database's registry and reports where Odoo imported the addons from.
CHECK_SCRIPT = """
import json, sys
import odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2], "--no-http"])
from odoo.modules.module import get_module_path
from odoo.modules.registry import Registry
registry = Registry(sys.argv[2])
result = {"addons_path": list(odoo.addons.__path__), "modules": {}}
with registry.cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    for module in env["ir.module.module"].search([("name", "in", sys.argv[3:])]):
        result["modules"][module.name] = {
            "state": module.state,
            "version": module.installed_version,
            "imported_from": sys.modules["odoo.addons." + module.name].__file__,
            "module_path": get_module_path(module.name),
        }
    partner = env["res.partner"].create({"name": "wheel check", "is_customer_archive": True})
    result["archive_number"] = partner.archive_number
    cr.rollback()
print("RESULT " + json.dumps(result))
"""


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


def _run(cmd, cwd, timeout=300):
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, (
        f"{cmd} exited with {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc.stdout


def _wheel_metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
    return metadata, names


def _drop_database(db_name):
    odoo.sql_db.close_db(db_name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(db_name)))


def test_wheels_build_install_beside_odoo_and_load_from_there(tmp_path):
    # 1. Build both wheels from the checkout, offline.
    wheels = tmp_path / "wheels"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            wheels,
            *(ROOT / addon for addon in ADDONS),
        ],
        cwd=tmp_path,
    )
    for addon in ADDONS:
        version = _manifest(addon)["version"]
        (wheel,) = wheels.glob(f"odoo_addon_{addon}-*.whl")
        metadata, names = _wheel_metadata(wheel)
        assert metadata["Name"] == f"odoo-addon-{addon}"
        # whool: the manifest version, plus the number of commits since it changed.
        assert metadata["Version"] == version or metadata["Version"].startswith(version + "."), (
            metadata["Version"],
            version,
        )
        assert "odoo==18.0.*" in metadata.get_all("Requires-Dist")
        assert "xlsxwriter" in metadata.get_all("Requires-Dist")
        assert f"odoo/addons/{addon}/__manifest__.py" in names
        assert f"odoo/addons/{addon}/i18n/zh_CN.po" in names
        assert f"odoo/addons/{addon}/README.rst" in names
        assert f"odoo/addons/{addon}/pyproject.toml" not in names
    insurance_metadata, _names = _wheel_metadata(
        next(wheels.glob("odoo_addon_customer_archive_insurance-*.whl"))
    )
    assert "odoo-addon-customer_archive==18.0.*" in insurance_metadata.get_all("Requires-Dist")

    # 2. A fresh virtualenv that sees the project's one (Odoo and its
    # requirements) through a .pth file; pip resolves the insurance wheel's
    # dependencies: the core addon from its wheel, Odoo and xlsxwriter as
    # already installed.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    venv_python = venv / "bin" / "python"
    project_site = Path(sysconfig.get_paths()["purelib"]).resolve()
    venv_site = Path(
        _run(
            [venv_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path
        ).strip()
    )
    (venv_site / "project_venv.pth").write_text(f"{project_site}\n", encoding="utf-8")
    _run(
        [
            venv_python,
            "-m",
            "pip",
            "install",
            "--no-index",
            "--find-links",
            wheels,
            "odoo-addon-customer_archive_insurance",
        ],
        cwd=tmp_path,
    )
    for addon in ADDONS:
        assert (venv_site / "odoo" / "addons" / addon / "__manifest__.py").is_file()

    # 3. Odoo from the fresh virtualenv installs the addons in a new database;
    # its addons path holds Odoo's own addons only.
    odoo_addons = Path(odoo.__file__).resolve().parent / "addons"
    conf = tmp_path / "odoo.conf"
    conf.write_text(
        "[options]\n"
        f"addons_path = {odoo_addons}\n"
        f"data_dir = {tmp_path / 'data'}\n"
        f"db_host = {config['db_host'] or ''}\n"
        f"db_port = {config['db_port'] or ''}\n"
        f"db_user = {config['db_user'] or ''}\n"
        f"db_password = {config['db_password'] or ''}\n",
        encoding="utf-8",
    )
    db_name = f"{config['db_name']}_wheels_{os.getpid()}"
    try:
        _run(
            [
                venv_python,
                "-m",
                "odoo",
                "-c",
                conf,
                "-d",
                db_name,
                "-i",
                "customer_archive_insurance",
                "--without-demo=all",
                "--stop-after-init",
                "--no-http",
                "--max-cron-threads=0",
                "--log-level=warn",
            ],
            cwd=tmp_path,
            timeout=600,
        )
        script = tmp_path / "check_install.py"
        script.write_text(CHECK_SCRIPT, encoding="utf-8")
        output = _run([venv_python, script, conf, db_name, *ADDONS], cwd=tmp_path)
    finally:
        _drop_database(db_name)
        shutil.rmtree(tmp_path / "data", ignore_errors=True)
    result = json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])

    addon_paths = [Path(path).resolve() for path in result["addons_path"]]
    assert ROOT not in addon_paths, addon_paths
    assert (venv_site / "odoo" / "addons").resolve() in addon_paths
    assert set(result["modules"]) == set(ADDONS)
    for addon in ADDONS:
        module = result["modules"][addon]
        installed_dir = (venv_site / "odoo" / "addons" / addon).resolve()
        assert module["state"] == "installed"
        assert module["version"] == _manifest(addon)["version"]
        assert Path(module["imported_from"]).resolve() == installed_dir / "__init__.py"
        assert Path(module["module_path"]).resolve() == installed_dir
    # Code and data from the wheel work: the archive number sequence is there.
    assert result["archive_number"]
