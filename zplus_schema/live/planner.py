"""Plan targets against a live database: desired (normalized) vs live, per target."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from ..compile import Target
from ..compile.types import create_extension
from ..errors import ZplusError
from ..load import Loaded
from ..model import fingerprint
from ..plan.builder import plan_schema
from ..plan.context import PlanOptions
from ..plan.document import Plan, PlanStep, TargetPlan
from .normalize import canonical_live, missing_foreign_extensions, normalize_and_read
from .normcache import norm_cache
from .security import plan_security
from .targets import TargetSpec, desired_model, parse_target, registered_modules


@dataclass(frozen=True)
class PlanRequest:
    """What to plan: targets, module override, and statement options."""

    targets: tuple[str, ...]
    modules: list[str] | None = None  # None: from the registry, else all modules
    options: PlanOptions = field(default_factory=PlanOptions)
    # The state outside the target (the shared part of the fleet's change stamps): when
    # given, normalized models are remembered under it (normcache.py).
    outside: str | None = None


def _renames(loaded: Loaded, spec: TargetSpec) -> dict[tuple[str, ...], str]:
    groups = ["system"] if spec.kind == "system" else [
        g for g in loaded.origins if g == "tenant" or g.startswith("module:")]
    out: dict[tuple[str, ...], str] = {}
    for g in groups:
        out.update(loaded.origins[g].renames)
    return out


def schema_exists(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> bool:
    """Return True when the schema exists on the server."""
    row = conn.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s",
                       (schema,)).fetchone()
    return row is not None


def plan_target(conn: psycopg.Connection[tuple[object, ...]], loaded: Loaded,
                spec: TargetSpec, request: PlanRequest, bind: str | None = None) -> TargetPlan:
    """Return the plan of one target.

    `bind`, when given, is the schema name written into the statements instead of the
    target's own: the fleet plans one schema and re-targets the statements to its twins.
    """
    project = loaded.project
    modules = request.modules
    if modules is None and spec.slug is not None:
        modules = registered_modules(conn, project, spec.slug)
    desired = desired_model(project, spec, modules)
    system = project.settings.system_schema
    exists = schema_exists(conn, spec.schema)
    cache = (norm_cache(conn, request.outside, system, spec.schema)
             if request.outside is not None else None)
    normalized, live = normalize_and_read(conn, desired, [spec.schema] if exists else [],
                                          system, spec.schema, cache)
    live_model = live[spec.schema].model if exists else type(normalized)()
    target = Target(bind or spec.schema, system)
    renames = _renames(loaded, spec)
    steps = plan_schema(live_model, normalized, target, renames, request.options)
    if steps and exists:
        # Differences may be spelling only (objects made outside the tool): compare with
        # the live schema as PostgreSQL renders it when rebuilt from its own text.
        canonical = canonical_live(conn, live_model, system, spec.schema, cache)
        steps = plan_schema(canonical, normalized, target, renames, request.options)
    stored = [PlanStep(sql=st.sql, object=f"extension {e.name}", action="create")
              for e in missing_foreign_extensions(conn, desired, spec.schema)
              for st in create_extension(e, target)]
    created = frozenset(s.key for s in steps if s.kind == "function" and s.action == "create")
    security = plan_security(conn, project, spec, normalized, exists, created)
    stored += [PlanStep.of(s) for s in security.before + steps + security.after]
    if not exists:
        from ..ident import quote_ident

        stored.insert(0, PlanStep(sql=f"CREATE SCHEMA {quote_ident(bind or spec.schema)}",
                                  object=f"schema {bind or spec.schema}", action="create"))
    unmanaged = [f"{u.kind} {u.name}" for u in live[spec.schema].unmanaged] if exists else []
    unmanaged += security.unmanaged
    return TargetPlan(target=spec.label, schema_name=spec.schema,
                      fingerprint_live=fingerprint(live_model) if exists else "absent",
                      fingerprint_desired=fingerprint(normalized), steps=stored,
                      unmanaged=unmanaged)


def make_plan(conn: psycopg.Connection[tuple[object, ...]], loaded: Loaded,
              request: PlanRequest) -> Plan:
    """Return the plan of every requested target."""
    if not request.targets:
        raise ZplusError("no target given", hint="use --target system|tenant:SLUG|schema:NAME")
    specs = [parse_target(t, loaded.project) for t in request.targets]
    return Plan(targets=[plan_target(conn, loaded, s, request) for s in specs])


def live_fingerprint(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> str:
    """Return the fingerprint of a live schema ("absent" when it does not exist)."""
    from ..introspect import introspect

    if not schema_exists(conn, schema):
        return "absent"
    return fingerprint(introspect(conn, [schema])[schema].model)
