"""Fleet runs when things go wrong: locks, kill -9, a concurrent run, a server down."""

from __future__ import annotations

import json
import signal
import socket
from pathlib import Path

import psycopg
import pytest

from tests.fleetutil import (
    add_activity_column,
    applied_counts,
    cli_process,
    fleet_backends,
    has_column,
    prepare_server,
    project_copy,
    register,
    wait_until,
)
from zplus_schema.cli import main

Conn = psycopg.Connection[tuple[object, ...]]
APPLY = ("apply", "--all-tenants", "--allow-hazard", "builds_index")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def tenants(conn: Conn, slugs: list[str]) -> dict[str, str]:
    """Create the system schema and register tenants with the crm module."""
    prepare_server(conn)
    return {slug: register(conn, slug, ["crm"]) for slug in slugs}


def test_a_tenant_locked_by_a_long_transaction_fails_alone(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tenants(db_conn, ["a", "b", "c", "d"])
    root = project_copy(tmp_path, change=True)
    with psycopg.connect(db_dsn) as reader, psycopg.connect(db_dsn) as owner:
        # b: a long read blocks its ALTER TABLE; c: an exclusive lock blocks even reading it.
        reader.execute(f"LOCK TABLE {schemas['b']}.customers IN ACCESS SHARE MODE")
        owner.execute(f"LOCK TABLE {schemas['c']}.customers IN ACCESS EXCLUSIVE MODE")
        code, out, err = run(capsys, *APPLY, "--jobs", "2", "--retries", "1",
                             "--lock-timeout", "100ms", "--root", str(root), "--dsn", db_dsn)
        reader.rollback()
        owner.rollback()
    assert code == 4, err
    assert "failed: tenant:b (localhost, schema tenant_b): canceling statement due to lock " \
           "timeout" in err
    assert "tenant:b (localhost): failed after 2 attempts" in err
    assert "failed: tenant:c (localhost, schema tenant_c): schema tenant_c could not be read" \
           in err
    assert [ln.split()[0] for ln in out.splitlines()[-1:]] == ["total"]
    assert {s: has_column(db_conn, s, "customers", "loyalty_tier")
            for s in schemas.values()} == {"tenant_a": True, "tenant_b": False,
                                           "tenant_c": False, "tenant_d": True}
    failed = db_conn.execute("SELECT schema_name FROM zplus_meta.ledger WHERE outcome = "
                             "'failed'").fetchall()
    assert failed == [("tenant_b",)]
    code, _, err = run(capsys, *APPLY, "--root", str(root), "--dsn", db_dsn)
    assert code == 0, err
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)


def _last_table(root: Path, dsn: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Return the table of the plan's last ALTER TABLE: blocking it stops a tenant midway."""
    code, out, _ = run(capsys, "plan", "--all-tenants", "--format", "json", "--root",
                       str(root), "--dsn", dsn)
    assert code == 0
    steps = json.loads(out)["groups"][0]["steps"]
    tables = [s["object"].split()[1].split(".")[0] for s in steps
              if s["object"].startswith("column ")]
    assert len(set(tables)) == 2  # the first table's change runs before the block
    return str(tables[-1])


def test_kill_9_midway_then_rerun_finishes_and_nothing_is_half_done(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tenants(db_conn, ["t1", "t2", "t3", "t4", "t5"])
    root = project_copy(tmp_path, change=True)
    add_activity_column(root)
    table = _last_table(root, db_dsn, capsys)
    with psycopg.connect(db_dsn) as blocker:
        blocker.execute(f"LOCK TABLE {schemas['t3']}.{table} IN ACCESS SHARE MODE")
        proc = cli_process(root, db_dsn, *APPLY, "--jobs", "1", "--lock-timeout", "5min")
        # t1 and t2 are committed; t3 has run its first ALTER and waits for the lock.
        wait_until(lambda: ("Lock", "relation") in fleet_backends(db_conn),
                   "the apply to block on tenant_t3")
        assert applied_counts(db_conn) == {"tenant_t1": 1, "tenant_t2": 1}
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        # The server notices the dead client and rolls its transaction back.
        wait_until(lambda: not fleet_backends(db_conn), "the killed run's sessions to end")
        blocker.rollback()
    state = {s: (has_column(db_conn, s, "customers", "loyalty_tier"),
                 has_column(db_conn, s, "customer_activities", "outcome_note"))
             for s in schemas.values()}
    assert set(state.values()) <= {(True, True), (False, False)}, state  # old or new
    assert state["tenant_t1"] == (True, True) and state["tenant_t3"] == (False, False)
    code, _, err = run(capsys, *APPLY, "--root", str(root), "--dsn", db_dsn)
    assert code == 0, err
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)
    assert run(capsys, "drift", "--all-tenants", "--root", str(root), "--dsn", db_dsn)[0] == 0


def test_ctrl_c_rolls_back_the_running_tenant_and_a_rerun_finishes(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tenants(db_conn, ["t1", "t2", "t3", "t4"])
    root = project_copy(tmp_path, change=True)
    with psycopg.connect(db_dsn) as blocker:
        blocker.execute(f"LOCK TABLE {schemas['t2']}.customers IN ACCESS SHARE MODE")
        proc = cli_process(root, db_dsn, *APPLY, "--jobs", "1", "--lock-timeout", "5min")
        wait_until(lambda: ("Lock", "relation") in fleet_backends(db_conn),
                   "the apply to block on tenant_t2")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)  # a hang guard: the lock is still held
        blocker.rollback()
    assert proc.returncode == 4, err
    assert "canceling statement due to user request" in err
    assert "skipped: 2 tenants (t3, t4): interrupted (Ctrl-C): re-run to finish" in err
    assert "total" in out
    assert applied_counts(db_conn) == {"tenant_t1": 1}
    assert not has_column(db_conn, schemas["t2"], "customers", "loyalty_tier")
    code, _, err = run(capsys, *APPLY, "--root", str(root), "--dsn", db_dsn)
    assert code == 0, err
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)


def test_a_second_fleet_run_refuses_or_waits_and_nothing_is_applied_twice(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tenants(db_conn, ["a", "b", "c"])
    root = project_copy(tmp_path, change=True)
    with psycopg.connect(db_dsn) as blocker:
        blocker.execute(f"LOCK TABLE {schemas['b']}.customers IN ACCESS SHARE MODE")
        first = cli_process(root, db_dsn, *APPLY, "--jobs", "1", "--lock-timeout", "5min")
        wait_until(lambda: ("Lock", "relation") in fleet_backends(db_conn),
                   "the first run to block on tenant_b")
        code, _, err = run(capsys, *APPLY, "--root", str(root), "--dsn", db_dsn)
        assert code == 3 and "another apply --all-tenants is running" in err
        waiting = cli_process(root, db_dsn, *APPLY, "--wait")
        wait_until(lambda: ("Lock", "advisory") in fleet_backends(db_conn),
                   "the second run to wait for the fleet lock")
        blocker.rollback()
    assert first.wait() == 0, first.communicate()
    _, err = waiting.communicate()
    assert waiting.returncode == 0, err
    assert "3 tenant(s) in sync" in err  # it planned after the first run: nothing left
    assert applied_counts(db_conn) == dict.fromkeys(schemas.values(), 1)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_fails_its_tenants_in_one_line(
        tmp_path: Path, db_conn: Conn, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    schemas = tenants(db_conn, ["a", "b"])
    register(db_conn, "e1", ["crm"], server="eu", create=False)
    register(db_conn, "e2", ["crm"], server="eu", create=False)
    root = project_copy(tmp_path, change=True)
    port = _closed_port()
    (root / "zplus.yaml").write_text(
        "registry: localhost\nservers:\n  localhost: {host: 127.0.0.1}\n"
        f"  eu: {{host: 127.0.0.1, port: {port}, dbname: zplus, user: postgres}}\n")
    code, out, err = run(capsys, *APPLY, "--root", str(root), "--dsn", db_dsn)
    assert code == 4, err
    lines = [ln for ln in err.splitlines() if ln.startswith("failed:")]
    assert lines == [f"failed: 2 tenants (e1, e2): server eu (127.0.0.1:{port}/zplus) is "
                     f"unreachable: {lines[0].split(' is unreachable: ', 1)[-1]}"], err
    assert "Connection refused" in lines[0]
    assert all(has_column(db_conn, s, "customers", "loyalty_tier") for s in schemas.values())
    assert "eu" in out and "localhost" in out  # the summary table has a row per server
    code, _, err = run(capsys, "plan", "--all-tenants", "--root", str(root), "--dsn", db_dsn)
    assert code == 4 and "(2 tenant(s) not reached)" in err
