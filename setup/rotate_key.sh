#!/usr/bin/env bash
# Key rotation of the encrypted sensitive fields (ID numbers, bank accounts,
# health data): a new key becomes the current one, every value is
# re-encrypted with it, then the old key is retired.
#   ./setup/rotate_key.sh [DATABASE]        (default: customer_archive)
# Stop Odoo first (Ctrl-C on setup/run.sh): a running server keeps the old key.
# Resumable: an interrupted rotation (.local/encryption_key_previous is
# still there) goes on with the same new key where it stopped; the work is
# committed in chunks. The retired keys stay in .local/encryption_key_retired:
# the backups made before the rotation need them.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${1:-customer_archive}"
CHUNK="${CHUNK:-500}"

prepare
ensure_encryption_key
db_exists "$DB" || die "database '$DB' does not exist"
RETIRED="$LOCAL/encryption_key_retired"

if [ -s "$ENCRYPTION_KEY_PREVIOUS_FILE" ]; then
    say "resuming the interrupted key rotation (old key in $ENCRYPTION_KEY_PREVIOUS_FILE)"
else
    (umask 077
     printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cat "$ENCRYPTION_KEY_FILE")" >>"$RETIRED"
     cp "$ENCRYPTION_KEY_FILE" "$ENCRYPTION_KEY_PREVIOUS_FILE"
     "$VENV/bin/python" -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" \
         >"$ENCRYPTION_KEY_FILE.new"
     mv "$ENCRYPTION_KEY_FILE.new" "$ENCRYPTION_KEY_FILE")
    say "new encryption key in $ENCRYPTION_KEY_FILE (the old one is kept in $RETIRED)"
fi
CONF="$(write_odoo_conf)"

"$VENV/bin/odoo" shell -c "$CONF" -d "$DB" --no-http --log-level=warn <<PY
report = env["customer.archive.encryption.mixin"].encrypted_rotate_all(chunk_size=$CHUNK)
env.cr.commit()
print("re-encrypted:", ", ".join(f"{model} {count}" for model, count in report.items()))
PY

rm -f "$ENCRYPTION_KEY_PREVIOUS_FILE"
write_odoo_conf >/dev/null
say "key rotation of '$DB' done: every value is encrypted with the key in $ENCRYPTION_KEY_FILE.
       Backups made before today need the retired key of $RETIRED; start Odoo again (setup/run.sh)."
