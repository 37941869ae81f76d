"""A tenant's schema through the engine: plan its module set, run the plan in a transaction.

The DDL always comes from the engine's plan (live/planner.make_plan); this module only runs
the planned statements inside the operation's own transaction, so that registry rows,
schema changes and reference data commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import sql

from ..apply.executor import check_hazards
from ..errors import ZplusError
from ..live.planner import PlanRequest, make_plan
from ..plan import Hazard, Plan
from ..plan.document import TargetPlan
from .stamps import shared_stamp
from .tenant_context import Conn, TenantFleet


@dataclass(frozen=True)
class SchemaState:
    """A tenant schema compared with its definitions: live fingerprint and pending steps."""

    fingerprint: str  # "absent" when the schema does not exist
    steps: int

    @property
    def in_sync(self) -> bool:
        """Return True when the plan for the schema is empty."""
        return self.steps == 0


def plan_tenant(conn: Conn, fleet: TenantFleet, slug: str,
                modules: Sequence[str]) -> Plan:
    """Return the engine's plan making tenant `slug` match the template plus `modules`.

    The normalized model is remembered under the state outside the tenants (one catalog
    scan, a fraction of normalizing): the next tenant with these modules reuses it.
    """
    outside = shared_stamp(conn, fleet.loaded.project)
    return make_plan(conn, fleet.loaded,
                     PlanRequest((f"tenant:{slug}",), list(modules), outside=outside))


def run_plan_here(conn: Conn, fleet: TenantFleet, plan: Plan,
                  allow: frozenset[Hazard] = frozenset()) -> list[str]:
    """Run a tenant plan inside the caller's open transaction; return the statements run.

    Refuses hazards not allowed, like apply. Steps that cannot run in a transaction
    (CONCURRENTLY) never appear for a new schema or new tables; they are refused here
    rather than half-applied.
    """
    check_hazards(plan, allow)
    (tp,) = plan.targets
    _guard_transactional(tp)
    _session(conn, tp.schema_name, fleet.system_schema)
    for step in tp.steps:
        conn.execute(step.sql)  # the engine's planned statement, the reviewed artifact
    return [s.sql for s in tp.steps]


def _guard_transactional(tp: TargetPlan) -> None:
    outside = [s.object for s in tp.steps if not s.transactional]
    if outside:
        raise ZplusError(f"{tp.target}: the plan has steps that cannot run in a transaction: "
                         f"{', '.join(outside[:3])}",
                         hint=f"run `apply --target {tp.target}` first, then retry")


def _session(conn: Conn, schema: str, system: str) -> None:
    """Set search_path for the transaction the way apply does (tenant, then system)."""
    path = sql.SQL(", ").join(
        [sql.Identifier(s) for s in dict.fromkeys((schema, system))]).as_string(conn)
    for name, value in (("search_path", path), ("check_function_bodies", "off")):
        conn.execute("SELECT pg_catalog.set_config(%s, %s, true)", (name, value))


def schema_state(conn: Conn, fleet: TenantFleet, slug: str,
                 modules: Sequence[str]) -> SchemaState:
    """Return the live fingerprint of a tenant schema and how many steps it lacks."""
    (tp,) = plan_tenant(conn, fleet, slug, modules).targets
    return SchemaState(tp.fingerprint_live, len(tp.steps))
