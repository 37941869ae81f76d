#!/usr/bin/env bash
# Main-branch deployment: plan once, keep the reviewed plan as an artifact, apply exactly it.
# Usage: ci/pipeline/deploy.sh [OUT_DIR]
#   ZPLUS_DSN            the environment's database (required)
#   ZPLUS_ALLOW_HAZARDS  hazards the reviewers accepted, e.g. "builds_index deletes_data"
#   ZPLUS_CANARY=N       apply N tenants first and stop (exit 4) if any of them fails
#
# 1. system schema first (tenant objects call its functions);
# 2. then every registered tenant, one transaction each. A tenant that fails is reported and
#    the others go on; the script exits 4 when any tenant failed.
# Until fleet runs (`apply --all-tenants --canary N`) land, tenants are applied one by one
# from the registry with the same plan-then-apply-the-plan discipline.
set -euo pipefail

out="${1:-zplus-out}"
mkdir -p "$out"
: "${ZPLUS_DSN:?set ZPLUS_DSN to the database of the environment}"
allow=()
for hazard in ${ZPLUS_ALLOW_HAZARDS:-}; do allow+=(--allow-hazard "$hazard"); done

zplus-schema plan --target system --out "$out/system.plan.json" --format markdown \
    > "$out/system.plan.md"
zplus-schema apply --target system --plan "$out/system.plan.json" "${allow[@]}"

canary="${ZPLUS_CANARY:-0}"
applied=0
failed=()
slugs=$(psql "$ZPLUS_DSN" -XAtc "SELECT slug FROM public.tenants WHERE status <> 'suspended' ORDER BY slug")
for slug in $slugs; do
    plan="$out/tenant_${slug}.plan.json"
    if zplus-schema plan --target "tenant:$slug" --out "$plan" --format json > /dev/null \
        && zplus-schema apply --target "tenant:$slug" --plan "$plan" "${allow[@]}"; then
        :
    else
        failed+=("$slug")
    fi
    applied=$((applied + 1))
    if [ "$applied" -eq "$canary" ] && [ "${#failed[@]}" -gt 0 ]; then
        echo "canary failed (${failed[*]}): the other tenants were not touched" >&2
        exit 4
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "tenants that failed: ${failed[*]}" >&2
    exit 4
fi
