#!/usr/bin/env bash
# Refresh the translation templates (.pot) of both addons from a database with
# both installed (demo data included: its records' names are translated too), and merge them into i18n/zh_CN.po (gettext's msgmerge keeps
# every existing translation, matched by msgid). Then list the terms that have
# no Chinese translation yet; exit 1 when there are any.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
prepare
CONF="$(write_odoo_conf)"
DB="customer_archive_i18n_$$"
trap 'psql_local -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$LOCAL/data/filestore/$DB"' EXIT
"$VENV/bin/odoo" -c "$CONF" -d "$DB" -i "$ADDONS" --stop-after-init --no-http --log-level=warn
missing=0
for module in ${ADDONS//,/ }; do
    pot="$ROOT/$module/i18n/$module.pot"
    po="$ROOT/$module/i18n/zh_CN.po"
    "$VENV/bin/odoo" -c "$CONF" -d "$DB" --i18n-export="$pot" --modules="$module" \
        --stop-after-init --no-http --log-level=warn
    # Drop duplicate msgids added by hand, keep the first translation.
    if [ "$(grep -c '^msgid "' "$po")" -gt 1 ]; then
        msguniq --use-first --no-wrap "$po" -o "$po.tmp" && mv "$po.tmp" "$po"
    fi
    msgmerge --quiet --no-fuzzy-matching --no-wrap --sort-by-file "$po" "$pot" -o "$po.tmp"
    # Keep terms that are no longer in the code out of the file.
    msgattrib --no-obsolete --no-wrap "$po.tmp" -o "$po"
    rm -f "$po.tmp"
    untranslated="$(msgattrib --untranslated --no-wrap "$po" | grep -c '^msgid "' || true)"
    # the header counts as one
    untranslated=$((untranslated > 0 ? untranslated - 1 : 0))
    say "$module: $untranslated terms without a zh_CN translation"
    if [ "$untranslated" -gt 0 ]; then
        msgattrib --untranslated --no-wrap "$po" | grep '^msgid "' | tail -n +2 | head -n 50
        missing=1
    fi
done
exit "$missing"
