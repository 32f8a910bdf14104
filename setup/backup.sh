#!/usr/bin/env bash
# Back up a database with its filestore, the way Odoo's database manager does
# (odoo.service.db.dump_db: a zip with dump.sql, the filestore and a manifest):
#   ./setup/backup.sh DATABASE [FILE.zip]
# Without FILE the backup goes to .local/backups/DATABASE_YYYYmmdd_HHMMSS.zip.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -ge 1 ] || die "usage: setup/backup.sh DATABASE [FILE.zip]"
DB="$1"
FILE="${2:-$LOCAL/backups/${DB}_$(date +%Y%m%d_%H%M%S).zip}"

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
say "backup of '$DB' with its filestore: $FILE ($(du -h "$FILE" | cut -f1))"
echo "$FILE"
