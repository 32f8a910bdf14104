#!/usr/bin/env bash
# Install everything, then run the whole test suite on a throw-away database:
#   1. both addons installed with Odoo's --test-enable (at_install + post_install)
#   2. pytest (pytest-odoo) over tests/ on that database
#   3. lint: the hooks of .pre-commit-config.yaml run offline (setup/lint.py): ruff (lint +
#      format), pylint-odoo's mandatory checks, OCA's module and .po checks, XML and
#      whitespace checks, README.rst up to date with readme/ (setup/gen_readme.py)
# Exits non-zero on any failure, error or skipped test; the last line is
# "N passed, N failed".
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

prepare
CONF="$(write_odoo_conf)"
DB="customer_archive_test_$$"
LOGDIR="$LOCAL/test-logs"
mkdir -p "$LOGDIR"
ODOO_LOG="$LOGDIR/odoo.log"
PYTEST_LOG="$LOGDIR/pytest.log"
LINT_LOG="$LOGDIR/lint.log"

cleanup() {
    if [ -z "${KEEP_DB:-}" ] && db_exists "$DB" 2>/dev/null; then
        psql_local -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
        rm -rf "$LOCAL/data/filestore/$DB"
    fi
}
trap cleanup EXIT

start=$(date +%s)
warm_chromium
say "1/3 Odoo tests: installing $ADDONS with --test-enable in database '$DB'"
HTTP_PORT="$(free_port)"
set +e
"$VENV/bin/odoo" -c "$CONF" -d "$DB" -i "$ADDONS" \
    --test-enable --test-tags "/customer_archive,/customer_archive_insurance" \
    --stop-after-init --http-port="$HTTP_PORT" --max-cron-threads=0 \
    --log-level=info >"$ODOO_LOG" 2>&1
odoo_rc=$?
set -e
# Show what matters: test progress, failures, errors, the summary.
grep -E "(odoo\.tests|odoo\.addons\.customer_archive[a-z_]*\.tests)|ERROR|CRITICAL|Traceback|^(FAIL|ERROR):" "$ODOO_LOG" \
    | grep -vE "Starting |^\s*$" | tail -n 400 || true

summary="$(grep -E "odoo\.tests\.result: .* failed, .* error\(s\) of [0-9]+ tests" "$ODOO_LOG" | tail -1 || true)"
odoo_failed=0; odoo_errors=0; odoo_run=0
if [[ "$summary" =~ ([0-9]+)\ failed,\ ([0-9]+)\ error\(s\)\ of\ ([0-9]+)\ tests ]]; then
    odoo_failed="${BASH_REMATCH[1]}"; odoo_errors="${BASH_REMATCH[2]}"; odoo_run="${BASH_REMATCH[3]}"
fi
odoo_skipped="$(grep -cE "odoo\.tests\.[a-z_.]*: skipped |: skipped .* : " "$ODOO_LOG" || true)"
odoo_error_lines="$(grep -cE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$ODOO_LOG" || true)"
odoo_bad=$((odoo_failed + odoo_errors + odoo_skipped))
if [ "$odoo_run" -eq 0 ]; then
    say "Odoo ran no test (rc=$odoo_rc): see $ODOO_LOG"; odoo_bad=$((odoo_bad + 1))
fi
if [ "$odoo_bad" -eq 0 ] && { [ "$odoo_rc" -ne 0 ] || [ "$odoo_error_lines" -ne 0 ]; }; then
    say "Odoo exited with $odoo_rc and logged $odoo_error_lines ERROR lines outside tests: see $ODOO_LOG"
    odoo_bad=1
fi
odoo_passed=$((odoo_run - odoo_failed - odoo_errors - odoo_skipped))
[ "$odoo_passed" -lt 0 ] && odoo_passed=0
say "Odoo: $odoo_run tests, $odoo_failed failed, $odoo_errors errors, $odoo_skipped skipped ($(( $(date +%s) - start ))s)"

say "2/3 pytest (pytest-odoo) over tests/ on '$DB'"
set +e
(cd "$ROOT" && "$VENV/bin/python" -m pytest -p no:cacheprovider -rs \
    --odoo-config="$CONF" --odoo-database="$DB" tests/) 2>&1 | tee "$PYTEST_LOG" | grep -vE "^\s*$" | tail -n 60
set -e
py_line="$(grep -E "^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s" "$PYTEST_LOG" | tail -1 || true)"
py_passed="$(echo "$py_line" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" || echo 0)"
py_failed="$(echo "$py_line" | grep -oE "[0-9]+ (failed|error|errors)" | grep -oE "[0-9]+" | paste -sd+ | bc 2>/dev/null || echo 0)"
py_skipped="$(echo "$py_line" | grep -oE "[0-9]+ skipped" | grep -oE "[0-9]+" || echo 0)"
[ -z "$py_failed" ] && py_failed=0
if [ -z "$py_line" ] || [ "$py_passed" -eq 0 ]; then
    say "pytest ran no test: see $PYTEST_LOG"; py_failed=$((py_failed + 1))
fi
py_failed=$((py_failed + py_skipped))

say "3/3 lint: the pre-commit hooks, offline (ruff, pylint-odoo, OCA checks, XML, README.rst)"
lint_failed=0
: >"$LINT_LOG"
cd "$ROOT"
"$VENV/bin/python" "$ROOT/setup/lint.py" >>"$LINT_LOG" 2>&1 || lint_failed=1
tail -n 40 "$LINT_LOG"
lint_passed=$((1 - lint_failed))

passed=$((odoo_passed + py_passed + lint_passed))
failed=$((odoo_bad + py_failed + lint_failed))
say "total time $(( $(date +%s) - start ))s; logs in $LOGDIR"
echo "Odoo tests: $odoo_passed passed, $((odoo_failed + odoo_errors)) failed, $odoo_skipped skipped"
echo "pytest: $py_passed passed, $py_failed failed"
echo "lint: $lint_passed passed, $lint_failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
