#!/usr/bin/env bash
# Restore a backup made by setup/backup.sh (or by Odoo's database manager)
# into a new database, filestore included (odoo.service.db.restore_db):
#   ./setup/restore.sh FILE.zip|FILE.zip.enc NEW_DATABASE [--copy]
# --copy gives the restored database a new UUID (a test copy next to the
# original); without it the restored database is the original moved here.
# An existing database is never overwritten: drop it first if you mean it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 2 ] || die "usage: setup/restore.sh FILE.zip NEW_DATABASE [--copy]"
FILE="$1"
DB="$2"
COPY="${3:-}"
[ -f "$FILE" ] || die "backup file '$FILE' not found"
BACKUP_FILE="$FILE"

prepare
CONF="$(write_odoo_conf)"
db_exists "$DB" && die "database '$DB' already exists: choose another name or drop it first"
# An encrypted backup (setup/backup.sh --encrypt) is decrypted into a
# temporary file first, with the passphrase from $BACKUP_PASSPHRASE or asked for.
if [ "$(head -c 33 "$FILE")" = "CUSTOMER-ARCHIVE-BACKUP-AESGCM-1" ]; then
    if [ -z "${BACKUP_PASSPHRASE:-}" ]; then
        [ -t 0 ] || die "$FILE is encrypted: set BACKUP_PASSPHRASE to its passphrase"
        read -r -s -p "Passphrase of the backup: " BACKUP_PASSPHRASE; echo >&2
    fi
    export BACKUP_PASSPHRASE
    PLAIN="$(mktemp "$LOCAL/restore.XXXXXX.zip")"
    trap 'rm -f "$PLAIN"' EXIT
    "$VENV/bin/python" "$ROOT/customer_archive/tools/backup_crypto.py" decrypt "$FILE" "$PLAIN" \
        || die "$FILE could not be decrypted (wrong passphrase, or the file was changed)"
    FILE="$PLAIN"
fi
PATH="$(pg_bindir):$PATH"
export PATH

"$VENV/bin/python" - "$CONF" "$FILE" "$DB" "$COPY" <<'PY'
import sys

from odoo.tools import config

conf, path, db, copy = sys.argv[1:]
config.parse_config(["-c", conf])

from odoo.service import db as service_db  # noqa: E402 (after the configuration)

service_db.restore_db(db, path, copy=copy == "--copy")
PY
say "restored '$BACKUP_FILE' into database '$DB'"
say "its sensitive fields are read with the key of $ENCRYPTION_KEY_FILE: it must be the key of the backed-up database"
