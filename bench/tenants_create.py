"""Benchmark `tenants create` throughput against the floor of running the compiled script.

Starts a throwaway PostgreSQL with the server's default settings (durability on), applies
the Zplus system schema through the engine, then in alternating rounds:

  (engine) `tenants create SLUG --modules <all>` in-process: validation, the engine's plan
           for the new schema (scratch normalization, introspection), one transaction with
           DDL, registry rows, reference data and the ledger row;
  (floor)  the compiled tenant script (`compile tenant`, the same DDL, roles and grants)
           plus the registry rows, one transaction per tenant through one connection —
           what a hand-written provisioning script would do, with no checks at all.

Machines are shared and noisy: the figure to report is engine / floor time for the same
number of tenants in the same run. Run from the repository root:

    python bench/tenants_create.py [--tenants 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.zplus import zplus  # noqa: E402
from zplus_schema.apply import ApplyOptions, apply_plan  # noqa: E402
from zplus_schema.compile.scripts import tenant_script  # noqa: E402
from zplus_schema.fleet import DEFAULT_SERVER, FleetConfig, Server  # noqa: E402
from zplus_schema.fleet.tenant_context import TenantFleet  # noqa: E402
from zplus_schema.fleet.tenants import create_tenant  # noqa: E402
from zplus_schema.live.planner import PlanRequest, make_plan  # noqa: E402
from zplus_schema.plan.step import Hazard  # noqa: E402
from zplus_schema.server import ThrowawayServer  # noqa: E402

REGISTER = """
WITH t AS (INSERT INTO public.tenants (slug, name) VALUES (%(slug)s, %(slug)s) RETURNING id),
     s AS (INSERT INTO public.tenant_schemas (tenant_id, schema_name, database_name)
           SELECT id, %(schema)s, current_database() FROM t)
INSERT INTO public.tenant_modules (tenant_id, module_id)
SELECT t.id, m.id FROM t, public.modules m WHERE m.name = ANY(%(modules)s)
"""


def apply_system(dsn: str) -> None:
    """Apply the system target through the engine, as a deployment does."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        plan = make_plan(conn, zplus(), PlanRequest(("system",)))
    options = ApplyOptions(allow=frozenset({Hazard.CHANGES_AUTHORIZATION}))
    (result,) = apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, options)
    assert result.outcome == "applied", result.error


def engine_round(dsn: str, slugs: list[str], modules: list[str]) -> float:
    """Create the tenants with `tenants create`; return the seconds it took."""
    config = FleetConfig(DEFAULT_SERVER, {DEFAULT_SERVER: Server(DEFAULT_SERVER, dsn)})
    fleet = TenantFleet(zplus(), config)
    started = time.perf_counter()
    try:
        for slug in slugs:
            assert create_tenant(fleet, slug, slug, modules).changed
    finally:
        fleet.close()
    return time.perf_counter() - started


def floor_round(dsn: str, slugs: list[str], modules: list[str]) -> float:
    """Run the compiled script and the registry rows per tenant; return the seconds."""
    project = zplus().project
    scripts = {s: tenant_script(project, f"tenant_{s}", modules) for s in slugs}  # untimed
    with psycopg.connect(dsn, autocommit=True) as conn:
        started = time.perf_counter()
        for slug in slugs:
            with conn.transaction():
                conn.execute(scripts[slug].encode())  # a script, not a parameterized query
                conn.execute(REGISTER, {"slug": slug, "schema": f"tenant_{slug}",
                                        "modules": modules})
        return time.perf_counter() - started


def drop_floor(dsn: str, slugs: list[str]) -> None:
    """Remove the floor's tenants again (untimed), so both sides meet the same catalog."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        for slug in slugs:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(
                sql.Identifier(f"tenant_{slug}")))
            conn.execute("DELETE FROM public.tenants WHERE slug = %s", (slug,))


def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=20, help="tenants per round and side")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    modules = list(zplus().project.module_names)
    with ThrowawayServer(fast=False) as server:
        dsn = server.dsn()
        apply_system(dsn)
        engine_create_once(dsn, modules)  # the module catalogue rows the floor registers
        engine, floor = [], []
        for i in range(args.repeat):
            e_slugs = [f"e{i}_{j:03d}" for j in range(args.tenants)]
            f_slugs = [f"f{i}_{j:03d}" for j in range(args.tenants)]
            if i % 2:  # alternate which side runs first
                floor.append(floor_round(dsn, f_slugs, modules))
                engine.append(engine_round(dsn, e_slugs, modules))
            else:
                engine.append(engine_round(dsn, e_slugs, modules))
                floor.append(floor_round(dsn, f_slugs, modules))
            drop_floor(dsn, f_slugs)
            print(f"round {i + 1}: engine {args.tenants / engine[-1]:.2f} tenants/s, "
                  f"floor {args.tenants / floor[-1]:.2f} tenants/s, "
                  f"ratio engine/floor {engine[-1] / floor[-1]:.2f}", flush=True)
        e, f = statistics.median(engine), statistics.median(floor)
        print(f"PostgreSQL {server.version}, server defaults, {args.tenants} tenants per round "
              f"and side, all modules, {args.repeat} rounds")
        print(f"median: engine {args.tenants / e:.2f} tenants/s, floor {args.tenants / f:.2f} "
              f"tenants/s, ratio engine/floor {e / f:.2f}")


def engine_create_once(dsn: str, modules: list[str]) -> None:
    """Create one tenant untimed: fills the module catalogue and warms the caches."""
    engine_round(dsn, ["warmup"], modules)


if __name__ == "__main__":
    main()
