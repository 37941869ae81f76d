"""Database-to-database diff: both sides introspected, compared schema by schema."""

from __future__ import annotations

import psycopg

from ..compile import Target
from ..errors import ZplusError
from ..ident import quote_ident
from ..introspect import introspect
from ..model import SchemaModel, fingerprint
from ..plan.builder import plan_schema
from ..plan.document import Plan, PlanStep, TargetPlan
from ..plan.step import Hazard

Conn = psycopg.Connection[tuple[object, ...]]

USER_SCHEMAS = """
SELECT nspname FROM pg_catalog.pg_namespace
 WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'
   AND nspname NOT IN ('zplus_meta')
 ORDER BY nspname
"""


def user_schemas(conn: Conn) -> list[str]:
    """Return the schemas a user owns data in (not catalogs, not the tool's ledger)."""
    return [str(r[0]) for r in conn.execute(USER_SCHEMAS).fetchall()]


def diff_databases(src: Conn, dst: Conn, schemas: list[str]) -> Plan:
    """Return the plan that turns `src` into `dst` for the given (or all) schemas."""
    src_all, dst_all = user_schemas(src), user_schemas(dst)
    missing = [s for s in schemas if s not in src_all and s not in dst_all]
    if missing:
        raise ZplusError(f"schema {', '.join(missing)} exists in neither database",
                         hint="check the --schema names (they are case-sensitive)")
    names = schemas or sorted(set(src_all) | set(dst_all))
    before = introspect(src, [s for s in names if s in src_all])
    after = introspect(dst, [s for s in names if s in dst_all])
    plan = Plan()
    for name in names:
        old = before[name].model if name in before else SchemaModel()
        new = after[name].model if name in after else SchemaModel()
        steps = [PlanStep.of(s) for s in plan_schema(old, new, Target(name))]
        if name not in before:
            steps.insert(0, PlanStep(sql=f"CREATE SCHEMA {quote_ident(name)}",
                                     object=f"schema {name}", action="create"))
        if name not in after:
            steps.append(PlanStep(sql=f"DROP SCHEMA {quote_ident(name)}",
                                  object=f"schema {name}", action="drop",
                                  hazards=[Hazard.DELETES_DATA.value]))
        unmanaged = [f"{u.kind} {u.name}" for side in (before, after) if name in side
                     for u in side[name].unmanaged]
        plan.targets.append(TargetPlan(
            target=f"schema:{name}", schema_name=name,
            fingerprint_live=fingerprint(old) if name in before else "absent",
            fingerprint_desired=fingerprint(new), steps=steps, unmanaged=sorted(set(unmanaged))))
    return plan
