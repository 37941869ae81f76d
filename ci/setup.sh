#!/usr/bin/env bash
# Set up a fresh machine for zplus-schema: PostgreSQL server binaries (for the throwaway
# servers of the tests and the sandbox) and a virtualenv .venv with the package installed.
# Runs as root on Debian 12 with Python 3.11; safe to run again (it skips what is there).
# Source it (`. ci/setup.sh`) to get .venv on PATH afterwards.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==== %s ====\n' "$*"; }

# The tests start their own throwaway PostgreSQL cluster, so they need the server binaries
# (initdb, pg_ctl, postgres) but no running service.
have_pg_server() {
    command -v initdb >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

section "PostgreSQL server binaries"
if have_pg_server; then
    echo "found: $(command -v initdb || compgen -G '/usr/lib/postgresql/*/bin/initdb' | head -n1)"
else
    echo "no initdb found: installing Debian's postgresql package"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
    "${sudo[@]}" apt-get update
    # Debian's package may auto-start its own cluster on 5432; the tests do not use it.
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
    have_pg_server || { echo "postgresql installed but no initdb found" >&2; exit 1; }
fi

section "Python virtualenv (.venv)"
if [ ! -x .venv/bin/python ]; then
    python_bin="$(command -v python3.11 || command -v python3)"
    "$python_bin" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' \
        || { echo "Python >= 3.11 is required, found $python_bin" >&2; exit 1; }
    "$python_bin" -m venv .venv
fi
.venv/bin/python --version
.venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -q \
    -e '.[test,dev]'

export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export PYTHON="$VIRTUAL_ENV/bin/python"

