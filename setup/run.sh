#!/usr/bin/env bash
# Install everything and run Odoo 18 with both addons and demo data on a
# PostgreSQL cluster of this checkout (.local/postgres).
#   ./setup/run.sh               -> http://localhost:8069, login admin / admin
#   PORT=8070 DB=other ./setup/run.sh
#   WORKERS=4 ./setup/run.sh     -> production mode: 4 prefork HTTP workers, a cron
#                                   worker, the websocket (gevent) port, Odoo's limits
# Production mode settings (defaults sized for 24 GiB of RAM, see README "Scaling"):
#   GEVENT_PORT=8072  CRON_WORKERS=1  PROXY_MODE=1  DB_MAXCONN=16
#   LIMIT_TIME_CPU=60  LIMIT_TIME_REAL=120  LIMIT_MEMORY_SOFT_MB=2048  LIMIT_MEMORY_HARD_MB=2560
#   DB_REPLICA_HOST=/path/to/replica/socket-or-host  DB_REPLICA_PORT=5433   (read-only requests)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${DB:-customer_archive}"
PORT="${PORT:-8069}"

prepare
CONF="$(write_odoo_conf)"
ODOO=("$VENV/bin/odoo" -c "$CONF" -d "$DB")

WORKERS="${WORKERS:-0}"
case "$WORKERS" in ''|*[!0-9]*) die "WORKERS=$WORKERS: give a number of HTTP worker processes (0 = one process, the default)" ;; esac
# Production mode (prefork): HTTP workers, cron worker(s), the gevent process
# for the websocket (/websocket, bus), and Odoo's per-worker limits. A worker
# over limit_time_cpu / limit_time_real is killed and its transaction rolled
# back; over limit_memory_soft it is recycled after its request, over
# limit_memory_hard killed at once. 5 processes x 2.5 GiB hard = 12.5 GiB of
# 24 GiB leaves the rest to PostgreSQL and the page cache. Each process has
# its own pool of at most DB_MAXCONN connections (the local cluster allows 100).
PRODUCTION=()
if [ "$WORKERS" -gt 0 ]; then
    GEVENT_PORT="${GEVENT_PORT:-8072}"
    port_in_use "$GEVENT_PORT" && die "port $GEVENT_PORT (websocket) is already taken: GEVENT_PORT=8073 WORKERS=$WORKERS ./setup/run.sh"
    PRODUCTION=(
        --workers="$WORKERS"
        --max-cron-threads="${CRON_WORKERS:-1}"
        --gevent-port="$GEVENT_PORT"
        --limit-time-cpu="${LIMIT_TIME_CPU:-60}"
        --limit-time-real="${LIMIT_TIME_REAL:-120}"
        --limit-memory-soft="$(( ${LIMIT_MEMORY_SOFT_MB:-2048} * 1024 * 1024 ))"
        --limit-memory-hard="$(( ${LIMIT_MEMORY_HARD_MB:-2560} * 1024 * 1024 ))"
        --limit-request=8192
        --db_maxconn="${DB_MAXCONN:-16}"
    )
    [ "${PROXY_MODE:-1}" = "1" ] && PRODUCTION+=(--proxy-mode)
fi
if [ -n "${DB_REPLICA_HOST:-}" ]; then
    PRODUCTION+=(--db_replica_host="$DB_REPLICA_HOST" --db_replica_port="${DB_REPLICA_PORT:-5432}")
fi

if port_in_use "$PORT"; then
    die "port $PORT is already taken (is Odoo already running?). Stop that program, or use another port:
       PORT=8070 ./setup/run.sh"
fi

# A fingerprint of the addons' code: the addons are upgraded only when it changed.
addons_hash() {
    (cd "$ROOT" && find customer_archive customer_archive_insurance -type f \
        ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum) | sha1sum | cut -d' ' -f1
}
STAMP="$LOCAL/addons-hash-$DB"

if db_exists "$DB"; then
    installed="$(psql_local -d "$DB" -c "SELECT count(*) FROM ir_module_module WHERE name IN ('customer_archive', 'customer_archive_insurance') AND state = 'installed'" 2>/dev/null || echo 0)"
    if [ "$installed" != "2" ]; then
        say "database '$DB' exists without both addons: installing them (existing data is kept)"
        "${ODOO[@]}" -i "$ADDONS" --stop-after-init --no-http --log-level=warn
        addons_hash >"$STAMP"
    elif [ "$(cat "$STAMP" 2>/dev/null)" != "$(addons_hash)" ]; then
        say "the addons changed since the last run: upgrading them in '$DB' (data is kept)"
        "${ODOO[@]}" -u "$ADDONS" --stop-after-init --no-http --log-level=warn
        addons_hash >"$STAMP"
    else
        say "database '$DB' is up to date"
    fi
else
    say "creating database '$DB' with demo data, both addons, Chinese (zh_CN) and English (en_US) (a few minutes)"
    # zh_CN first: the default language of new partners; en_US stays installed
    # for the users who work in English (admin).
    "${ODOO[@]}" -i "$ADDONS" --load-language=zh_CN,en_US --stop-after-init --no-http --log-level=warn
    addons_hash >"$STAMP"
fi

# PDF reports: wkhtmltopdf fetches the report's stylesheets from report.url
# (else web.base.url, which is the address the browser used and may not be
# reachable from this machine): point it at this server.
psql_local -d "$DB" -c "INSERT INTO ir_config_parameter (key, value, create_date, write_date)
    VALUES ('report.url', 'http://127.0.0.1:$PORT', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date" >/dev/null

# Warm-up: the first request for a static file makes Odoo read every addon's
# manifest; when a browser asks for several assets at once, CPython 3.11 can
# fail in those parallel parses ("AST constructor recursion depth mismatch",
# seen here), and the first page then misses a script. One request first.
"$VENV/bin/python" - "$PORT" <<'PY' &
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/web/static/img/favicon.ico"
for _attempt in range(600):
    try:
        urllib.request.urlopen(url, timeout=30).read()
        break
    except Exception:
        time.sleep(0.5)
PY
if [ "$WORKERS" -gt 0 ]; then
    say "production mode: $WORKERS HTTP workers, ${CRON_WORKERS:-1} cron worker(s), websocket on port $GEVENT_PORT$( [ "${PROXY_MODE:-1}" = "1" ] && echo ", proxy mode (put nginx in front)")"
fi
say "Odoo is starting on http://localhost:$PORT"
say "log in as  admin / admin   (Contacts menu; Ctrl-C stops Odoo, the data stays in .local/)"
say "ID numbers, bank accounts and health data are encrypted with the key in $ENCRYPTION_KEY_FILE:
       keep a copy of it apart from the backups; a backup cannot be read without it"
exec "${ODOO[@]}" --http-port="$PORT" --db-filter="^${DB}\$" --log-level=info "${PRODUCTION[@]}"
