"""`tenants move` between two real servers: verified copy, switch; failures change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.tenantkit import ledger, snapshot, tables, tenants, with_system
from zplus_schema.server import ThrowawayServer


@pytest.fixture(scope="module")
def second_server() -> Iterator[ThrowawayServer]:
    """Yield a second PostgreSQL server (the one tenants move to)."""
    with ThrowawayServer(fast=True) as server:
        yield server


@pytest.fixture
def eu_dsn(second_server: ThrowawayServer) -> Iterator[str]:
    """Yield a fresh database on the second server holding the system schema."""
    name = f"zt_eu_{id(object()):x}"
    with psycopg.connect(second_server.dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_system(second_server.dsn(name))
    finally:
        with psycopg.connect(second_server.dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, main: str, eu: str) -> str:
    monkeypatch.setenv("ZT_MAIN_DSN", main)
    monkeypatch.setenv("ZT_EU_DSN", eu)
    file = tmp_path / "zplus.yaml"
    file.write_text("registry: main\nservers:\n  main: {dsn_env: ZT_MAIN_DSN}\n"
                    "  eu: {dsn_env: ZT_EU_DSN}\n")
    return str(file)


@pytest.fixture
def fleet(db_dsn: str, eu_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> str:
    """Return the zplus.yaml of a two-server fleet with tenant acme (crm, data) on main."""
    with_system(db_dsn)
    config = _config(tmp_path, monkeypatch, db_dsn, eu_dsn)
    code, _, err = tenants(capsys, "create", "acme", "--name", "Acme", "--modules", "crm",
                           config=config)
    assert code == 0, err
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO tenant_acme.customers (name, email)"
                     " SELECT 'c' || g, 'c' || g || '@x.io' FROM generate_series(1, 200) g")
    return config


def _rows(dsn: str) -> object:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*), md5(string_agg(c::text, ',' ORDER BY id))"
                            " FROM tenant_acme.customers c").fetchone()


def test_move_copies_verifies_switches_and_drops(
        fleet: str, db_dsn: str, eu_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _rows(db_dsn)
    code, out, err = tenants(capsys, "move", "acme", "--to-server", "eu", config=fleet)
    assert code == 0, err
    assert "moved tenant acme from main to eu" in out and "verified" in out
    assert _rows(eu_dsn) == before
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        assert not tables(conn, "tenant_acme")
        host = conn.execute("SELECT database_host FROM public.tenant_schemas").fetchone()
        assert host == ("eu",)
    with psycopg.connect(eu_dsn, autocommit=True) as conn:
        assert ledger(conn, "acme")[-1] == ("-- tenants move acme from main to eu", "applied")
    code, out, _ = tenants(capsys, "show", "acme", "--format", "json", config=fleet)
    shown = json.loads(out)
    assert (shown["server"], shown["sync"]) == ("eu", "in sync")
    # Operations follow the tenant to its server: a module is added there.
    code, _, err = tenants(capsys, "enable-module", "acme", "pos", config=fleet)
    assert code == 0, err
    with psycopg.connect(eu_dsn, autocommit=True) as conn:
        assert "orders" in tables(conn, "tenant_acme")
    code, out, err = tenants(capsys, "move", "acme", "--to-server", "main", config=fleet)
    assert code == 0, err
    assert _rows(db_dsn) == before


def test_target_already_has_the_schema(fleet: str, db_dsn: str, eu_dsn: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        eu.execute("CREATE SCHEMA tenant_acme")
        eu.execute("CREATE TABLE tenant_acme.keep (x int)")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        before, rows = snapshot(conn), _rows(db_dsn)
        code, _, err = tenants(capsys, "move", "acme", "--to-server", "eu", config=fleet)
        assert code == 3 and "already has a schema tenant_acme" in err
        assert snapshot(conn) == before and _rows(db_dsn) == rows
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        assert tables(eu, "tenant_acme") == {"keep"}


def test_a_copy_that_fails_midway_leaves_the_tenant_where_it_was(
        fleet: str, db_dsn: str, eu_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    # The target lacks the system schema's trigger functions: pg_restore fails on the
    # first trigger, after the tables and their data were loaded.
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        eu.execute("DROP FUNCTION public.audit_row_change() CASCADE")
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        before, rows = snapshot(conn), _rows(db_dsn)
        code, _, err = tenants(capsys, "move", "acme", "--to-server", "eu", config=fleet)
        assert code == 1 and "copying tenant_acme to eu" in err
        assert snapshot(conn) == before and _rows(db_dsn) == rows
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        assert not tables(eu, "tenant_acme")


def test_a_stopped_target_changes_nothing(db_dsn: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    with_system(db_dsn)
    with ThrowawayServer(fast=True) as doomed:
        config = _config(tmp_path, monkeypatch, db_dsn, with_system(doomed.dsn()))
        assert tenants(capsys, "create", "acme", "--name", "Acme", config=config)[0] == 0
        assert tenants(capsys, "create", "far", "--name", "Far", "--server", "eu",
                       config=config)[0] == 0
    # A tenant whose server is down is listed with the error; the others are checked.
    code, out, _ = tenants(capsys, "list", "--format", "json", config=config)
    listed = {t["slug"]: t for t in json.loads(out)}
    assert code == 0 and listed["acme"]["sync"] == "in sync"
    assert listed["far"]["sync"] == "error" and "cannot connect" in listed["far"]["error"]
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        before, rows = snapshot(conn), _rows(db_dsn)
        code, _, err = tenants(capsys, "move", "acme", "--to-server", "eu", config=config)
        assert code == 1 and "cannot connect to server eu" in err
        assert snapshot(conn) == before and _rows(db_dsn) == rows


def test_create_on_another_server_registers_last(
        fleet: str, db_dsn: str, eu_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = tenants(capsys, "create", "beta", "--name", "Beta", "--server", "eu",
                           config=fleet)
    assert code == 0, err
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        assert "users" in tables(eu, "tenant_beta")
        assert ledger(eu, "beta")[0][1] == "applied"
    code, out, _ = tenants(capsys, "show", "beta", "--format", "json", config=fleet)
    assert json.loads(out)["server"] == "eu" and json.loads(out)["sync"] == "in sync"
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        # The registration fails at its COMMIT (a deferred check), after the schema was
        # committed on eu: create must remove that schema again.
        conn.execute("CREATE FUNCTION public.reject_pos() RETURNS trigger LANGUAGE plpgsql AS"
                     " $$BEGIN IF (SELECT name FROM public.modules WHERE id = NEW.module_id)"
                     " = 'pos' THEN RAISE EXCEPTION 'pos is not sold here'; END IF;"
                     " RETURN NEW; END$$")
        conn.execute("CREATE CONSTRAINT TRIGGER reject_pos AFTER INSERT ON public.tenant_modules"
                     " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                     " EXECUTE FUNCTION public.reject_pos()")
        before = snapshot(conn)
        code, _, err = tenants(capsys, "create", "gamma", "--name", "Gamma", "--server", "eu",
                               "--modules", "pos", config=fleet)
        assert code == 1 and "pos is not sold here" in err
        assert snapshot(conn) == before
    with psycopg.connect(eu_dsn, autocommit=True) as eu:
        assert not tables(eu, "tenant_gamma")
        assert ledger(eu, "gamma")[-1][1] == "failed"
