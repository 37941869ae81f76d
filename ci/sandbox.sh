#!/usr/bin/env bash
# The main job on the embedded default: set up a fresh machine if needed, then validate the
# definitions, compile them, and on a throwaway local PostgreSQL (stopped at the end) create
# the system schema, register tenants demo, acme and xyz with different modules, show the
# grouped fleet plan and apply it with the fleet runner. Extra arguments go to
# `zplus-schema sandbox`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ci/setup.sh >/dev/null
zplus-schema validate
zplus-schema compile system | grep -c ';$' | sed 's/^/system statements: /'
zplus-schema compile tenant --tenant demo | grep -c ';$' | sed 's/^/tenant statements: /'
zplus-schema sandbox "$@"
