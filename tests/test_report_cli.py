"""`zplus-schema report access` from the command line: formats, --diff, exit codes, errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg.conninfo import make_conninfo

from tests.reportdb import Conn, Roles, build_bad
from zplus_schema.cli import main


@pytest.fixture
def roles(db_conn: Conn) -> Iterator[Roles]:
    """Yield a role factory; drop its roles after the test."""
    r = Roles()
    try:
        yield r
    finally:
        r.drop(db_conn)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_formats_out_file_and_fail_on(db_dsn: str, db_conn: Conn, roles: Roles,
                                      tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    build_bad(db_conn, roles)
    out = tmp_path / "report.json"
    argv = ["report", "access", "--dsn", db_dsn, "--root", str(tmp_path)]
    code, _, err = run([*argv, "--format", "json", "--out", str(out)], capsys)
    assert (code, err.strip()) == (0, f"wrote {out}")
    doc = json.loads(out.read_text())
    assert doc["settings"]["system_schema"] == "public"
    assert {f["code"] for f in doc["findings"]} >= {"AR101", "AR301", "AR501"}
    code, page, _ = run([*argv, "--format", "html"], capsys)
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    code, text, _ = run([*argv, "--fail-on", "critical"], capsys)
    assert code == 1 and text.startswith("# Access report")


def test_diff_against_saved_json_shows_exactly_the_grant(
        db_dsn: str, db_conn: Conn, roles: Roles, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    reader = roles.create(db_conn, "reader")
    db_conn.execute(f"CREATE TABLE public.t (id int, note text); "
                    f"GRANT INSERT ON public.t TO {reader}")
    base = tmp_path / "base.json"
    argv = ["report", "access", "--dsn", db_dsn, "--root", str(tmp_path)]
    assert run([*argv, "--format", "json", "--out", str(base)], capsys)[0] == 0
    code, text, _ = run([*argv, "--diff", str(base)], capsys)
    assert code == 0 and "No change in access." in text

    db_conn.execute(f"REVOKE INSERT ON public.t FROM {reader}; "
                    f"GRANT UPDATE (note) ON public.t TO {reader}")
    code, out, _ = run([*argv, "--diff", str(base), "--format", "json"], capsys)
    assert code == 2
    doc = json.loads(out)
    assert doc["added"] == [{"category": "grant", "text": f"public.t: {reader} UPDATE(note)"}]
    assert doc["removed"] == [{"category": "grant", "text": f"public.t: {reader} INSERT"}]
    code, text, _ = run([*argv, "--diff", str(base)], capsys)
    assert code == 2
    assert f"- public.t: {reader} INSERT\n+ public.t: {reader} UPDATE(note)\n" in text
    code, page, _ = run([*argv, "--diff", str(base), "--format", "html"], capsys)
    assert code == 2 and "UPDATE(note)" in page and "http" not in page


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code, _, err = run(argv, capsys)
    assert code == 1 and "Traceback" not in err
    assert err.startswith("error: ")
    return err.splitlines()[0]


def test_unreachable_and_bad_credentials(db_dsn: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    unreachable = "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
    line = _error(["report", "access", "--dsn", unreachable], capsys)
    assert line.startswith("error: cannot connect to ") and "port=1" in line
    stranger = make_conninfo(db_dsn, user="no_such_role_zr", password="secret")
    line = _error(["report", "access", "--dsn", stranger], capsys)
    assert "no_such_role_zr" in line and "secret" not in line


def test_missing_privilege_to_connect(db_dsn: str, db_conn: Conn, roles: Roles,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    auditor = roles.create(db_conn, "auditor", "LOGIN")
    db_conn.execute(f'REVOKE CONNECT ON DATABASE "{db_conn.info.dbname}" FROM PUBLIC')
    line = _error(["report", "access", "--dsn", make_conninfo(db_dsn, user=auditor)], capsys)
    assert line.startswith("error: cannot connect") and "CONNECT privilege" in line


def test_missing_privilege_on_the_catalog(db_dsn: str, db_conn: Conn, roles: Roles,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    auditor = roles.create(db_conn, "auditor", "LOGIN")
    db_conn.execute("REVOKE SELECT ON pg_catalog.pg_roles FROM PUBLIC")
    line = _error(["report", "access", "--dsn", make_conninfo(db_dsn, user=auditor)], capsys)
    assert line == "error: cannot read the catalog: permission denied for view pg_roles"


def test_bad_base_files(db_dsn: str, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", "access", "--dsn", db_dsn, "--root", str(tmp_path), "--diff"]
    line = _error([*argv, str(tmp_path / "missing.json")], capsys)
    assert line.endswith("missing.json: no such report file")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    assert "cannot read the base report" in _error([*argv, str(garbage)], capsys)
    other = tmp_path / "plan.json"
    other.write_text(json.dumps({"targets": []}))
    assert "not an access report" in _error([*argv, str(other)], capsys)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"version": 99, "roles": [], "sections": [],
                               "default_privileges": [], "findings": []}))
    assert "access report version 99" in _error([*argv, str(old)], capsys)


def test_needs_a_source(capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZPLUS_DSN", raising=False)
    assert "give --dsn" in _error(["report", "access", "--root", "/nonexistent"], capsys)
