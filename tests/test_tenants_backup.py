"""`tenants backup/restore/drop` on a real server: round trips with data, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from tests.tenantkit import ledger, snapshot, tables, tenants, with_system


@pytest.fixture
def registry(db_dsn: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Return a registry database with tenant acme (crm) holding a few rows."""
    with_system(db_dsn)
    assert tenants(capsys, "create", "acme", "--name", "Acme", "--modules", "crm",
                   dsn=db_dsn)[0] == 0
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO tenant_acme.customers (name, email)"
                     " SELECT 'c' || g, 'c' || g || '@x.io' FROM generate_series(1, 50) g")
        conn.execute("INSERT INTO tenant_acme.roles (name, display_name)"
                     " VALUES ('auditor', 'Auditor')")
    return db_dsn


def _customers(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> object:
    query = f"SELECT count(*), md5(string_agg(email, ',' ORDER BY email)) FROM {schema}.customers"
    return conn.execute(query).fetchone()


def test_backup_restore_round_trip_with_data(registry: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "acme.dump"
    code, out, err = tenants(capsys, "backup", "acme", "--out", str(archive), dsn=registry)
    assert code == 0, err
    sidecar = json.loads((tmp_path / "acme.dump.json").read_text())
    assert sidecar["registry"]["tenant"]["slug"] == "acme"
    assert [m["name"] for m in sidecar["registry"]["modules"]] == ["crm"]
    with psycopg.connect(registry, autocommit=True) as conn:
        before = _customers(conn, "tenant_acme")
        code, _, err = tenants(capsys, "restore", str(archive), dsn=registry)
        assert code == 3 and "already exists" in err
        state = snapshot(conn)
        code, _, err = tenants(capsys, "restore", str(archive), "--as",
                               "x; DROP SCHEMA tenant_acme CASCADE", dsn=registry)
        assert code == 3 and "refused: tenant slug" in err
        assert snapshot(conn) == state
        code, out, err = tenants(capsys, "restore", str(archive), "--as", "acme2", dsn=registry)
        assert code == 0, err
        assert _customers(conn, "tenant_acme2") == before
        assert tables(conn, "tenant_acme2") == tables(conn, "tenant_acme")
        assert conn.execute("SELECT 1 FROM tenant_acme2.roles WHERE name = 'auditor'"
                            ).fetchone()
        assert not conn.execute("SELECT 1 FROM pg_catalog.pg_database"
                                " WHERE datname LIKE 'zplus_restore_%'").fetchone()
        code, out, _ = tenants(capsys, "show", "acme2", "--format", "json", dsn=registry)
        shown = json.loads(out)
        assert shown["modules"] == ["crm"] and shown["sync"] == "in sync"
        assert ledger(conn, "acme2")[0][0].startswith("-- tenants restore acme2 from acme.dump")


def test_drop_needs_a_verified_backup(registry: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(registry, autocommit=True) as conn:
        before = snapshot(conn)
        code, _, err = tenants(capsys, "drop", "acme", "--no-backup", dsn=registry)
        assert code == 3 and "--yes" in err
        assert snapshot(conn) == before
        # A backup that cannot be written stops the drop: the tenant stays whole.
        (tmp_path / "file").write_text("not a folder")
        code, _, err = tenants(capsys, "drop", "acme", "--out", str(tmp_path / "file" / "a"),
                               dsn=registry)
        assert code == 1 and "error:" in err
        assert snapshot(conn) == before
        counts = _customers(conn, "tenant_acme")
        archive = tmp_path / "acme.dump"
        code, out, err = tenants(capsys, "drop", "acme", "--out", str(archive), dsn=registry)
        assert code == 0, err
        assert "written and verified" in out and archive.exists()
        assert not tables(conn, "tenant_acme")
        assert not conn.execute("SELECT 1 FROM public.tenants WHERE slug = 'acme'").fetchone()
        assert ledger(conn, "acme")[-1] == ("-- tenants drop acme backup=verified", "applied")
        # ... and the backup brings it back, same id, same data.
        code, _, err = tenants(capsys, "restore", str(archive), dsn=registry)
        assert code == 0, err
        assert _customers(conn, "tenant_acme") == counts


def test_drop_without_backup_when_confirmed(registry: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = tenants(capsys, "drop", "acme", "--no-backup", "--yes", dsn=registry)
    assert code == 0, err
    with psycopg.connect(registry, autocommit=True) as conn:
        assert not tables(conn, "tenant_acme")
        # Its role went with it: nothing in the cluster is left to hold the tenant's access.
        assert not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'tenant_acme'"
                                ).fetchone()
    code, _, err = tenants(capsys, "drop", "acme", "--no-backup", "--yes", dsn=registry)
    assert code == 1 and "unknown tenant: acme" in err


def test_a_tampered_backup_is_refused(registry: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "acme.dump"
    assert tenants(capsys, "backup", "acme", "--out", str(archive), dsn=registry)[0] == 0
    with archive.open("ab") as fh:
        fh.write(b"x")
    code, _, err = tenants(capsys, "restore", str(archive), "--as", "acme3", dsn=registry)
    assert code == 1 and "does not belong" in err
