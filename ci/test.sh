#!/usr/bin/env bash
# Run the checks in order, stopping at the first failure: ruff, mypy, pytest.
# Uses $PYTHON, else .venv/bin/python, else python3. Extra arguments go to pytest.
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

section "pytest"
status=0
"$PYTHON" -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    # Exit 5 means no test was collected: a broken suite must not pass as green.
    echo "pytest collected no tests: treating as failure" >&2
    exit 1
fi
if [ "$status" -ne 0 ]; then
    echo "pytest failed (exit $status)" >&2
    exit "$status"
fi
section "all checks passed"
