"""Compiled SQL: golden files, determinism, and every statement parses with pglast."""

from __future__ import annotations

import os
from pathlib import Path

import pglast
import pytest

from tests.projectfiles import MINIMAL
from tests.zplus import REPO
from zplus_schema.cli import main

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ZPLUS_UPDATE_GOLDEN") == "1"

CASES = {
    "zplus_system.sql": ["compile", "system", "--root", str(REPO)],
    "zplus_tenant_acme_all.sql": ["compile", "tenant", "--root", str(REPO), "--tenant", "acme"],
    "zplus_tenant_demo_crm_pos.sql": [
        "compile", "tenant", "--root", str(REPO), "--schema", "tenant_demo", "--modules", "crm,pos"
    ],
    "zplus_tenant_bare.sql": ["compile", "tenant", "--root", str(REPO), "--tenant", "bare",
                              "--modules", ""],
    "minimal_system.sql": ["compile", "system", "--root", str(MINIMAL)],
    "minimal_tenant.sql": ["compile", "tenant", "--root", str(MINIMAL), "--schema", "t_one"],
}


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the CLI, assert exit 0, return standard output."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize("golden", sorted(CASES))
def test_compile_matches_golden_file(golden: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, CASES[golden])
    path = GOLDEN / golden
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8"), (
        f"compile output changed; review it and rerun with ZPLUS_UPDATE_GOLDEN=1 to accept "
        f"({path})"
    )


@pytest.mark.parametrize("golden", sorted(CASES))
def test_compile_is_deterministic(golden: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, CASES[golden]) == run(capsys, CASES[golden])


@pytest.mark.parametrize("golden", sorted(CASES))
def test_every_statement_parses(golden: str, capsys: pytest.CaptureFixture[str]) -> None:
    statements = pglast.split(run(capsys, CASES[golden]))
    assert len(statements) > 3
    for sql in statements:
        assert len(pglast.parse_sql(sql)) == 1


def test_tenant_sql_is_bound_to_its_schema(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, CASES["zplus_tenant_demo_crm_pos.sql"])
    assert "CREATE SCHEMA IF NOT EXISTS tenant_demo;" in out
    assert "CREATE TABLE tenant_demo.opportunities (" in out
    assert "CREATE TABLE tenant_demo.products (" in out
    assert "courses" not in out  # lms not enabled
    assert "REFERENCES tenant_demo.customers (id)" in out
    assert "EXECUTE FUNCTION public.audit_row_change()" in out


def test_foreign_keys_come_after_both_tables(capsys: pytest.CaptureFixture[str]) -> None:
    statements = pglast.split(run(capsys, CASES["zplus_tenant_acme_all.sql"]))
    created = [s for s in statements if s.startswith("CREATE TABLE")]
    first_fk = next(i for i, s in enumerate(statements) if "FOREIGN KEY" in s)
    last_table = statements.index(created[-1])
    assert first_fk > last_table


def test_module_dependencies_are_included(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from tests.projectfiles import make_project

    root = make_project(tmp_path, {
        "schema/modules/shop/module.yaml": "module:\n  depends_on: [blog]\n",
        "schema/modules/shop/items.yaml": "tables:\n  items:\n    columns:\n      id: int\n",
    })
    out = run(capsys, ["compile", "tenant", "--root", str(root), "--tenant", "x",
                       "--modules", "shop"])
    assert "modules: blog, shop" in out.splitlines()[0]
    assert "CREATE TABLE t_x.posts" in out
