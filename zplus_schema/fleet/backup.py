"""Back up one tenant: pg_dump of its schema (-Fc) plus a sidecar JSON of its registry rows.

`FILE` is a pg_dump custom archive of `tenant_<slug>` only; `FILE.json` next to it holds
the tenant's rows of tenants, tenant_schemas and tenant_modules, the server version and
the archive's sha256, so `restore` can register the tenant again exactly as it was.
A backup counts as written only once `pg_restore --list` reads the archive back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ZplusError
from . import tenant_registry as reg
from .backup_tools import dbname_arg, find_tool, run_tool, server_major
from .tenant_context import TenantFleet, schema_exists
from .tenants import check_slug

FORMAT = 1


@dataclass(frozen=True)
class Backup:
    """A verified backup: the archive, its sidecar and what they hold."""

    file: Path
    sidecar: Path
    meta: dict[str, Any]


def sidecar_of(file: Path) -> Path:
    """Return the path of the JSON sidecar of an archive."""
    return file.with_name(file.name + ".json")


def backup_tenant(fleet: TenantFleet, slug: str, out: Path) -> Backup:
    """Dump the tenant's schema and registry rows to `out` (+ .json), then verify the archive."""
    check_slug(slug)
    rec = fleet.tenant(slug)
    conn = fleet.conn(rec.server)
    if not schema_exists(conn, rec.schema):
        raise ZplusError(f"schema {rec.schema} of tenant {slug} is missing on {rec.server}",
                         hint="tenants show " + slug)
    major = server_major(conn)
    meta = {"format": FORMAT, "slug": slug, "schema": rec.schema, "server": rec.server,
            "server_major": major, "tool_version": __version__,
            "created_at": datetime.now(UTC).isoformat(),
            "registry": reg.export(fleet.registry, fleet.system_schema, slug)}
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    # -n takes a pattern: the double quotes make the (validated) schema name literal.
    dbname, env = dbname_arg(fleet.config.server(rec.server).conninfo)
    run_tool([str(find_tool("pg_dump", major)), "--format=custom", f'--schema="{rec.schema}"',
              f"--file={partial}", dbname], f"backup of {slug}", env)
    verify_archive(partial, rec.schema, major)
    meta["sha256"] = file_sha256(partial)
    os.replace(partial, out)
    sidecar = sidecar_of(out)
    sidecar.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return Backup(out, sidecar, meta)


def verify_archive(file: Path, schema: str, major: int) -> None:
    """Check `pg_restore --list` reads the archive and it holds the tenant's schema."""
    listing = run_tool([str(find_tool("pg_restore", major)), "--list", str(file)],
                       f"verifying {file.name}")
    if f"SCHEMA - {schema} " not in listing:
        raise ZplusError(f"{file}: the archive does not hold schema {schema}",
                         hint="take the backup again")


def file_sha256(file: Path) -> str:
    """Return the sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with file.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_backup(file: Path) -> Backup:
    """Read an archive's sidecar and check it belongs to the archive (sha256)."""
    sidecar = sidecar_of(file)
    if not file.is_file():
        raise ZplusError(f"{file}: no such backup file")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ZplusError(f"{sidecar}: cannot read the backup's registry sidecar: {exc}",
                         hint="a tenant backup is FILE plus FILE.json from `tenants backup`"
                         ) from None
    if meta.get("format") != FORMAT or meta.get("sha256") != file_sha256(file):
        raise ZplusError(f"{sidecar} does not belong to {file.name} (format or sha256 differ)",
                         hint="keep the two files of a backup together, unchanged")
    return Backup(file, sidecar, meta)
