#!/usr/bin/env bash
# Install everything and run Odoo 18 with both addons and demo data on a
# PostgreSQL cluster of this checkout (.local/postgres).
#   ./setup/run.sh               -> http://localhost:8069, login admin / admin
#   PORT=8070 DB=other ./setup/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${DB:-customer_archive}"
PORT="${PORT:-8069}"

prepare
CONF="$(write_odoo_conf)"
ODOO=("$VENV/bin/odoo" -c "$CONF" -d "$DB")

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
say "Odoo is starting on http://localhost:$PORT"
say "log in as  admin / admin   (Contacts menu; Ctrl-C stops Odoo, the data stays in .local/)"
say "ID numbers, bank accounts and health data are encrypted with the key in $ENCRYPTION_KEY_FILE:
       keep a copy of it apart from the backups; a backup cannot be read without it"
exec "${ODOO[@]}" --http-port="$PORT" --db-filter="^${DB}\$" --log-level=info
