#!/usr/bin/env bash
# The main job on the embedded default: set up a fresh machine if needed, then validate the
# definitions, compile them, and create the system schema and two tenants on a throwaway
# local PostgreSQL that is stopped at the end. Extra arguments go to `zplus-schema sandbox`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

. ci/setup.sh >/dev/null
zplus-schema validate
zplus-schema compile system | grep -c ';$' | sed 's/^/system statements: /'
zplus-schema compile tenant --tenant demo | grep -c ';$' | sed 's/^/tenant statements: /'
zplus-schema sandbox "$@"
