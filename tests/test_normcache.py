"""Normalized models are remembered under the state outside the tenants, and only then."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.fleetutil import prepare_server, project_copy, register
from zplus_schema.fleet import load_config
from zplus_schema.fleet.grouping import FleetPlan, plan_fleet
from zplus_schema.fleet.inventory import take_inventory
from zplus_schema.live import normalize, normcache
from zplus_schema.load import load
from zplus_schema.model import SchemaModel, fingerprint

Conn = psycopg.Connection[tuple[object, ...]]
LEDGER = Path(normalize.__file__).parent.parent / "apply" / "sql" / "ledger_create.sql"


def plan(root: Path, dsn: str) -> FleetPlan:
    """Plan the fleet with the project under `root`."""
    loaded = load(root)
    config = load_config(root, dsn)
    return plan_fleet(config, loaded, take_inventory(config, loaded.project))


def steps(fleet: FleetPlan) -> list[tuple[str, list[str], str]]:
    """Return each group's first tenant, its statements and desired fingerprint."""
    out = []
    for g in fleet.groups:
        p = g.plan_for(g.tenants[0])
        out.append((g.tenants[0].record.slug, [s.sql for s in p.steps], p.fingerprint_desired))
    return out


def test_a_fleet_plan_normalizes_once_and_plans_the_same(
        tmp_path: Path, db_conn: Conn, db_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_server(db_conn)
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    for slug, modules in (("a", ["crm"]), ("b", ["crm"]), ("c", ["pos"])):
        register(db_conn, slug, modules)
    root = project_copy(tmp_path / "changed", change=True)
    loads: list[str] = []
    real = normalize._load

    def spy(conn: Conn, model: SchemaModel, schema: str, system: str) -> None:
        loads.append(schema)
        real(conn, model, schema, system)

    monkeypatch.setattr(normalize, "_load", spy)
    monkeypatch.setattr(normcache, "_MEMORY", {})
    first = plan(root, db_dsn)
    assert loads  # two groups (crm, pos): desired and live rebuilt in scratch schemas
    monkeypatch.setattr(normcache, "_MEMORY", {})  # a new process: from the table
    loads.clear()
    second = plan(root, db_dsn)
    assert loads == []
    assert steps(second) == steps(first)
    assert all(s for _, s, _ in steps(first))
    # The system schema changes: what was remembered no longer applies.
    db_conn.execute("CREATE FUNCTION public.normcache_probe() RETURNS int LANGUAGE sql "
                    "AS 'SELECT 1'")
    third = plan(root, db_dsn)
    assert loads and steps(third) == steps(first)


def test_a_remembered_model_reads_back_equal(db_conn: Conn) -> None:
    prepare_server(db_conn)
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    schema = register(db_conn, "a", ["crm", "pos"])
    live = normalize.introspect(db_conn, [schema])[schema].model
    cache = normcache.norm_cache(db_conn, "outside", "public", schema)
    cache.put("live", live, live)
    normcache._MEMORY.clear()
    again = cache.get("live", live)
    assert again == live and fingerprint(again) == fingerprint(live)
    other = normcache.norm_cache(db_conn, "moved", "public", schema)
    assert other.get("live", live) is None
