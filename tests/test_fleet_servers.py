"""A fleet over two real servers: one plan per group, tenants applied on their own server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.fleetutil import applied_counts, has_column, prepare_server, project_copy, register
from zplus_schema.cli import main
from zplus_schema.server import ThrowawayServer

Conn = psycopg.Connection[tuple[object, ...]]


@pytest.fixture
def second_dsn(pg_server_dsn: str) -> Iterator[str]:
    """Yield the DSN of a second throwaway server (pg_server_dsn: binaries are usable)."""
    with ThrowawayServer(fast=True) as server:
        yield server.dsn()


def test_apply_across_two_servers_with_jobs(tmp_path: Path, db_conn: Conn, db_dsn: str,
                                            second_dsn: str, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    prepare_server(db_conn)
    with psycopg.connect(second_dsn, autocommit=True) as other:
        prepare_server(other)
        here = [register(db_conn, s, ["crm", "pos"]) for s in ("a", "b", "c")]
        there = [register(db_conn, s, ["crm", "pos"], server="two", schema_conn=other)
                 for s in ("d", "e", "f")]
        root = project_copy(tmp_path, change=True)
        monkeypatch.setenv("ZPLUS_TWO_DSN", second_dsn)
        (root / "zplus.yaml").write_text("registry: main\nservers:\n"
                                         "  main: {host: 127.0.0.1}\n"
                                         "  two: {dsn_env: ZPLUS_TWO_DSN}\n")
        # Tenants name their server in the registry; the default is `localhost`.
        db_conn.execute("UPDATE public.tenant_schemas SET database_host = 'main' "
                        "WHERE database_host = 'localhost'")
        code, out, _ = run(capsys, "plan", "--all-tenants", "--root", str(root), "--dsn",
                           db_dsn)
        assert code == 0 and "group 1: 6 tenants (modules: crm, pos)" in out
        code, out, err = run(capsys, "apply", "--all-tenants", "--jobs", "4", "--root",
                             str(root), "--dsn", db_dsn, "--allow-hazard", "builds_index")
        assert code == 0, err
        assert all(has_column(db_conn, s, "customers", "loyalty_tier") for s in here)
        assert all(has_column(other, s, "customers", "loyalty_tier") for s in there)
        assert applied_counts(db_conn) == dict.fromkeys(here, 1)
        assert applied_counts(other) == dict.fromkeys(there, 1)
        rows = other.execute("SELECT count(*) FROM zplus_meta.ledger WHERE "
                             "fingerprint_after IS NULL").fetchone()
        assert rows == (0,)
        assert [ln.split()[:2] for ln in out.splitlines()[2:]] == [
            ["main", "3"], ["two", "3"], ["total", "6"]]
        code, out, _ = run(capsys, "drift", "--all-tenants", "--root", str(root), "--dsn",
                           db_dsn)
        assert code == 0, out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err
