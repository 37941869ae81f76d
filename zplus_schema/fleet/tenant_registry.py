"""Writes to the tenant registry (tenants, tenant_schemas, tenant_modules) of the system schema.

Each function runs inside the caller's transaction; the SQL is in fleet/sql/tenant_*.sql
with the system schema quoted as an identifier and every value passed as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import sql
from psycopg.types.json import Jsonb

from ..sqlfiles import read_sql
from .tenant_context import Conn


def _query(system: str, name: str) -> sql.Composed:
    return sql.SQL(read_sql("zplus_schema.fleet", name)).format(schema=sql.Identifier(system))


@dataclass(frozen=True)
class NewTenant:
    """The registry rows of a tenant being created or restored."""

    slug: str
    name: str
    schema: str
    server: str
    database: str
    modules: Sequence[str]
    status: str = "active"
    id: str | None = None  # a restore keeps the former id when it is free
    settings: dict[str, Any] | None = None
    disabled: Sequence[str] = ()  # modules whose tables are kept but not enabled


def register(conn: Conn, system: str, tenant: NewTenant) -> str:
    """Insert the tenant, its schema row and its module rows; return the tenant id."""
    row = conn.execute(_query(system, "tenant_insert"), {
        "id": tenant.id, "slug": tenant.slug, "name": tenant.name, "status": tenant.status,
        "settings": Jsonb(tenant.settings) if tenant.settings is not None else None,
    }).fetchone()
    assert row is not None
    tenant_id = str(row[0])
    conn.execute(_query(system, "tenant_schema_insert"), {
        "tenant_id": tenant_id, "schema_name": tenant.schema, "server": tenant.server,
        "database": tenant.database})
    for name in tenant.modules:
        set_module(conn, system, tenant_id, name, True)
    for name in tenant.disabled:
        set_module(conn, system, tenant_id, name, False)
    return tenant_id


def set_module(conn: Conn, system: str, tenant_id: str, module: str, enabled: bool) -> bool:
    """Enable or disable a module for a tenant; return False when nothing changed."""
    return conn.execute(_query(system, "tenant_module_set"), {
        "tenant_id": tenant_id, "module": module, "enabled": enabled}).fetchone() is not None


def forget_module(conn: Conn, system: str, tenant_id: str, module: str) -> None:
    """Delete a tenant's row for a module (its tables are gone)."""
    conn.execute(_query(system, "tenant_module_delete"),
                 {"tenant_id": tenant_id, "module": module})


def module_rows(conn: Conn, system: str, slug: str) -> dict[str, bool]:
    """Return module name -> enabled for every module row of a tenant."""
    rows = conn.execute(_query(system, "tenant_kept_modules"), {"slug": slug}).fetchall()
    return {str(r[0]): bool(r[1]) for r in rows}


def set_status(conn: Conn, system: str, slug: str, status: str) -> bool:
    """Set a tenant's status; return False when it already had it."""
    return conn.execute(_query(system, "tenant_status"),
                        {"slug": slug, "status": status}).fetchone() is not None


def move_host(conn: Conn, system: str, slug: str, old: str, new: str, database: str) -> bool:
    """Point the tenant at server `new`; return False when it was not on `old` any more."""
    return conn.execute(_query(system, "tenant_move_host"), {
        "slug": slug, "old_server": old, "server": new, "database": database,
    }).fetchone() is not None


def unregister(conn: Conn, system: str, slug: str) -> bool:
    """Delete a tenant from the registry; return False when it was not there."""
    return conn.execute(_query(system, "tenant_delete"), {"slug": slug}).fetchone() is not None


def export(conn: Conn, system: str, slug: str) -> dict[str, Any]:
    """Return the tenant's registry rows as one JSON-ready document."""
    row = conn.execute(_query(system, "tenant_export"), {"slug": slug}).fetchone()
    assert row is not None and isinstance(row[0], dict)
    return row[0]


def is_registered(conn: Conn, system: str, slug: str) -> bool:
    """Return True when the slug is in the registry."""
    return conn.execute(_query(system, "tenant_exists"), {"slug": slug}).fetchone() is not None
