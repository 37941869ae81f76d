"""Restore a tenant from a backup (optionally under a new slug) and drop a tenant safely.

A restore never overwrites: it refuses when the slug is registered or the schema exists.
The archive is restored in one transaction (pg_restore --single-transaction), then the
tenant is registered; if registration fails the restored schema is dropped again.
Restoring under another slug renames the schema in a scratch database first (pg_restore
cannot rename a schema): scratch gets the system schema through the engine, the archive,
`ALTER SCHEMA .. RENAME`, and is dumped again; it is dropped whatever happens.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg.conninfo
from psycopg import sql

from ..apply import ApplyOptions, apply_plan
from ..live.planner import PlanRequest, make_plan
from . import tenant_registry as reg
from .backup import backup_tenant, read_backup, verify_archive
from .backup_tools import dbname_arg, find_tool, run_tool, server_major
from .refdata import load_refdata, module_rows, sync_module_catalogue
from .servers import Server
from .tenant_access import drop_tenant_role, grant_tenant_access
from .tenant_context import (
    Conn,
    Operation,
    TenantFleet,
    TenantRefused,
    current_database,
    drop_schema,
    lock_tenant,
    open_conn,
    record_failure,
    schema_exists,
)
from .tenants import PROVISIONING, Outcome, check_modules, check_slug


def restore_tenant(fleet: TenantFleet, file: Path, as_slug: str | None = None,
                   server: str | None = None) -> Outcome:
    """Restore a backup as a new tenant (its own slug, or `as_slug`); refuse to overwrite."""
    backup = read_backup(file)
    meta = backup.meta
    slug = as_slug or str(meta["slug"])
    check_slug(slug)
    entry = meta["registry"]
    modules = {str(m["name"]): bool(m["enabled"]) for m in entry["modules"]}
    check_modules(fleet, list(modules))
    server = server or fleet.config.registry
    conn = fleet.conn(server)
    schema = fleet.schema_of(slug)
    if reg.is_registered(fleet.registry, fleet.system_schema, slug):
        raise TenantRefused(f"tenant {slug} already exists",
                            hint="restore under another slug with --as NEW_SLUG")
    if schema_exists(conn, schema):
        raise TenantRefused(f"schema {schema} already exists on {server}",
                            hint="restore under another slug with --as NEW_SLUG")
    major = server_major(conn)
    verify_archive(file, str(meta["schema"]), major)
    op = Operation(slug, schema, f"restore {slug} from {file.name} server={server}")
    restored = False
    try:
        if schema == meta["schema"]:
            _pg_restore(fleet.config.server(server).conninfo, file, major)
        else:
            _restore_renamed(fleet, fleet.config.server(server), file, str(meta["schema"]),
                             schema, major)
        restored = True
        op.statements += grant_tenant_access(conn, fleet, slug, list(modules))
        _register_restored(fleet, conn, slug, schema, server, entry, modules, as_slug)
    except Exception as exc:
        # A failed pg_restore (one transaction) left nothing; a failed registration did.
        if restored:
            drop_schema(conn, schema)
        record_failure(conn, op, exc)
        raise
    _record(conn, op)
    return Outcome(True, [f"restored tenant {slug} (schema {schema} on {server}) from {file}"])


def _register_restored(fleet: TenantFleet, conn: Conn, slug: str, schema: str, server: str,
                       entry: dict[str, Any], modules: dict[str, bool],
                       as_slug: str | None) -> None:
    tenant = entry["tenant"]
    with fleet.registry.transaction():
        lock_tenant(fleet.registry, slug, schema)
        ref = load_refdata(fleet.loaded.root, fleet.loaded.project)
        sync_module_catalogue(fleet.registry, fleet.system_schema,
                              module_rows(fleet.loaded.project, ref))
        keep_id = as_slug is None and not _id_taken(fleet, str(tenant["id"]))
        reg.register(fleet.registry, fleet.system_schema, reg.NewTenant(
            slug, str(tenant["name"]), schema, server, current_database(conn),
            [m for m, on in modules.items() if on], str(tenant["status"]),
            str(tenant["id"]) if keep_id else None, tenant.get("settings"),
            [m for m, on in modules.items() if not on]))


def _id_taken(fleet: TenantFleet, tenant_id: str) -> bool:
    query = sql.SQL("SELECT 1 FROM {}.tenants WHERE id = %s::uuid").format(
        sql.Identifier(fleet.system_schema))
    return fleet.registry.execute(query, (tenant_id,)).fetchone() is not None


def _record(conn: Conn, op: Operation) -> None:
    from ..apply.ledger import ensure_ledger
    from .tenant_context import record_op

    ensure_ledger(conn)
    record_op(conn, op)


def _pg_restore(conninfo: str, file: Path, major: int) -> None:
    """Restore an archive in one transaction, stopping at the first error."""
    dbname, env = dbname_arg(conninfo)
    run_tool([str(find_tool("pg_restore", major)), "--single-transaction", "--exit-on-error",
              "--no-owner", "--no-privileges", dbname, str(file)], f"restore of {file.name}", env)


def _restore_renamed(fleet: TenantFleet, server: Server, file: Path, old: str, new: str,
                     major: int) -> None:
    """Restore `old` from the archive as schema `new` on the server, via a scratch database."""
    with _scratch_database(fleet, server) as scratch, tempfile.TemporaryDirectory() as tmp:
        _pg_restore(scratch.conninfo, file, major)
        with open_conn(scratch) as conn:
            conn.execute(sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                sql.Identifier(old), sql.Identifier(new)))
        renamed = Path(tmp) / "renamed.dump"
        dbname, env = dbname_arg(scratch.conninfo)
        run_tool([str(find_tool("pg_dump", major)), "--format=custom", f'--schema="{new}"',
                  f"--file={renamed}", dbname], f"renaming {old} to {new}", env)
        _pg_restore(server.conninfo, renamed, major)


@contextmanager
def _scratch_database(fleet: TenantFleet, server: Server) -> Iterator[Server]:
    """Yield a new database on the server holding the system schema; drop it afterwards."""
    name = f"zplus_restore_{secrets.token_hex(6)}"
    admin = fleet.conn(server.name)
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    info = psycopg.conninfo.conninfo_to_dict(server.conninfo)
    info["dbname"] = name
    scratch = Server(f"{server.name} (scratch)", psycopg.conninfo.make_conninfo("", **info))
    try:
        with open_conn(scratch) as conn:
            plan = make_plan(conn, fleet.loaded, PlanRequest(("system",)))
        # The scratch copy only renames a schema: its roles and grants are not the point.
        apply_plan(lambda: open_conn(scratch), plan,
                   ApplyOptions(allow=PROVISIONING, system_schema=fleet.system_schema))
        yield scratch
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def drop_tenant(fleet: TenantFleet, slug: str, out: Path | None, no_backup: bool,
                yes: bool) -> Outcome:
    """Drop a tenant's schema and registry rows, after a verified backup (or --no-backup --yes)."""
    check_slug(slug)
    if no_backup and not yes:
        raise TenantRefused(f"dropping {slug} without a backup needs --yes as well",
                            hint=f"drop {slug} --out FILE takes and verifies a backup first")
    rec = fleet.tenant(slug)
    lines = []
    if not no_backup:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        done = backup_tenant(fleet, slug, out or Path(f"{slug}-{stamp}.dump"))
        lines.append(f"backup written and verified: {done.file} (+ {done.sidecar.name})")
    conn = fleet.conn(rec.server)
    op = Operation(slug, rec.schema, f"drop {slug} backup={'none' if no_backup else 'verified'}")
    try:
        # The registry commits first: a tenant registered without its schema would be served
        # broken, while a schema left unregistered is only clutter (and is in the backup).
        with conn.transaction(), fleet.registry.transaction():
            lock_tenant(fleet.registry, slug, rec.schema)
            reg.unregister(fleet.registry, fleet.system_schema, slug)
            drop_schema(conn, rec.schema)
            op.statements.append(f"DROP SCHEMA {rec.schema} CASCADE")
    except Exception as exc:
        record_failure(conn, op, exc)
        raise
    _record(conn, op)
    notes = drop_tenant_role(conn, fleet, slug)
    return Outcome(True, [*lines, f"dropped tenant {slug} (schema {rec.schema} on {rec.server})",
                          *[n for n in notes if n.startswith("warning")]])
