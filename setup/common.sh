# shellcheck shell=bash
# Shared by run.sh and test.sh: find Odoo, build the virtualenv, run the local
# PostgreSQL cluster. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PGDATA="$LOCAL/postgres"
PGSOCKET="$LOCAL/postgres/socket"
PGPORT="${PGPORT:-5432}"
ODOO_TARBALL_URL="https://nightly.odoo.com/18.0/nightly/tgz/odoo_18.0.latest.tar.gz"
ADDONS="customer_archive,customer_archive_insurance"
DEBIAN_PACKAGES="libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev postgresql chromium wkhtmltopdf fonts-noto-cjk fonts-wqy-microhei poppler-utils gettext"
export PGPORT

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] ERROR:\033[0m %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# Debian packages
# --------------------------------------------------------------------------
pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

ensure_system_packages() {
    local missing=()
    local pkg
    for pkg in $DEBIAN_PACKAGES; do
        case "$pkg" in
            postgresql) pg_bindir >/dev/null || missing+=("$pkg") ;;
            chromium) command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
                || command -v google-chrome >/dev/null || missing+=("$pkg") ;;
            wkhtmltopdf) command -v wkhtmltopdf >/dev/null || missing+=("$pkg") ;;
            gettext) command -v msgmerge >/dev/null || missing+=("$pkg") ;;
            *) dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
        esac
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        say "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null 2>&1 || apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
            || die "apt-get could not install: ${missing[*]}"
    else
        die "missing Debian packages: ${missing[*]}
       install them with:  sudo apt-get install ${missing[*]}"
    fi
}

# --------------------------------------------------------------------------
# Odoo source: $ODOO_SRC, then /opt/odoo/18.0, then the official nightly tarball
# --------------------------------------------------------------------------
is_odoo18_tree() {
    local src="$1"
    [ -f "$src/odoo/release.py" ] && [ -f "$src/setup.py" ] || return 1
    grep -q "^version_info = (18, 0" "$src/odoo/release.py" || return 1
    # Enterprise sources carry '+e' in their version: this project is Community only.
    if grep -q "+e" "$src/PKG-INFO" 2>/dev/null; then return 1; fi
    return 0
}

find_odoo_source() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo18_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 Community source tree"
        echo "$ODOO_SRC"; return 0
    fi
    if is_odoo18_tree /opt/odoo/18.0; then echo /opt/odoo/18.0; return 0; fi
    local dl="$LOCAL/odoo-src"
    if is_odoo18_tree "$dl"; then echo "$dl"; return 0; fi
    say "downloading Odoo 18.0 Community from $ODOO_TARBALL_URL"
    mkdir -p "$LOCAL"
    local tgz="$LOCAL/odoo_18.0.latest.tar.gz"
    if curl -fL --retry 2 --connect-timeout 20 -o "$tgz.part" "$ODOO_TARBALL_URL" 2>/dev/null; then
        mv "$tgz.part" "$tgz"
        rm -rf "$dl" && mkdir -p "$dl"
        tar -xzf "$tgz" -C "$dl" --strip-components=1
        is_odoo18_tree "$dl" && { echo "$dl"; return 0; }
    fi
    rm -f "$tgz.part"
    die "no Odoo 18.0 Community source found. Looked at, in this order:
         1. \$ODOO_SRC (unset or not an Odoo 18 tree)
         2. /opt/odoo/18.0
         3. $ODOO_TARBALL_URL (could not be downloaded)
       Put an Odoo 18.0 source tree at one of these places and run again."
}

# --------------------------------------------------------------------------
# Python virtualenv with Odoo and the project's dependencies
# --------------------------------------------------------------------------
# pip's and setuptools' chatter (tens of thousands of lines when Odoo builds)
# goes to .local/pip.log; it is shown only when pip fails.
pip_quiet() {
    if ! "$VENV/bin/pip" "$@" >>"$LOCAL/pip.log" 2>&1; then
        tail -n 40 "$LOCAL/pip.log" >&2
        die "pip $* failed (full log: $LOCAL/pip.log)"
    fi
}

ensure_venv() {
    local src="$1"
    # Two stamps: Odoo (rebuilt from its source only when that changes) and
    # setup/requirements-dev.txt (a new pin installs that, not Odoo again).
    local stamp="$VENV/.customer_archive_stamp"
    local dev_stamp="$VENV/.customer_archive_dev_stamp"
    local want want_dev
    want="$(cat "$src/PKG-INFO" 2>/dev/null | head -3; echo "$src")"
    want_dev="$(cat "$ROOT/setup/requirements-dev.txt")"
    # (head -n 4: a stamp of the older single-stamp format starts the same way.)
    if [ -f "$stamp" ] && [ "$(head -n 4 "$stamp")" = "$want" ] && "$VENV/bin/python" -c "import odoo.cli" 2>/dev/null; then
        if [ ! -f "$dev_stamp" ] || [ "$(cat "$dev_stamp")" != "$want_dev" ]; then
            say "installing setup/requirements-dev.txt"
            mkdir -p "$LOCAL"
            pip_quiet install -r "$ROOT/setup/requirements-dev.txt"
            printf '%s' "$want_dev" >"$dev_stamp"
        fi
        return 0
    fi
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null || die "python3 is required (Odoo 18 supports 3.10 to 3.12)"
    [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$python" -m venv "$VENV"; }
    say "installing Odoo's Python requirements (a minute or two the first time)"
    mkdir -p "$LOCAL"
    # cbor2 5.4.2 (Odoo's pin) does not build on Python 3.11 with current setuptools.
    sed -e 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$src/requirements.txt" >"$LOCAL/odoo-requirements.txt"
    : >"$LOCAL/pip.log"
    pip_quiet install --upgrade pip wheel "setuptools<81"
    pip_quiet install -r "$LOCAL/odoo-requirements.txt"
    say "installing Odoo from $src"
    # Non-editable: an editable install is shadowed by the odoo/addons namespace
    # folders that OCA addons from PyPI create.
    pip_quiet install --no-deps --no-build-isolation "$src"
    pip_quiet install -r "$ROOT/setup/requirements-dev.txt"
    "$VENV/bin/python" -c "import odoo.cli" || die "Odoo did not install into $VENV"
    printf '%s' "$want" >"$stamp"
    printf '%s' "$want_dev" >"$dev_stamp"
}

# --------------------------------------------------------------------------
# Local PostgreSQL cluster in .local/postgres, Unix socket only
# --------------------------------------------------------------------------
# PostgreSQL refuses to run as root: as root the cluster belongs to 'postgres'.
pg_user() {
    if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

ensure_postgres() {
    local bindir
    bindir="$(pg_bindir)" || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi
    mkdir -p "$LOCAL"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        say "creating PostgreSQL cluster in $PGDATA"
        mkdir -p "$PGDATA"
        [ "$(id -u)" -eq 0 ] && chown "$(pg_user)" "$PGDATA"
        chmod 700 "$PGDATA"
        as_pg_user "$bindir/initdb" -D "$PGDATA" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PGDATA/postgresql.conf" <<EOF
# customer_archive local cluster: Unix socket in this folder only, no TCP
listen_addresses = ''
unix_socket_directories = '$PGSOCKET'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 100
# a streaming replica can follow it (ensure_replica below)
wal_level = replica
max_wal_senders = 4
EOF
        as_pg_user mkdir -p "$PGSOCKET"
    fi
    # Everything on the path must be reachable by the cluster's owner.
    if [ "$(id -u)" -eq 0 ]; then
        local d="$PGDATA"
        while [ "$d" != "/" ]; do d="$(dirname "$d")"; chmod o+x "$d" 2>/dev/null || true; done
    fi
    if as_pg_user "$bindir/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        return 0
    fi
    # A postmaster.pid left behind by a crash or a reboot: pg_ctl says not running.
    if [ -f "$PGDATA/postmaster.pid" ]; then
        local pid
        pid="$(head -1 "$PGDATA/postmaster.pid")"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
            && grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then
            die "PostgreSQL (pid $pid) holds $PGDATA but does not answer; stop it and run again"
        fi
        say "removing stale $PGDATA/postmaster.pid (pid $pid is gone)"
        rm -f "$PGDATA/postmaster.pid"
    fi
    as_pg_user mkdir -p "$PGSOCKET"
    say "starting PostgreSQL (socket in $PGSOCKET)"
    as_pg_user "$bindir/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null \
        || die "PostgreSQL did not start; see $PGDATA/server.log"
}

stop_postgres() {
    local bindir
    bindir="$(pg_bindir)" || return 0
    as_pg_user "$bindir/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
}

# --------------------------------------------------------------------------
# A streaming replica of the local cluster (hot standby) in .local/replica,
# on its own port and socket folder: Odoo's db_replica_host/db_replica_port
# serve read-only requests from it (tests/replica_check.py, README "Scaling").
# The primary needs wal_level=replica, max_wal_senders and a "replication"
# line in pg_hba.conf: PostgreSQL 15's defaults and the trust lines of initdb.
# --------------------------------------------------------------------------
REPLICA_DATA="$LOCAL/replica"
REPLICA_SOCKET="$LOCAL/replica/socket"
REPLICA_PORT="${REPLICA_PORT:-5433}"

ensure_replica() {
    local bindir
    bindir="$(pg_bindir)" || die "PostgreSQL server binaries not found"
    ensure_postgres
    [ "$(psql_local -c "SHOW wal_level")" != "minimal" ] \
        || die "the primary runs with wal_level=minimal: set wal_level = replica in $PGDATA/postgresql.conf and restart it"
    if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
        say "creating a streaming replica of the local cluster in $REPLICA_DATA (pg_basebackup -R)"
        mkdir -p "$REPLICA_DATA"
        [ "$(id -u)" -eq 0 ] && chown "$(pg_user)" "$REPLICA_DATA"
        chmod 700 "$REPLICA_DATA"
        as_pg_user "$bindir/pg_basebackup" -h "$PGSOCKET" -p "$PGPORT" -U odoo -D "$REPLICA_DATA" \
            -R -X stream -c fast >/dev/null 2>"$LOCAL/pg_basebackup.log" \
            || { cat "$LOCAL/pg_basebackup.log" >&2; die "pg_basebackup failed"; }
        as_pg_user rm -f "$REPLICA_DATA/server.log"
        as_pg_user tee -a "$REPLICA_DATA/postgresql.conf" >/dev/null <<EOF
# customer_archive local replica (hot standby of $PGDATA)
port = $REPLICA_PORT
unix_socket_directories = '$REPLICA_SOCKET'
hot_standby = on
EOF
    fi
    as_pg_user mkdir -p "$REPLICA_SOCKET"
    if ! as_pg_user "$bindir/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1; then
        as_pg_user rm -f "$REPLICA_DATA/postmaster.pid"
        say "starting the replica (socket in $REPLICA_SOCKET, port $REPLICA_PORT)"
        as_pg_user "$bindir/pg_ctl" -D "$REPLICA_DATA" -l "$REPLICA_DATA/server.log" -w -t 60 start >/dev/null \
            || die "the replica did not start; see $REPLICA_DATA/server.log"
    fi
}

stop_replica() {
    local bindir
    bindir="$(pg_bindir)" || return 0
    [ -f "$REPLICA_DATA/PG_VERSION" ] || return 0
    as_pg_user "$bindir/pg_ctl" -D "$REPLICA_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

psql_replica() {
    "$(pg_bindir)/psql" -h "$REPLICA_SOCKET" -p "$REPLICA_PORT" -U odoo -d postgres -XAtq "$@"
}

psql_local() {
    "$(pg_bindir)/psql" -h "$PGSOCKET" -U odoo -d postgres -XAtq "$@"
}

db_exists() {
    [ "$(psql_local -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" = "1" ]
}

# The key that encrypts the sensitive fields (customer_archive/tools/crypto.py)
# lives outside the database: .local/encryption_key, created once; during a
# key rotation (setup/rotate_key.sh) the old keys are in
# .local/encryption_key_previous. A backup cannot be read without its key.
ENCRYPTION_KEY_FILE="$LOCAL/encryption_key"
ENCRYPTION_KEY_PREVIOUS_FILE="$LOCAL/encryption_key_previous"

ensure_encryption_key() {
    mkdir -p "$LOCAL"
    if [ ! -s "$ENCRYPTION_KEY_FILE" ]; then
        (umask 077 && "$VENV/bin/python" -c \
            "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" >"$ENCRYPTION_KEY_FILE")
        say "created the encryption key of the sensitive data: $ENCRYPTION_KEY_FILE
       keep a copy of it in a safe place: without it the ID numbers, bank accounts and health data
       of this database (and of every backup of it) cannot be read"
    fi
    chmod 600 "$ENCRYPTION_KEY_FILE"
}

# Odoo configuration file for the local cluster; Odoo's own addons come with
# the installed package, the project's addons from the checkout.
write_odoo_conf() {
    local conf="$LOCAL/odoo.conf"
    ensure_encryption_key
    (umask 077 && cat >"$conf" <<EOF
[options]
addons_path = $ROOT
data_dir = $LOCAL/data
db_host = $PGSOCKET
db_port = $PGPORT
db_user = odoo
db_password = False
admin_passwd = admin
running_env = dev
encryption_key_dev = $(cat "$ENCRYPTION_KEY_FILE")
encryption_key_dev_previous = $(cat "$ENCRYPTION_KEY_PREVIOUS_FILE" 2>/dev/null || true)
EOF
    )
    echo "$conf"
}

port_in_use() {
    "$VENV/bin/python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
}

free_port() {
    "$VENV/bin/python" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

# Start headless Chromium once and wait for its DevTools port. Odoo's browser
# tests give Chromium 10 s to open that port and *skip* the test otherwise; a
# first start with cold disk caches (the binary and its resources are a few
# hundred MiB) has been seen to take longer than that on a busy machine.
warm_chromium() {
    local exe profile pid waited=0
    exe="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
    [ -n "$exe" ] || return 0
    profile="$(mktemp -d)"
    "$exe" --headless --no-sandbox --disable-gpu --no-first-run --remote-debugging-address=127.0.0.1 \
        --remote-debugging-port=0 --user-data-dir="$profile" about:blank >/dev/null 2>&1 &
    pid=$!
    while [ ! -s "$profile/DevToolsActivePort" ] && [ "$waited" -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
        sleep 0.1; waited=$((waited + 1))
    done
    [ "$waited" -ge 100 ] && say "Chromium took $((waited / 10)) s to start (warmed up before the browser tests)"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sleep 1; rm -rf "$profile" 2>/dev/null || true
}

prepare() {
    ensure_system_packages
    ODOO_SOURCE="$(find_odoo_source)"
    say "Odoo source: $ODOO_SOURCE ($(grep -m1 '^Version:' "$ODOO_SOURCE/PKG-INFO" 2>/dev/null | cut -d' ' -f2))"
    ensure_venv "$ODOO_SOURCE"
    ensure_postgres
    export PATH="$VENV/bin:$PATH"
}
