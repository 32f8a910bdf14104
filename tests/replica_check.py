"""Reads on the replica, audit rows, writes and crons on the primary.

Starts a streaming replica of this checkout's PostgreSQL cluster
(``pg_basebackup -R``, .local/replica, its own port and socket folder; see
``ensure_replica`` in setup/common.sh), runs Odoo with ``--workers=2`` and
``--db_replica_host/--db_replica_port``, makes the web client's Contacts calls
over JSON-RPC as a rep and as a manager, and reads each server's statement
log (``log_statement = 'all'``, set on the check's database only) around each
call: which server read ``res_partner``, which one took the audit row, the
write and the cron's updates. Prints a table; exit status 0 when every call
ran where it must, 1 otherwise.

    .venv/bin/python tests/replica_check.py                # database replica_check (created with demo data if missing)
    .venv/bin/python tests/replica_check.py --db mydb      # a database of this cluster with both addons
    .venv/bin/python tests/replica_check.py --template t   # create replica_check as a copy of database t first
    .venv/bin/python tests/replica_check.py --stop-replica # stop the replica afterwards
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
PRIMARY_LOG = LOCAL / "postgres" / "server.log"
REPLICA_LOG = LOCAL / "replica" / "server.log"
ADDONS = "customer_archive,customer_archive_insurance"
ARCHIVE_FIELDS = {
    "display_name": {},
    "archive_number": {},
    "archive_tier": {},
    "archive_state": {},
    "phone": {},
    "user_id": {"fields": {"display_name": {}}},
}
STATEMENT = re.compile(r"LOG:  statement: (.*)")


def shell(script):
    """Run bash with setup/common.sh sourced; return its stdout."""
    return subprocess.run(
        ["bash", "-c", f'source "{ROOT}/setup/common.sh"; {script}'],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def psql(sql, replica=False, db="postgres"):
    function = "psql_replica" if replica else "psql_local"
    return shell(f"{function} -d {db} -c {json.dumps(sql)}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_replayed():
    """Wait until the replica has replayed everything the primary wrote."""
    target = psql("SELECT pg_current_wal_lsn()")
    for _attempt in range(100):
        if psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", replica=True) == "t":
            return
        time.sleep(0.1)
    raise SystemExit("the replica does not follow the primary (see .local/replica/server.log)")


class Server:
    def __init__(self, name, log):
        self.name, self.log = name, log
        self.offset = 0

    def mark(self):
        self.offset = self.log.stat().st_size

    def statements(self):
        with self.log.open("rb") as handle:
            handle.seek(self.offset)
            text = handle.read().decode("utf-8", "replace")
        return [match.group(1).strip() for match in STATEMENT.finditer(text)]


def classify(statements):
    reads = sum(1 for s in statements if s.upper().startswith("SELECT") and '"res_partner"' in s)
    audits = sum(1 for s in statements if s.startswith('INSERT INTO "customer_archive_audit_log"'))
    writes = sum(1 for s in statements if s.startswith('UPDATE "res_partner"'))
    seals = sum(1 for s in statements if s.startswith("UPDATE customer_archive_audit_log SET chain_index"))
    return {"partner reads": reads, "audit inserts": audits, "partner writes": writes, "chain seals": seals}


class Client:
    def __init__(self, url, db, login):
        self.url, self.login = url, login
        self.session = requests.Session()
        self.call_id = 0
        self.rpc("/web/session/authenticate", {"db": db, "login": login, "password": login})

    def rpc(self, path, params):
        self.call_id += 1
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "id": self.call_id, "params": params},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(f"{self.login} {path}: {body['error'].get('data', {}).get('name')}")
        return body["result"]

    def csrf_token(self):
        """The token the web client posts with its downloads (from the page it loads)."""
        page = self.session.get(self.url + "/odoo", timeout=120).text
        return re.search(r'csrf_token: "([0-9a-f]+o?[0-9]*)"', page).group(1)

    def call(self, model, method, args=(), **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="replica_check")
    parser.add_argument("--template", help="create --db as a copy of this database (if --db is missing)")
    parser.add_argument("--stop-replica", action="store_true")
    args = parser.parse_args()

    conf = shell("prepare >/dev/null 2>&1; ensure_replica >&2; write_odoo_conf")
    replica_socket = shell('echo "$REPLICA_SOCKET"')
    replica_port = shell('echo "$REPLICA_PORT"')
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'") == "1"
    if not exists and args.template:
        psql(f'CREATE DATABASE "{args.db}" TEMPLATE "{args.template}"')
        subprocess.run(
            [
                "cp",
                "-a",
                str(LOCAL / "data/filestore" / args.template),
                str(LOCAL / "data/filestore" / args.db),
            ],
            check=False,
        )
    elif not exists:
        print(f"installing both addons with demo data in {args.db} (a few minutes)", file=sys.stderr)
        subprocess.run(
            [
                str(ROOT / ".venv/bin/odoo"),
                "-c",
                conf,
                "-d",
                args.db,
                "-i",
                ADDONS,
                "--load-language=zh_CN",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            check=True,
        )
    db = args.db
    # Every statement of this database's sessions goes to its server's log;
    # the setting is in the catalog, so the replica logs its sessions too.
    psql(f"ALTER DATABASE \"{db}\" SET log_statement = 'all'")
    # No scheduled job during the read calls: the cron phase triggers one.
    psql("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day'", db=db)
    seal_cron = psql(
        "SELECT res_id FROM ir_model_data WHERE module = 'customer_archive' AND model = 'ir.cron'"
        " AND name = 'ir_cron_audit_seal_chain'",
        db=db,
    )
    wait_replayed()

    port = free_port()
    odoo_log = LOCAL / f"replica_check-{db}.log"
    odoo_log.unlink(missing_ok=True)
    odoo = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/odoo"),
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--workers=2",
            "--max-cron-threads=1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            f"--db_replica_host={replica_socket}",
            f"--db_replica_port={replica_port}",
            f"--logfile={odoo_log}",
            "--log-level=info",
        ],
    )
    primary, replica = Server("primary", PRIMARY_LOG), Server("replica", REPLICA_LOG)
    rows, failures = [], []
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(240):
            try:
                if requests.get(url + "/web/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        clients = {login: Client(url, db, login) for login in ("rep", "marketing_manager", "admin")}

        def measure(label, login, function, expect):
            for server in (primary, replica):
                server.mark()
            error = None
            try:
                function(clients.get(login))
            except RuntimeError as exc:
                error = str(exc)
            time.sleep(0.5)
            counts = {server.name: classify(server.statements()) for server in (primary, replica)}
            ok = error is None and all(check(counts) for check in expect)
            rows.append((label, login, counts, ok, error))
            if not ok:
                failures.append(label)

        def on_replica(counts):
            return counts["replica"]["partner reads"] > 0 and counts["primary"]["partner reads"] == 0

        def audited_on_primary(counts):
            return counts["primary"]["audit inserts"] == 1 and counts["replica"]["audit inserts"] == 0

        def no_audit(counts):
            return counts["primary"]["audit inserts"] == counts["replica"]["audit inserts"] == 0

        rep = clients["rep"]
        domain = [("is_customer_archive", "=", True)]
        visible = rep.call("res.partner", "search_read", [domain, ["id", "archive_tier"]], limit=200)
        a_class = next(row["id"] for row in visible if row["archive_tier"] == "a")
        b_class = next(row["id"] for row in visible if row["archive_tier"] != "a")
        for login in ("rep", "marketing_manager"):
            measure(
                "Contacts list (with count)",
                login,
                lambda c: c.call(
                    "res.partner",
                    "web_search_read",
                    specification=ARCHIVE_FIELDS,
                    domain=domain,
                    limit=80,
                    count_limit=10001,
                ),
                [on_replica, no_audit],
            )
            measure(
                "search 张 (name_search)",
                login,
                lambda c: c.call("res.partner", "name_search", name="张", limit=8),
                [on_replica, no_audit],
            )
            measure(
                "search panel: read_group by tier",
                login,
                lambda c: c.call(
                    "res.partner",
                    "web_read_group",
                    domain=domain,
                    fields=["archive_tier"],
                    groupby=["archive_tier"],
                ),
                [lambda counts: counts["primary"]["partner reads"] == 0, no_audit],
            )
        measure(
            "form open, A-class archive (audited)",
            "rep",
            lambda c: c.call("res.partner", "web_read", [[a_class]], specification=ARCHIVE_FIELDS),
            [on_replica, audited_on_primary],
        )
        measure(
            "form open, B-class archive",
            "rep",
            lambda c: c.call("res.partner", "web_read", [[b_class]], specification=ARCHIVE_FIELDS),
            [on_replica, no_audit],
        )
        measure(
            "write (web_save)",
            "rep",
            lambda c: c.call(
                "res.partner",
                "web_save",
                [[b_class], {"comment": f"replica check {time.time()}"}],
                specification={},
            ),
            [
                lambda counts: counts["primary"]["partner writes"] >= 1
                and counts["replica"]["partner writes"] == 0
            ],
        )

        def standard_export(client):
            response = client.session.post(
                url + "/web/export/xlsx",
                data={
                    "data": json.dumps(
                        {
                            "model": "res.partner",
                            "fields": [
                                {"name": "name", "label": "Name"},
                                {"name": "archive_number", "label": "No."},
                            ],
                            "ids": False,
                            "domain": domain,
                            "import_compat": False,
                        }
                    ),
                    "csrf_token": client.csrf_token(),
                },
                timeout=120,
            )
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                raise RuntimeError(f"the export answered {response.status_code}")

        token = clients["admin"].csrf_token()  # (the page /odoo is read-write: outside the measure)
        clients["admin"].csrf_token = lambda: token
        measure(
            "export (/web/export/xlsx), A-class rows audited",
            "admin",
            standard_export,
            [
                on_replica,
                lambda counts: counts["primary"]["audit inserts"] >= 1
                and counts["replica"]["audit inserts"] == 0,
            ],
        )

        def contact_list_export(client):
            wizard = client.call(
                "customer.archive.contact.list.export", "web_save", [[], {"scope": "all"}], specification={}
            )[0]["id"]
            action = client.rpc(
                "/web/dataset/call_button/customer.archive.contact.list.export/action_export",
                {
                    "model": "customer.archive.contact.list.export",
                    "method": "action_export",
                    "args": [[wizard]],
                    "kwargs": {},
                },
            )
            wait_replayed()
            response = client.session.get(url + action["url"], timeout=120)
            if response.status_code != 200 or not response.content.startswith(b"PK"):
                raise RuntimeError(f"the contact list download answered {response.status_code}")

        measure(
            "contact-list export (wizard, read-write) + download",
            "marketing_manager",
            contact_list_export,
            [lambda counts: counts["replica"]["audit inserts"] == 0],
        )

        def run_cron(_client):
            before = psql("SELECT count(*) FROM customer_archive_audit_log WHERE chain_index IS NULL", db=db)
            psql(
                "INSERT INTO ir_cron_trigger (cron_id, call_at) VALUES"
                f" ({seal_cron}, now() AT TIME ZONE 'UTC' - interval '1 minute')",
                db=db,
            )
            psql(f"NOTIFY cron_trigger, '{db}'", db=db)
            for _attempt in range(120):
                if psql(f"SELECT count(*) FROM ir_cron_trigger WHERE cron_id = {seal_cron}", db=db) == "0":
                    break
                time.sleep(0.5)
            after = psql("SELECT count(*) FROM customer_archive_audit_log WHERE chain_index IS NULL", db=db)
            if before == "0" or after != "0":
                raise RuntimeError(f"the cron sealed nothing ({before} rows pending, {after} after)")

        measure(
            "cron: seal the audit chain",
            None,
            run_cron,
            [lambda counts: counts["primary"]["chain seals"] >= 1 and counts["replica"]["chain seals"] == 0],
        )
    finally:
        odoo.terminate()
        odoo.wait(timeout=60)
        psql(f'ALTER DATABASE "{db}" RESET log_statement')
        if args.stop_replica:
            shell("stop_replica")

    columns = ("partner reads", "audit inserts", "partner writes", "chain seals")
    header = f"{'call':<52} {'user':<18} " + " ".join(f"{'P/R ' + c:>18}" for c in columns) + "  ok"
    print(header)
    print("-" * len(header))
    for label, login, counts, ok, error in rows:
        cells = " ".join(
            f"{str(counts['primary'][c]) + ' / ' + str(counts['replica'][c]):>18}" for c in columns
        )
        print(f"{label:<52} {login or 'cron worker':<18} {cells}  {'yes' if ok else 'NO'}")
        if error:
            print(f"    error: {error}")
    print("P = primary, R = replica: statements each server ran during the call (log_statement)")
    print(f"Odoo log: {odoo_log}")
    errors = [line for line in odoo_log.read_text().splitlines() if " ERROR " in line]
    if errors:
        print(f"{len(errors)} ERROR lines in the Odoo log, the first: {errors[0]}")
    print("replica check:", "FAILED " + ", ".join(failures) if failures or errors else "passed")
    return 1 if failures or errors else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
