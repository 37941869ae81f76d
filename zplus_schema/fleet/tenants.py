"""Tenant lifecycle: create, suspend/resume, enable/disable modules, reference data sync.

Every operation validates its names before connecting, runs in one transaction per server
(see tenant_context.both) and records a ledger row `tenant:SLUG` whose SQL starts with
`-- tenants OPERATION ...`. The schema's DDL always comes from the engine's plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..apply.ledger import ensure_ledger
from ..ident import slug_problem
from ..model import resolve_modules
from ..plan import Hazard
from . import tenant_registry as reg
from .refdata import (
    load_refdata,
    module_catalogue_drift,
    module_rows,
    sync_module_catalogue,
    sync_tenant_data,
    tenant_data_drift,
    tenant_rows,
)
from .tenant_context import (
    Conn,
    Operation,
    TenantFleet,
    TenantRefused,
    both,
    drop_schema,
    lock_tenant,
    record_failure,
    record_op,
    schema_exists,
)
from .tenant_schema import plan_tenant, run_plan_here

# A new tenant (or a newly enabled module) gets the role and grants policies/ declares for
# it: granting them is what provisioning means, so that hazard needs no flag here. Every
# other hazard (a drop, a rewrite) still has to be allowed by the caller.
PROVISIONING = frozenset({Hazard.CHANGES_AUTHORIZATION})


def check_slug(slug: str) -> None:
    """Refuse a slug that is not `^[a-z][a-z0-9_]{0,47}$` before anything is touched."""
    if problem := slug_problem(slug):
        raise TenantRefused(problem, hint="slugs are lower-case letters, digits and _, "
                                          "starting with a letter, at most 48 characters")


def check_modules(fleet: TenantFleet, names: Sequence[str]) -> list[str]:
    """Refuse module names the project does not define; return them with their dependencies."""
    project = fleet.loaded.project
    unknown = [n for n in names if project.module(n) is None]
    if unknown:
        raise TenantRefused(f"unknown module{'s' if len(unknown) > 1 else ''}: "
                            f"{', '.join(repr(n) for n in unknown)}",
                            hint=f"modules: {', '.join(project.module_names)}")
    return resolve_modules(project, list(names))


@dataclass
class Outcome:
    """What an operation did: its lines for the terminal."""

    changed: bool
    lines: list[str] = field(default_factory=list)


def create_tenant(fleet: TenantFleet, slug: str, name: str, modules: Sequence[str],
                  server: str | None = None) -> Outcome:
    """Register a tenant and build its schema, modules and reference data, all or nothing."""
    check_slug(slug)
    if not name.strip():
        raise TenantRefused("the tenant name is empty", hint="pass --name 'Display Name'")
    wanted = check_modules(fleet, modules)
    server = server or fleet.config.registry
    fleet.config.server(server)
    schema = fleet.schema_of(slug)
    registry, conn = fleet.registry, fleet.conn(server)
    op = Operation(slug, schema, f"create {slug} modules={','.join(wanted)} server={server}",
                   fingerprint_before="absent")
    try:
        with both(registry, conn):
            _lock(fleet, slug, schema, conn)
            _refuse_existing(fleet, slug, schema, conn)
            database = _build(fleet, conn, slug, wanted, op)
            reg.register(registry, fleet.system_schema, reg.NewTenant(
                slug, name, schema, server, database, wanted))
            _record(conn, op)
    except TenantRefused:
        raise
    except Exception as exc:
        _undo_unregistered(fleet, slug, schema, conn)
        record_failure(conn, op, exc)
        raise
    rows = sum(1 for s in op.statements if s.startswith("-- upsert"))
    return Outcome(True, [f"created tenant {slug} (schema {schema} on {server}, modules: "
                          f"{', '.join(wanted) or 'none'}; {len(op.statements) - rows} "
                          f"statements, {rows} reference rows)"])


def _lock(fleet: TenantFleet, slug: str, schema: str, conn: Conn) -> None:
    lock_tenant(fleet.registry, slug, schema)
    if conn is not fleet.registry:
        lock_tenant(conn, slug, schema)


def _refuse_existing(fleet: TenantFleet, slug: str, schema: str, conn: Conn) -> None:
    if reg.is_registered(fleet.registry, fleet.system_schema, slug):
        raise TenantRefused(f"tenant {slug} already exists", hint="tenants show " + slug)
    if schema_exists(conn, schema):
        raise TenantRefused(f"schema {schema} already exists but no tenant {slug} is registered",
                            hint="drop or rename the stray schema, or restore the tenant")


def _build(fleet: TenantFleet, conn: Conn, slug: str, modules: Sequence[str],
           op: Operation) -> str:
    """Create the schema through the engine and fill its reference data; return the db name."""
    ref = load_refdata(fleet.loaded.root, fleet.loaded.project)
    sync_module_catalogue(fleet.registry, fleet.system_schema,
                          module_rows(fleet.loaded.project, ref))
    plan = plan_tenant(conn, fleet, slug, modules)
    op.statements += run_plan_here(conn, fleet, plan, PROVISIONING)
    op.fingerprint_after = plan.targets[0].fingerprint_desired
    rows = tenant_rows(fleet.loaded.project, ref, modules)
    op.statements += [f"-- upsert {line}" for line in
                      sync_tenant_data(conn, fleet.schema_of(slug), rows)]
    row = conn.execute("SELECT pg_catalog.current_database()").fetchone()
    assert row is not None
    return str(row[0])


def _record(conn: Conn, op: Operation) -> None:
    ensure_ledger(conn)
    record_op(conn, op)


def _undo_unregistered(fleet: TenantFleet, slug: str, schema: str, conn: Conn) -> None:
    """Drop a schema made on another server when its registration then failed."""
    if conn is fleet.registry or conn.closed or fleet.registry.closed:
        return
    try:
        if schema_exists(conn, schema) and not reg.is_registered(
                fleet.registry, fleet.system_schema, slug):
            drop_schema(conn, schema)
    except Exception:  # cleanup must not hide the original failure
        pass


def set_status(fleet: TenantFleet, slug: str, status: str) -> Outcome:
    """Set a tenant's status (suspend: `suspended`, resume: `active`)."""
    check_slug(slug)
    rec = fleet.tenant(slug)
    op = Operation(slug, rec.schema, f"set-status {slug} {rec.status}->{status}")
    with fleet.registry.transaction():
        lock_tenant(fleet.registry, slug, rec.schema)
        changed = reg.set_status(fleet.registry, fleet.system_schema, slug, status)
        if changed:
            op.statements.append(f"-- tenants.status = {status}")
            _record(fleet.registry, op)
    return Outcome(changed, [f"tenant {slug} is {status}" if changed
                             else f"tenant {slug} was already {status}"])


def enable_module(fleet: TenantFleet, slug: str, module: str) -> Outcome:
    """Enable a module: register it, add its tables through the engine, sync its permissions."""
    check_slug(slug)
    check_modules(fleet, [module])
    rec = fleet.tenant(slug)
    conn = fleet.conn(rec.server)
    op = Operation(slug, rec.schema, f"enable-module {slug} {module}")
    try:
        with both(fleet.registry, conn):
            _lock(fleet, slug, rec.schema, conn)
            rows = reg.module_rows(fleet.registry, fleet.system_schema, slug)
            enabled = resolve_modules(fleet.loaded.project,
                                      [m for m, on in rows.items() if on] + [module])
            kept = sorted(set(enabled) | set(rows))
            _build_modules(fleet, conn, slug, kept, enabled, op)
            for name in enabled:
                reg.set_module(fleet.registry, fleet.system_schema, rec.id, name, True)
            _record(conn, op)
    except TenantRefused:
        raise
    except Exception as exc:
        record_failure(conn, op, exc)
        raise
    return Outcome(True, [f"enabled {module} for {slug} ({len(op.statements)} statements)"])


def _build_modules(fleet: TenantFleet, conn: Conn, slug: str, kept: Sequence[str],
                   enabled: Sequence[str], op: Operation,
                   allow: frozenset[Hazard] = frozenset()) -> None:
    ref = load_refdata(fleet.loaded.root, fleet.loaded.project)
    sync_module_catalogue(fleet.registry, fleet.system_schema,
                          module_rows(fleet.loaded.project, ref))
    plan = plan_tenant(conn, fleet, slug, kept)
    op.fingerprint_before = plan.targets[0].fingerprint_live
    op.statements += run_plan_here(conn, fleet, plan, allow | PROVISIONING)
    op.fingerprint_after = plan.targets[0].fingerprint_desired
    op.statements += [f"-- upsert {line}" for line in sync_tenant_data(
        conn, fleet.schema_of(slug), tenant_rows(fleet.loaded.project, ref, enabled))]


def disable_module(fleet: TenantFleet, slug: str, module: str, drop_data: bool = False,
                   allow: frozenset[Hazard] = frozenset()) -> Outcome:
    """Disable a module; its tables and data stay unless drop_data and deletes_data allowed."""
    check_slug(slug)
    check_modules(fleet, [module])
    if drop_data and Hazard.DELETES_DATA not in allow:
        raise TenantRefused(f"dropping {module}'s tables of {slug} deletes their data",
                            hint="add --allow-hazard deletes_data (take a backup first)")
    rec = fleet.tenant(slug)
    conn = fleet.conn(rec.server)
    op = Operation(slug, rec.schema, f"disable-module {slug} {module}"
                   + (" drop-data" if drop_data else ""))
    try:
        with both(fleet.registry, conn):
            _lock(fleet, slug, rec.schema, conn)
            rows = reg.module_rows(fleet.registry, fleet.system_schema, slug)
            _refuse_disable(fleet, slug, module, rows, drop_data)
            if drop_data:
                kept = sorted(set(rows) - {module})
                enabled = [m for m in kept if rows[m]]
                _build_modules(fleet, conn, slug, kept, enabled, op, allow)
                reg.forget_module(fleet.registry, fleet.system_schema, rec.id, module)
            else:
                reg.set_module(fleet.registry, fleet.system_schema, rec.id, module, False)
                op.statements.append(f"-- tenant_modules.{module}.is_enabled = false")
            _record(conn, op)
    except TenantRefused:
        raise
    except Exception as exc:
        record_failure(conn, op, exc)
        raise
    what = "dropped its tables" if drop_data else "its tables and data are kept"
    return Outcome(True, [f"disabled {module} for {slug}: {what}"])


def _refuse_disable(fleet: TenantFleet, slug: str, module: str, rows: dict[str, bool],
                    drop_data: bool) -> None:
    if module not in rows or (not rows[module] and not drop_data):
        raise TenantRefused(f"module {module} is not enabled for tenant {slug}",
                            hint=f"tenants show {slug}")
    others = [m for m, on in rows.items() if on and m != module]
    needing = [m for m in others if module in resolve_modules(fleet.loaded.project, [m])]
    if needing:
        raise TenantRefused(f"module {module} is needed by {', '.join(needing)} of {slug}",
                            hint="disable those first")


def sync_data(fleet: TenantFleet, slugs: Sequence[str] | None,
              check: bool = False) -> dict[str, list[str]]:
    """Sync (or with check, only compare) reference data; return target -> changed rows."""
    ref = load_refdata(fleet.loaded.root, fleet.loaded.project)
    project = fleet.loaded.project
    catalogue = module_rows(project, ref)
    out: dict[str, list[str]] = {}
    with fleet.registry.transaction():
        out["system"] = (module_catalogue_drift if check else sync_module_catalogue)(
            fleet.registry, fleet.system_schema, catalogue)
    for rec in fleet.tenants(slugs):
        conn = fleet.conn(rec.server)
        rows = tenant_rows(project, ref, rec.modules)
        with conn.transaction():
            if check:
                out[f"tenant:{rec.slug}"] = tenant_data_drift(conn, rec.schema, rows)
                continue
            lock_tenant(conn, rec.slug, rec.schema)
            changed = sync_tenant_data(conn, rec.schema, rows)
            out[f"tenant:{rec.slug}"] = changed
            if changed:
                op = Operation(rec.slug, rec.schema, f"sync-data {rec.slug}",
                               statements=[f"-- upsert {line}" for line in changed])
                _record(conn, op)
    return out

