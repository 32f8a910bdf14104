"""Database helpers shared by the benchmark scripts (not a test module)."""

import shutil
import subprocess
from contextlib import closing
from pathlib import Path

import odoo
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".local" / "odoo.conf"
ADDONS = ("customer_archive", "customer_archive_insurance")


def database_exists(dbname):
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
        return bool(cr.fetchone())


def install_database(dbname, update=False):
    """Create the database with both addons (or update them) through Odoo's command line."""
    command = [
        str(ROOT / ".venv" / "bin" / "odoo"),
        "-c",
        str(CONFIG),
        "-d",
        dbname,
        "-u" if update else "-i",
        ",".join(ADDONS),
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    action = "updating" if update else "installing"
    print(f"{action} {', '.join(ADDONS)} in database {dbname} ...", flush=True)
    subprocess.run(command, check=True)


def drop_database(dbname):
    odoo.modules.registry.Registry.delete(dbname)
    odoo.sql_db.close_db(dbname)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(dbname)))
    shutil.rmtree(odoo.tools.config.filestore(dbname), ignore_errors=True)
    print(f"dropped database {dbname}")
