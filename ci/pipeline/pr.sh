#!/usr/bin/env bash
# Pull-request checks for a repository that keeps its schema in zplus-schema YAML.
# Usage: ci/pipeline/pr.sh BASE_REV [OUT_DIR]
#   validate  -> exit 1 on any problem (file:line in the log)
#   lint      -> lint.sarif for code scanning, and workflow annotations on stdout
#   plan      -> plan.md (the pull-request comment) and plan.json, computed offline against
#                BASE_REV on a throwaway PostgreSQL; with ZPLUS_DSN set (a read-only DSN to
#                the registry) it also counts the tenants per module set.
# Exit: 0 clean, 1 invalid definitions or lint findings at/above error, other codes as the
# README's exit-code table.
set -euo pipefail

base="${1:?usage: pr.sh BASE_REV [OUT_DIR]}"
out="${2:-zplus-out}"
mkdir -p "$out"

zplus-schema validate

status=0
zplus-schema lint --format sarif > "$out/lint.sarif" || status=$?
zplus-schema lint --format github --fail-on error || status=$?

registry=()
if [ -n "${ZPLUS_DSN:-}" ]; then registry=(--dsn "$ZPLUS_DSN"); fi
zplus-schema plan --from-git "$base" "${registry[@]}" --format markdown \
    --out "$out/plan.json" > "$out/plan.md"
cat "$out/plan.md"
exit "$status"
