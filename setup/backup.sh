#!/usr/bin/env bash
# Back up a database with its filestore, the way Odoo's database manager does
# (odoo.service.db.dump_db: a zip with dump.sql, the filestore and a manifest):
#   ./setup/backup.sh DATABASE [FILE.zip] [--encrypt]
# Without FILE the backup goes to .local/backups/DATABASE_YYYYmmdd_HHMMSS.zip.
# --encrypt writes FILE.enc instead: the zip encrypted with AES-256-GCM under
# a passphrase (from $BACKUP_PASSPHRASE, or asked for); setup/restore.sh asks
# for it again. The sensitive fields inside are encrypted anyway, with the key
# of .local/encryption_key: keep that key too, apart from the backups.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ENCRYPT=""
ARGS=()
for arg in "$@"; do
    if [ "$arg" = "--encrypt" ]; then ENCRYPT=1; else ARGS+=("$arg"); fi
done
set -- "${ARGS[@]}"
[ $# -ge 1 ] || die "usage: setup/backup.sh DATABASE [FILE.zip] [--encrypt]"
DB="$1"
FILE="${2:-$LOCAL/backups/${DB}_$(date +%Y%m%d_%H%M%S).zip}"
if [ -n "$ENCRYPT" ] && [ -z "${BACKUP_PASSPHRASE:-}" ]; then
    [ -t 0 ] || die "--encrypt needs a passphrase: set BACKUP_PASSPHRASE"
    read -r -s -p "Passphrase of the backup: " BACKUP_PASSPHRASE; echo >&2
    read -r -s -p "The same passphrase again: " again; echo >&2
    [ "$BACKUP_PASSPHRASE" = "$again" ] || die "the two passphrases differ"
    [ -n "$BACKUP_PASSPHRASE" ] || die "an empty passphrase cannot protect a backup"
fi
export BACKUP_PASSPHRASE="${BACKUP_PASSPHRASE:-}"

prepare
CONF="$(write_odoo_conf)"
db_exists "$DB" || die "database '$DB' does not exist (list them: psql -h $PGSOCKET -U odoo -l)"
mkdir -p "$(dirname "$FILE")"
# pg_dump of the same major version as the local cluster.
PATH="$(pg_bindir):$PATH"
export PATH

"$VENV/bin/python" - "$CONF" "$DB" "$FILE" <<'PY'
import sys

from odoo.tools import config

conf, db, path = sys.argv[1:]
config.parse_config(["-c", conf])

from odoo.service import db as service_db  # noqa: E402 (after the configuration)

with open(path, "wb") as stream:
    service_db.dump_db(db, stream, "zip")
PY
if [ -n "$ENCRYPT" ]; then
    "$VENV/bin/python" "$ROOT/customer_archive/tools/backup_crypto.py" encrypt "$FILE" "$FILE.enc" \
        || { rm -f "$FILE" "$FILE.enc"; die "the backup could not be encrypted"; }
    rm -f "$FILE"
    FILE="$FILE.enc"
    say "the backup is encrypted: restore it with setup/restore.sh and the same passphrase"
fi
say "backup of '$DB' with its filestore: $FILE ($(du -h "$FILE" | cut -f1))"
say "its ID numbers, bank accounts and health data can only be read with the key of $ENCRYPTION_KEY_FILE"
echo "$FILE"
