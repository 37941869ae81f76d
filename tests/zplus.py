"""Compile the repository's own Zplus schema for database tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import psycopg

from zplus_schema.compile.scripts import system_script, tenant_script
from zplus_schema.load import Loaded, load

REPO = Path(__file__).resolve().parent.parent


@cache
def zplus() -> Loaded:
    """Return the loaded Zplus project (schema/ of this repository)."""
    return load(REPO)


def system_sql(root: Path = REPO) -> str:
    """Return the compiled system schema script, roles and grants included (`compile system`)."""
    project = load(root).project if root != REPO else zplus().project
    return system_script(project)


def tenant_sql(schema: str, modules: list[str] | None = None, root: Path = REPO) -> str:
    """Return the compiled tenant script for `schema` with `modules` (None: all), with its
    tenant role and grants, as `compile tenant` prints it."""
    project = load(root).project if root != REPO else zplus().project
    names = list(project.module_names) if modules is None else modules
    return tenant_script(project, schema, names)


def build_zplus(conn: psycopg.Connection, tenants: dict[str, list[str] | None]) -> dict[str, str]:
    """Create the system schema and one schema per tenant slug; return slug -> tenant id.

    Each tenant is registered in public.tenants and public.tenant_schemas, as the
    application does, so the audit trigger can map its schema to it.
    """
    conn.execute(system_sql())
    ids: dict[str, str] = {}
    for slug, modules in tenants.items():
        schema = f"tenant_{slug}"
        conn.execute(tenant_sql(schema, modules))
        row = conn.execute(
            "INSERT INTO public.tenants (slug, name) VALUES (%s, %s) RETURNING id",
            (slug, slug.title()),
        ).fetchone()
        assert row is not None
        ids[slug] = str(row[0])
        conn.execute(
            "INSERT INTO public.tenant_schemas (tenant_id, schema_name, database_name)"
            " VALUES (%s, %s, current_database())",
            (row[0], schema),
        )
    return ids
