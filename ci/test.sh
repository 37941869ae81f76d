#!/usr/bin/env bash
# Run the checks: ruff and mypy (stopping at the first failure), then the pytest suite once per
# PostgreSQL major version, each on its own throwaway server picked with ZPLUS_PG_VERSION:
# Debian's PostgreSQL 15, then PostgreSQL 18 (the npm build ci/setup.sh installs in .venv).
# Set ZPLUS_CI_PG_VERSIONS (default "15 18") to choose others. Every version's run happens even
# if an earlier one failed; the exit status is non-zero if any failed, and pytest's exit 5 (no
# test collected) counts as a failure. tests/test_harness.py checks that each run's server is
# the version asked for. Uses $PYTHON, else .venv/bin/python, else python3. Extra arguments go
# to every pytest run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

section() { printf '\n==== %s ====\n' "$*"; }

section "ruff check zplus_schema tests"
"$PYTHON" -m ruff check zplus_schema tests

section "mypy (config from pyproject.toml)"
"$PYTHON" -m mypy

reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT

# Print "passed failed skipped" from a pytest JUnit XML report ("0 0 0" if there is none).
junit_counts() {
    "$PYTHON" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0, 0)
    raise SystemExit
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests, failed, skipped = 0, 0, 0
for suite in suites:
    tests += int(suite.get("tests", 0))
    failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
print(max(tests - failed - skipped, 0), failed, skipped)
PY
}

read -r -a pg_versions <<<"${ZPLUS_CI_PG_VERSIONS:-15 18}"
if [ "${#pg_versions[@]}" -eq 0 ]; then
    echo "ZPLUS_CI_PG_VERSIONS names no PostgreSQL version" >&2
    exit 1
fi
summary=()
verdicts=()
any_failed=0
total_passed=0
total_failed=0
total_skipped=0
for version in "${pg_versions[@]}"; do
    section "pytest on PostgreSQL $version (ZPLUS_PG_VERSION=$version)"
    started=$EPOCHREALTIME
    status=0
    ZPLUS_PG_VERSION="$version" "$PYTHON" -m pytest -q \
        --junit-xml="$reports/pg$version.xml" "$@" || status=$?
    seconds=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    read -r passed failed skipped < <(junit_counts "$reports/pg$version.xml")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    if [ "$status" -eq 0 ]; then
        verdict="passed"
    elif [ "$status" -eq 5 ]; then
        # Exit 5 means no test was collected: a broken suite must not pass as green.
        verdict="FAILED (pytest collected no tests)"
    else
        verdict="FAILED (pytest exit $status)"
    fi
    if [ "$status" -ne 0 ]; then any_failed=1; fi
    summary+=("PostgreSQL $version: $verdict, $passed passed, $failed failed, $skipped skipped in ${seconds}s")
    verdicts+=("PostgreSQL $version $verdict")
done

section "summary"
printf '%s\n' "${summary[@]}"
joined="$(printf '%s; ' "${verdicts[@]}")"
echo "pytest results: ${joined%; }"
echo "total: $total_passed passed, $total_failed failed, $total_skipped skipped"
if [ "$any_failed" -ne 0 ]; then
    exit 1
fi
