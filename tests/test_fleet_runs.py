"""Fleet runs on a real server: grouping, plan once per group, apply, jobs, canaries."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.fleetutil import applied_counts, has_column, prepare_server, project_copy, register
from tests.zplus import REPO, zplus
from zplus_schema.cli import main
from zplus_schema.fleet import load_config
from zplus_schema.fleet.grouping import plan_fleet
from zplus_schema.fleet.inventory import take_inventory
from zplus_schema.live.planner import PlanRequest, make_plan
from zplus_schema.load import load

Conn = psycopg.Connection[tuple[object, ...]]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def fleet(db_conn: Conn, tenants: dict[str, list[str]]) -> dict[str, str]:
    """Create the system schema and register the tenants; return slug -> schema."""
    prepare_server(db_conn)
    return {slug: register(db_conn, slug, mods) for slug, mods in tenants.items()}


def test_module_sets_and_a_drifted_tenant_form_their_own_groups(db_conn: Conn,
                                                                db_dsn: str) -> None:
    schemas = fleet(db_conn, {"a": ["crm", "pos"], "b": ["crm", "pos"], "c": [],
                              "d": ["crm", "pos"]})
    db_conn.execute(f"ALTER TABLE {schemas['d']}.customers ADD COLUMN by_hand integer")
    loaded = zplus()
    config = load_config(Path("."), db_dsn)
    plan = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    groups = {tuple(t.record.slug for t in g.tenants): g for g in plan.groups}
    assert set(groups) == {("a", "b"), ("c",), ("d",)}
    assert groups[("a", "b")].empty and groups[("c",)].empty
    assert [s.object for s in groups[("d",)].template.steps] == ["column customers.by_hand"]
    # One template per group, planned once; --only narrows the inventory.
    only = take_inventory(config, loaded.project, ["c", "d"])
    assert [t.record.slug for t in only.tenants] == ["c", "d"]


def test_a_grant_changed_by_hand_splits_the_group_and_is_revoked_for_that_tenant_only(
        db_conn: Conn, db_dsn: str) -> None:
    schemas = fleet(db_conn, {"a": ["crm"], "b": ["crm"], "c": ["crm"]})
    # Tenant c's role given another tenant's table: the schemas are equal, access is not.
    db_conn.execute(f"GRANT SELECT ON {schemas['a']}.customers TO tenant_c")
    db_conn.execute(f"GRANT DELETE ON {schemas['b']}.customers TO analytics_user")
    loaded = zplus()
    config = load_config(Path("."), db_dsn)
    plan = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    groups = {tuple(t.record.slug for t in g.tenants): g for g in plan.groups}
    assert set(groups) == {("a",), ("b",), ("c",)}
    assert groups[("c",)].empty  # the grant is on a's table: a's target owns it
    (a,) = groups[("a",)].tenants
    assert [s.sql for s in groups[("a",)].plan_for(a).steps] == [
        f"REVOKE SELECT ON TABLE {schemas['a']}.customers FROM tenant_c"]
    (b,) = groups[("b",)].tenants
    assert [s.sql for s in groups[("b",)].plan_for(b).steps] == [
        f"REVOKE DELETE ON TABLE {schemas['b']}.customers FROM analytics_user"]


def test_retargeted_group_plans_equal_planning_each_tenant(tmp_path: Path, db_conn: Conn,
                                                           db_dsn: str) -> None:
    fleet(db_conn, {"a": ["crm", "pos"], "b": ["crm", "pos"], "c": ["crm", "pos"]})
    register(db_conn, "new1", ["crm"], create=False)
    register(db_conn, "new2", ["crm"], create=False)
    root = project_copy(tmp_path, change=True)
    loaded = load(root)
    config = load_config(root, db_dsn)
    plan = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    assert sorted(len(g.tenants) for g in plan.groups) == [2, 3]
    for group in plan.groups:
        for tenant in group.tenants:
            mine = group.plan_for(tenant)
            alone = make_plan(db_conn, loaded, PlanRequest(
                (tenant.label,), list(tenant.record.modules))).targets[0]
            assert mine.model_dump() == alone.model_dump()
            assert group.placeholder not in mine.model_dump_json()
    changed = next(g for g in plan.groups if len(g.tenants) == 3)
    assert {s.object for s in changed.template.steps} == {
        "column customers.loyalty_tier", "index idx_customers_loyalty_tier"}


def test_apply_all_tenants_in_parallel_then_nothing_to_do(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = fleet(db_conn, {"a": ["crm", "pos"], "b": ["crm", "pos"], "c": [],
                              "d": ["crm"], "e": ["crm", "pos"]})
    root = project_copy(tmp_path, change=True)
    code, out, _ = run(capsys, "plan", "--all-tenants", "--root", str(root), "--dsn", db_dsn)
    assert code == 0
    assert "group 1: 3 tenants (modules: crm, pos): 2 statement(s)" in out
    assert out.count("ADD COLUMN loyalty_tier") == 3  # one SQL block per group
    code, out, err = run(capsys, "apply", "--all-tenants", "--jobs", "3", "--root", str(root),
                         "--dsn", db_dsn, "--allow-hazard", "builds_index")
    assert code == 0, err
    assert "total" in out and "tenant:e (localhost): applied" in err
    assert all(has_column(db_conn, s, "customers", "loyalty_tier") for s in schemas.values())
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)
    assert run(capsys, "drift", "--all-tenants", "--root", str(root), "--dsn", db_dsn)[0] == 0
    code, _, err = run(capsys, "apply", "--all-tenants", "--root", str(root), "--dsn", db_dsn)
    assert code == 0, err
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)


def test_drift_all_tenants_names_the_drifted_group(db_conn: Conn, db_dsn: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    schemas = fleet(db_conn, {"a": ["crm"], "b": ["crm"]})
    db_conn.execute(f"DROP INDEX {schemas['b']}.idx_customers_email")
    code, out, _ = run(capsys, "drift", "--all-tenants", "--root", str(REPO),
                       "--dsn", db_dsn)
    assert code == 2
    assert "1 tenant(s) drifted (1 object(s) differ): b" in out
    assert "1 tenant(s) in sync: a" in out


def test_hazards_refuse_the_whole_fleet_run(tmp_path: Path, db_conn: Conn, db_dsn: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    schemas = fleet(db_conn, {"a": ["crm"]})
    root = project_copy(tmp_path, change=True)
    code, _, err = run(capsys, "apply", "--all-tenants", "--root", str(root), "--dsn", db_dsn)
    assert code == 3 and "builds_index" in err
    assert not has_column(db_conn, schemas["a"], "customers", "loyalty_tier")


def test_a_failing_canary_stops_the_run(tmp_path: Path, db_conn: Conn, db_dsn: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    schemas = fleet(db_conn, {"a": ["crm"], "b": ["crm"], "c": ["crm"]})
    root = project_copy(tmp_path, change=True)
    with psycopg.connect(db_dsn) as blocker:
        # A long read (ACCESS SHARE) lets the catalog be read but blocks the ALTER TABLE.
        blocker.execute(f"LOCK TABLE {schemas['a']}.customers IN ACCESS SHARE MODE")
        code, _, err = run(capsys, "apply", "--all-tenants", "--canary", "1", "--retries",
                             "0", "--lock-timeout", "100ms", "--root", str(root), "--dsn",
                             db_dsn, "--allow-hazard", "builds_index")
        blocker.rollback()
    assert code == 4, err
    assert "failed: tenant:a" in err and "lock timeout" in err
    assert "skipped: 2 tenants (b, c): a canary failed" in err
    assert not any(has_column(db_conn, s, "customers", "loyalty_tier")
                   for s in schemas.values())
    code, _, err = run(capsys, "apply", "--all-tenants", "--canary", "1", "--root", str(root),
                       "--dsn", db_dsn, "--allow-hazard", "builds_index")
    assert code == 0, err
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)


def test_sandbox_registers_the_seed_tenants_and_applies_the_fleet_plan(
        pg_server_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    # pg_server_dsn only ensures binaries are usable here; the sandbox starts its own server.
    code, out, err = run(capsys, "sandbox", "--root", str(REPO))
    assert code == 0, err
    assert "fleet plan: 3 tenant(s) in 3 group(s)" in out
    assert "group 3: 1 tenant (modules: none): " in out
    assert "fleet apply: 3 tenant(s) applied in 3 group(s)" in out
    for slug in ("demo", "acme", "xyz"):
        assert f"drift tenant:{slug}: in sync" in out


@pytest.mark.parametrize(("argv", "message"), [
    (("apply", "--all-tenants", "--target", "system"), "--target cannot be combined"),
    (("plan", "--all-tenants", "--modules", "crm"), "--modules cannot be combined"),
    (("drift", "--only", "a"), "--only only work with --all-tenants"),
    (("plan", "--full-read"), "--full-read only work with --all-tenants"),
    (("apply",), "apply needs --target or --all-tenants")])
def test_fleet_options_are_checked(argv: tuple[str, ...], message: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *argv, "--root", str(REPO), "--dsn", "postgresql://x@h/db")
    assert code == 1 and message in err
