"""Give a copied tenant schema the role and grants policies/ declares for it.

A dump carries GRANTs to the tenant role it was taken from; restoring it elsewhere would
either fail (the role does not exist on that server) or, restored under a new slug, hand
the copy to the old tenant's role. So archives are restored without privileges and the
declared access is compiled again for the schema's new owner: the same statements
`compile tenant` prints, run in the caller's connection.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql

from ..compile import Target
from ..compile.security import security_statements
from ..model import resolve_modules, tenant_model
from .access import tenant_role
from .tenant_context import Conn, TenantFleet


def grant_tenant_access(conn: Conn, fleet: TenantFleet, slug: str,
                        modules: Sequence[str]) -> list[str]:
    """Create the tenant's role if missing and grant what it is declared; return the SQL."""
    project = fleet.loaded.project
    model = tenant_model(project, resolve_modules(project, list(modules)))
    target = Target(fleet.schema_of(slug), fleet.system_schema)
    first, last = security_statements(project, "tenant", model, slug, target)
    statements = [s.sql for s in first + last]
    with conn.transaction():
        for text in statements:
            conn.execute(text)
    return statements


def drop_tenant_role(conn: Conn, fleet: TenantFleet, slug: str) -> list[str]:
    """Drop the tenant's role once its schema is gone; return the statement or a warning.

    Its privileges went with the schema and its memberships go with it. A role still
    holding something elsewhere (another database of the cluster, say) is kept and named:
    it is the operator's to look at, never forced away.
    """
    role = tenant_role(fleet.loaded.project, fleet.schema_of(slug))
    if role is None:
        return []
    statement = sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role.name))
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.errors.DependentObjectsStillExist as exc:
        first = str(exc).strip().splitlines()[0]
        return [f"warning: role {role.name} kept: {first}"]
    return [statement.as_string(conn)]
