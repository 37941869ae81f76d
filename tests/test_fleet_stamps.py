"""Change stamps move with every managed change and stay put otherwise; the state cache
they guard gives the fingerprints a full read gives."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.fleetutil import prepare_server, project_copy, register
from tests.test_fleet_digest import CHANGES, ROLE_CHANGES, make_fleet, role_name
from tests.test_fleet_digest_runs import ALLOW
from tests.zplus import zplus
from zplus_schema.fleet import inventory as inventory_module
from zplus_schema.fleet import load_config, runner
from zplus_schema.fleet.access import tenant_role
from zplus_schema.fleet.grouping import plan_fleet
from zplus_schema.fleet.inventory import Inventory, take_inventory
from zplus_schema.fleet.runner import RunOptions, run_fleet
from zplus_schema.fleet.stamps import Stamp, read_stamps
from zplus_schema.fleet.state import fingerprints
from zplus_schema.load import load

Conn = psycopg.Connection[tuple[object, ...]]
LEDGER = Path(inventory_module.__file__).parent.parent / "apply" / "sql" / "ledger_create.sql"

# Changes outside the tenant schemas that a tenant's model can name: they move every stamp.
SHARED_CHANGES = {
    "system table renamed": "ALTER TABLE public.tenants RENAME TO tenants_x; "
                            "ALTER TABLE public.tenants_x RENAME TO tenants",
    "system type": "CREATE TYPE public.stamp_enum AS ENUM ('a')",
    "shared role": "ALTER ROLE zplus_digest_other CONNECTION LIMIT 7",
}
# What happens all day without changing any schema: none of it moves a stamp.
ROUTINE = [
    "INSERT INTO {s}.customers (name, email) VALUES ('n', 'n@example.com')",
    "VACUUM ANALYZE {s}.customers",
    "ANALYZE",
    "CREATE TEMPORARY TABLE stamp_tmp (id int)",
    "SELECT count(*) FROM {s}.customers",
]


def stamps(conn: Conn, schemas: dict[str, str]) -> dict[str, Stamp]:
    """Return schema -> stamp for the fleet, each with its declared tenant role."""
    names = list(schemas.values())
    return read_stamps(conn, zplus().project, names,
                       {s: tenant_role(zplus().project, s) for s in names}).by_schema


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_managed_change_moves_that_tenants_stamp_only(db_conn: Conn, change: str) -> None:
    schemas = make_fleet(db_conn)
    before = stamps(db_conn, schemas)
    b = schemas["b"]
    db_conn.execute(CHANGES[change].format(s=b, r=role_name(b)))
    after = stamps(db_conn, schemas)
    assert after[b].own != before[b].own, change
    for slug in ("a", "c"):
        assert after[schemas[slug]] == before[schemas[slug]], change


@pytest.mark.parametrize("change", sorted(ROLE_CHANGES))
def test_a_changed_tenant_role_moves_its_stamp(db_conn: Conn, change: str) -> None:
    schemas = make_fleet(db_conn)
    before = stamps(db_conn, schemas)
    role = role_name(schemas["b"])
    do, undo = ROLE_CHANGES[change]
    db_conn.execute(do.format(r=role))
    try:
        after = stamps(db_conn, schemas)
        assert after[schemas["b"]].own != before[schemas["b"]].own
        assert after[schemas["a"]] == before[schemas["a"]]
    finally:
        declared = tenant_role(zplus().project, schemas["b"])
        assert declared is not None
        db_conn.execute(f"COMMENT ON ROLE {role} IS $${declared.comment}$$")
        if undo:
            db_conn.execute(undo.format(r=role))


@pytest.mark.parametrize("change", sorted(SHARED_CHANGES))
def test_a_change_outside_the_tenants_moves_every_stamp(db_conn: Conn, change: str) -> None:
    schemas = make_fleet(db_conn)
    before = stamps(db_conn, schemas)
    db_conn.execute(SHARED_CHANGES[change])
    after = stamps(db_conn, schemas)
    for schema in schemas.values():
        assert after[schema].shared != before[schema].shared, change
        assert after[schema].own == before[schema].own, change


def test_routine_activity_and_other_tenants_move_no_stamp(db_conn: Conn) -> None:
    schemas = make_fleet(db_conn)
    before = stamps(db_conn, schemas)
    for statement in ROUTINE:
        db_conn.execute(statement.format(s=schemas["a"]))
    register(db_conn, "d", ["crm"])  # a new tenant: its schema, its role, its grants
    assert stamps(db_conn, schemas) == before
    assert read_stamps(db_conn, zplus().project, ["tenant_nope"], {}).by_schema == {}


def inventory(root: Path, dsn: str, full_read: bool = False) -> Inventory:
    """Take the fleet's inventory with the project under `root`."""
    loaded = load(root)
    return take_inventory(load_config(root, dsn), loaded.project, full_read=full_read)


def spy_full_reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the schemas each inventory reads in full (not vouched for by the cache)."""
    read_in_full: list[list[str]] = []
    real = inventory_module._read_full

    def spy(conn: Conn, todo: list[str], roles: dict[str, object]) -> object:
        read_in_full.append(sorted(todo))
        return real(conn, todo, roles)  # type: ignore[arg-type]

    monkeypatch.setattr(inventory_module, "_read_full", spy)
    return read_in_full


def test_the_cache_skips_unchanged_schemas_and_rereads_changed_ones(
        tmp_path: Path, db_conn: Conn, db_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    schemas = make_fleet(db_conn)
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    root = project_copy(tmp_path)
    read_in_full = spy_full_reads(monkeypatch)
    truth = fingerprints(db_conn, list(schemas.values()))
    first = inventory(root, db_dsn)
    second = inventory(root, db_dsn)
    assert read_in_full == [sorted(schemas.values()), []]
    for inv in (first, second):
        assert {t.record.schema: t.fingerprint for t in inv.tenants} == truth
    assert [t.access for t in first.tenants] == [t.access for t in second.tenants]
    # A change by hand: that schema alone is read again, and found changed.
    db_conn.execute(CHANGES["column comment"].format(s=schemas["b"]))
    third = inventory(root, db_dsn)
    assert read_in_full[-1] == [schemas["b"]]
    assert {t.record.schema: t.fingerprint for t in third.tenants} == fingerprints(
        db_conn, list(schemas.values()))
    # A grant by hand: not in the fingerprint, but in the access digest read again.
    db_conn.execute(CHANGES["grant to the tenant role"].format(
        s=schemas["c"], r=role_name(schemas["c"])))
    fourth = inventory(root, db_dsn)
    assert read_in_full[-1] == [schemas["c"]]
    access = {t.record.slug: t.access for t in fourth.tenants}
    assert access["c"] != access["a"]
    inventory(root, db_dsn, full_read=True)
    assert read_in_full[-1] == sorted(schemas.values())


def test_an_apply_remembers_its_tenants_unless_someone_else_wrote_meanwhile(
        tmp_path: Path, db_conn: Conn, db_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_server(db_conn)
    schemas = {slug: register(db_conn, slug, ["crm"]) for slug in ("a", "b", "c", "d")}
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    root = project_copy(tmp_path / "changed", change=True)
    loaded = load(root)
    config = load_config(root, db_dsn)
    fleet = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    real = runner._record_after

    def meanwhile(*args: object) -> None:
        # While the run applies: b's column becomes NOT NULL (a row rewritten by another
        # transaction, no count changes), c loses an index (rows deleted: no row version
        # left behind, but counts change).
        db_conn.execute(f"ALTER TABLE {schemas['b']}.customers ALTER COLUMN notes "
                        "SET NOT NULL")
        db_conn.execute(f"DROP INDEX {schemas['c']}.idx_customers_email")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_record_after", meanwhile)
    outcomes = run_fleet(config, fleet, RunOptions(ALLOW, jobs=2), lambda o: None)
    assert {o.outcome for o in outcomes} == {"applied"}
    noted = {o.tenant.record.slug for o in outcomes if o.notes}
    assert noted == {"b"}  # c's change left no row version: not remembered, not noted
    truth = fingerprints(db_conn, list(schemas.values()))
    rows = db_conn.execute("SELECT schema_name, fingerprint_after FROM zplus_meta.ledger "
                           "WHERE outcome = 'applied'").fetchall()
    assert {str(s): f for s, f in rows} == truth  # b and c read on their own
    assert truth[schemas["a"]] == truth[schemas["d"]] != truth[schemas["b"]]
    read_in_full = spy_full_reads(monkeypatch)
    after = inventory(root, db_dsn)
    assert read_in_full == [[schemas["b"], schemas["c"]]]  # a and d were remembered
    assert {t.record.schema: t.fingerprint for t in after.tenants} == truth


def test_a_run_that_planned_just_now_checks_the_inventorys_stamps_after_the_run(
        tmp_path: Path, db_conn: Conn, db_dsn: str) -> None:
    prepare_server(db_conn)
    schemas = {slug: register(db_conn, slug, ["crm"]) for slug in ("a", "b")}
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    root = project_copy(tmp_path / "changed", change=True)
    loaded = load(root)
    config = load_config(root, db_dsn)
    fleet = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    # Between the plan and the run (as `apply --all-tenants` does: no second read).
    db_conn.execute(f"COMMENT ON COLUMN {schemas['b']}.customers.notes IS 'by hand'")
    outcomes = run_fleet(config, fleet, RunOptions(ALLOW, recheck=False), lambda o: None)
    assert {o.tenant.record.slug: o.outcome for o in outcomes} == {"a": "applied",
                                                                    "b": "applied"}
    assert [o.tenant.record.slug for o in outcomes if o.notes] == ["b"]
    truth = fingerprints(db_conn, list(schemas.values()))
    rows = db_conn.execute("SELECT schema_name, fingerprint_after FROM zplus_meta.ledger "
                           "WHERE outcome = 'applied'").fetchall()
    assert {str(r[0]): r[1] for r in rows} == truth != {}
    assert truth[schemas["a"]] != truth[schemas["b"]]
    remembered = {str(r[0]): str(r[1]) for r in db_conn.execute(
        "SELECT schema_name, stamp FROM zplus_meta.fleet_state").fetchall()}
    live = {s: st.text for s, st in stamps(db_conn, schemas).items()}
    assert remembered[schemas["a"]] == live[schemas["a"]]  # remembered as applied
    assert remembered[schemas["b"]] != live[schemas["b"]]  # b: what the plan read


def test_tenants_created_by_a_run_are_remembered_too(
        tmp_path: Path, db_conn: Conn, db_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_server(db_conn)
    schemas = {slug: register(db_conn, slug, ["crm"], create=False) for slug in ("a", "b")}
    db_conn.execute(LEDGER.read_text(encoding="utf-8"))
    root = project_copy(tmp_path)
    loaded = load(root)
    config = load_config(root, db_dsn)
    fleet = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    outcomes = run_fleet(config, fleet, RunOptions(ALLOW, recheck=False), lambda o: None)
    assert [o.outcome for o in outcomes] == ["applied", "applied"]
    truth = fingerprints(db_conn, list(schemas.values()))
    rows = db_conn.execute("SELECT schema_name, fingerprint_after FROM zplus_meta.ledger "
                           "WHERE outcome = 'applied'").fetchall()
    assert {str(r[0]): r[1] for r in rows} == truth
    read_in_full = spy_full_reads(monkeypatch)
    again = inventory(root, db_dsn)
    assert read_in_full == [[]]
    assert {t.record.schema: t.fingerprint for t in again.tenants} == truth
