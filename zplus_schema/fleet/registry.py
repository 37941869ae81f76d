"""The tenant registry in the system schema: who the tenants are, where, with what modules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ..errors import ZplusError
from ..model import Project
from ..sqlfiles import read_sql

Conn = psycopg.Connection[tuple[object, ...]]


@dataclass(frozen=True)
class TenantRecord:
    """One registered tenant: identity, status, schema, server and enabled modules."""

    id: str
    slug: str
    name: str
    status: str
    schema: str
    server: str  # tenant_schemas.database_host: a server name from zplus.yaml
    database: str
    modules: tuple[str, ...]


def read_tenants(conn: Conn, project: Project,
                 only: Sequence[str] | None = None) -> list[TenantRecord]:
    """Return the registered tenants (all, or the slugs in `only`), sorted by slug."""
    query = sql.SQL(read_sql("zplus_schema.fleet", "tenants")).format(
        schema=sql.Identifier(project.settings.system_schema))
    try:
        with conn.transaction():
            rows = conn.execute(query).fetchall()
    except psycopg.errors.UndefinedTable as exc:
        raise ZplusError(f"no tenant registry in schema {project.settings.system_schema}: "
                         f"{str(exc).splitlines()[0]}",
                         hint="apply the system schema first (apply --target system)") from None
    tenants = [TenantRecord(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]),
                            str(r[6]), tuple(str(m) for m in r[7]))  # type: ignore[attr-defined]
               for r in rows]
    if only is None:
        return tenants
    known = {t.slug for t in tenants}
    missing = sorted(set(only) - known)
    if missing:
        raise ZplusError(f"unknown tenant{'s' if len(missing) > 1 else ''}: "
                         f"{', '.join(missing)}", hint="tenants list shows the registered ones")
    return [t for t in tenants if t.slug in set(only)]
