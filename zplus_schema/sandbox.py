"""Run the project on a throwaway local PostgreSQL: the embedded default of the CLI.

It proves the definitions end to end without any server of the user's: the system schema
is planned and applied by the engine, tenants are registered the way the application
registers them, the fleet plan (tenants grouped by state and modules, one plan per group)
is shown and applied by the fleet runner, and a final drift check must find everything in
sync. A project without the registry tables gets each tenant planned and applied alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from .apply import ApplyOptions, apply_plan
from .fleet.grouping import plan_fleet
from .fleet.inventory import take_inventory
from .fleet.report import render_fleet_text
from .fleet.runner import RunOptions, run_fleet
from .fleet.servers import DEFAULT_SERVER, FleetConfig, Server
from .live.planner import PlanRequest, make_plan
from .load import Loaded
from .model import Project
from .plan.step import Hazard
from .server import ThrowawayServer

Conn = psycopg.Connection[tuple[object, ...]]
# A throwaway server has no one to lock out: creating the roles, grants and RLS of
# policies/ is what the sandbox is for.
SANDBOX_ALLOWS = frozenset({Hazard.CHANGES_AUTHORIZATION})
COUNT_TABLES = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = %s"


@dataclass
class SandboxTenant:
    """One tenant created in the sandbox."""

    slug: str
    schema: str
    modules: list[str]
    tables: int = 0
    statements: int = 0
    seconds: float = 0.0


@dataclass
class SandboxReport:
    """What the sandbox run created."""

    server_version: int = 0
    system_tables: int = 0
    system_statements: int = 0
    tenants: list[SandboxTenant] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)


def _registers_tenants(project: Project) -> bool:
    tables = {t.name for t in project.system.tables}
    return {"tenants", "tenant_schemas", "modules", "tenant_modules"} <= tables


def _register(conn: Conn, project: Project, tenant: SandboxTenant) -> None:
    """Record the tenant and its modules in the Zplus registry tables, when they exist."""
    if not _registers_tenants(project):
        return
    ident = sql.Identifier(project.settings.system_schema)
    row = conn.execute(sql.SQL("INSERT INTO {}.tenants (slug, name) VALUES (%s, %s) "
                               "RETURNING id").format(ident),
                       (tenant.slug, tenant.slug.title())).fetchone()
    assert row is not None
    conn.execute(sql.SQL("INSERT INTO {}.tenant_schemas (tenant_id, schema_name, database_name)"
                         " VALUES (%s, %s, current_database())").format(ident),
                 (row[0], tenant.schema))
    for name in tenant.modules:
        module = project.module(name)
        conn.execute(sql.SQL(
            "INSERT INTO {s}.modules (name, display_name, version) VALUES (%s, %s, %s) "
            "ON CONFLICT (name) DO NOTHING").format(s=ident),
            (name, module.display_name if module else name,
             module.version if module and module.version else "0"))
        conn.execute(sql.SQL(
            "INSERT INTO {s}.tenant_modules (tenant_id, module_id) "
            "SELECT %s, id FROM {s}.modules WHERE name = %s").format(s=ident), (row[0], name))


def _apply(dsn: str, conn: Conn, loaded: Loaded, target: str,
           modules: list[str] | None = None) -> int:
    plan = make_plan(conn, loaded, PlanRequest((target,), modules))
    opts = ApplyOptions(allow=SANDBOX_ALLOWS, system_schema=loaded.project.settings.system_schema)
    (result,) = apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, opts)
    if result.outcome not in ("applied", "noop"):
        raise RuntimeError(f"{target}: {result.outcome}: {result.error}")
    return result.statements


def run_sandbox(loaded: Loaded, tenants: dict[str, list[str]],
                echo: Callable[[str], None] = print) -> SandboxReport:
    """Start a throwaway server, apply the system schema and the tenants, check for drift."""
    project = loaded.project
    report = SandboxReport()
    system = project.settings.system_schema
    with ThrowawayServer(fast=True) as server, psycopg.connect(
        server.dsn(), autocommit=True
    ) as conn:
        report.server_version = server.version
        echo(f"started throwaway PostgreSQL {server.version} at {server.dsn()}")
        report.system_statements = _apply(server.dsn(), conn, loaded, "system")
        report.system_tables = _count(conn, system)
        report.tenants = [SandboxTenant(slug, project.settings.tenant_schema_prefix + slug,
                                        wanted) for slug, wanted in tenants.items()]
        if _registers_tenants(project):
            _fleet_tenants(server.dsn(), conn, loaded, report.tenants, echo)
        else:
            _each_tenant(server.dsn(), conn, loaded, report.tenants)
        system_plan = make_plan(conn, loaded, PlanRequest(("system",))).targets[0]
        report.drift.append(f"system: {'in sync' if system_plan.empty else 'drifted'}")
        for t in report.tenants:
            tp = make_plan(conn, loaded, PlanRequest((f"tenant:{t.slug}",), t.modules)).targets[0]
            report.drift.append(f"tenant:{t.slug}: {'in sync' if tp.empty else 'drifted'}")
    return report


def _each_tenant(dsn: str, conn: Conn, loaded: Loaded, tenants: list[SandboxTenant]) -> None:
    """Plan and apply each tenant on its own (no registry to run the fleet from)."""
    for tenant in tenants:
        started = time.perf_counter()
        tenant.statements = _apply(dsn, conn, loaded, f"tenant:{tenant.slug}", tenant.modules)
        tenant.seconds = time.perf_counter() - started
        tenant.tables = _count(conn, tenant.schema)


def _fleet_tenants(dsn: str, conn: Conn, loaded: Loaded, tenants: list[SandboxTenant],
                   echo: Callable[[str], None]) -> None:
    """Register the tenants, show the grouped fleet plan, apply it with the fleet runner."""
    for tenant in tenants:
        _register(conn, loaded.project, tenant)
    config = FleetConfig(DEFAULT_SERVER, {DEFAULT_SERVER: Server(DEFAULT_SERVER, dsn)})
    fleet = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    for line in render_fleet_text(fleet).splitlines():
        if not line.startswith(("    ", "  SQL")):  # the SQL is what `plan` shows
            echo(line)
    opts = RunOptions(ApplyOptions(allow=SANDBOX_ALLOWS,
                                   system_schema=loaded.project.settings.system_schema),
                      jobs=2, retries=0)
    outcomes = {o.tenant.record.slug: o for o in run_fleet(config, fleet, opts, lambda o: None)}
    for tenant in tenants:
        outcome = outcomes[tenant.slug]
        if outcome.outcome not in ("applied", "noop"):
            raise RuntimeError(f"tenant:{tenant.slug}: {outcome.outcome}: {outcome.error}")
        tenant.statements, tenant.seconds = outcome.statements, outcome.seconds
        tenant.tables = _count(conn, tenant.schema)
    echo(f"fleet apply: {len(outcomes)} tenant(s) applied in {len(fleet.groups)} group(s)")


def _count(conn: Conn, schema: str) -> int:
    row = conn.execute(COUNT_TABLES, (schema,)).fetchone()
    return int(str(row[0])) if row else 0
