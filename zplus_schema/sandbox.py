"""Run the project on a throwaway local PostgreSQL: the embedded default of the CLI.

It proves the definitions end to end without any server of the user's: the system schema
and a few tenant schemas are created from the compiled SQL, tenants are registered the way
the application registers them, and the result is read back from pg_catalog.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from .compile import Target, compile_schema, render_script
from .model import Project, resolve_modules, tenant_model
from .server import ThrowawayServer

COUNT_TABLES = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = %s"


@dataclass
class SandboxTenant:
    """One tenant created in the sandbox."""

    slug: str
    schema: str
    modules: list[str]
    tables: int = 0
    seconds: float = 0.0


@dataclass
class SandboxReport:
    """What the sandbox run created."""

    server_version: int = 0
    system_tables: int = 0
    tenants: list[SandboxTenant] = field(default_factory=list)


def _registers_tenants(project: Project) -> bool:
    tables = {t.name for t in project.system.tables}
    return {"tenants", "tenant_schemas"} <= tables


def _register(conn: psycopg.Connection[tuple[object, ...]], project: Project,
              tenant: SandboxTenant) -> None:
    """Record the tenant in the Zplus registry tables, when the project has them."""
    if not _registers_tenants(project):
        return
    system = project.settings.system_schema
    row = conn.execute(
        sql.SQL("INSERT INTO {}.tenants (slug, name) VALUES (%s, %s) RETURNING id").format(
            sql.Identifier(system)), (tenant.slug, tenant.slug.title()),
    ).fetchone()
    assert row is not None
    conn.execute(
        sql.SQL("INSERT INTO {}.tenant_schemas (tenant_id, schema_name, database_name)"
                " VALUES (%s, %s, current_database())").format(sql.Identifier(system)),
        (row[0], tenant.schema),
    )


def run_sandbox(project: Project, tenants: dict[str, list[str]],
                echo: Callable[[str], None] = print) -> SandboxReport:
    """Start a throwaway server, create the system and tenant schemas, and report counts."""
    report = SandboxReport()
    system = project.settings.system_schema
    with ThrowawayServer(fast=True) as server, psycopg.connect(
        server.dsn(), autocommit=True
    ) as conn:
        report.server_version = server.version
        echo(f"started throwaway PostgreSQL {server.version} at {server.dsn()}")
        target = Target(system, system)
        conn.execute(render_script(compile_schema(project.system, target), target, "system"))
        report.system_tables = _count(conn, system)
        for slug, wanted in tenants.items():
            tenant = SandboxTenant(slug, project.settings.tenant_schema_prefix + slug,
                                   resolve_modules(project, wanted))
            started = time.perf_counter()
            with conn.transaction():
                t_target = Target(tenant.schema, system)
                model = tenant_model(project, tenant.modules)
                conn.execute(render_script(compile_schema(model, t_target), t_target, slug))
                _register(conn, project, tenant)
            tenant.seconds = time.perf_counter() - started
            tenant.tables = _count(conn, tenant.schema)
            report.tenants.append(tenant)
    return report


def _count(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> int:
    row = conn.execute(COUNT_TABLES, (schema,)).fetchone()
    return int(str(row[0])) if row else 0
