"""Reference data: declared roles, permissions and module rows kept in sync by natural key."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from tests.tenantkit import ledger, tenants, with_system
from tests.zplus import REPO, zplus
from zplus_schema.cli import main
from zplus_schema.errors import InputError
from zplus_schema.fleet.refdata import load_refdata, tenant_rows


@pytest.fixture
def registry(db_dsn: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Return a registry database with tenant acme (crm)."""
    with_system(db_dsn)
    assert tenants(capsys, "create", "acme", "--name", "Acme", "--modules", "crm",
                   dsn=db_dsn)[0] == 0
    return db_dsn


def test_rows_come_from_resources_times_actions() -> None:
    project = zplus().project
    ref = load_refdata(REPO, project)
    rows = tenant_rows(project, ref, ["crm"])
    names = {p["name"] for p in rows.permissions}
    assert len(names) == len(rows.permissions) == (5 + 2) * 4
    assert {"users.delete", "pipeline_stages.read"} <= names
    assert ("viewer", "customers.read") in rows.links
    assert ("viewer", "customers.update") not in rows.links
    assert sum(1 for r, _ in rows.links if r == "admin") == len(names)


def test_check_reports_drift_and_sync_repairs_only_declared_rows(
        registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = tenants(capsys, "sync-data", "--check", dsn=registry)
    assert (code, out) == (0, "system: in sync\ntenant:acme: in sync\n")
    with psycopg.connect(registry, autocommit=True) as conn:
        conn.execute("INSERT INTO tenant_acme.roles (name, display_name) VALUES ('own', 'Own')")
        conn.execute("INSERT INTO tenant_acme.permissions (name, resource, action)"
                     " VALUES ('reports.export', 'reports', 'export')")
        conn.execute("UPDATE tenant_acme.roles SET display_name = 'Boss' WHERE name = 'admin'")
        conn.execute("DELETE FROM tenant_acme.permissions WHERE name = 'customers.delete'")
        conn.execute("UPDATE public.modules SET version = '0.9' WHERE name = 'crm'")
        code, out, _ = tenants(capsys, "sync-data", "--check", dsn=registry)
        assert code == 2
        assert "modules: crm differs (version)" in out
        assert "roles: admin differs (display_name)" in out
        assert "permissions: customers.delete missing" in out
        assert "role_permissions: admin -> customers.delete missing" in out
        assert "own" not in out and "reports.export" not in out
        code, out, _ = tenants(capsys, "show", "acme", dsn=registry)
        assert "sync:         drifted" in out and "data: roles: admin differs" in out
        code, out, _ = tenants(capsys, "sync-data", "acme", dsn=registry)
        assert code == 0 and "tenant:acme: 3 row(s) updated" in out
        assert conn.execute("SELECT display_name FROM tenant_acme.roles WHERE name = 'admin'"
                            ).fetchone() == ("Administrator",)
        assert conn.execute("SELECT count(*) FROM tenant_acme.roles WHERE name = 'own'"
                            ).fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM tenant_acme.permissions"
                            " WHERE name = 'reports.export'").fetchone() == (1,)
        assert ledger(conn, "acme")[-1] == ("-- tenants sync-data acme", "applied")
    code, out, _ = tenants(capsys, "sync-data", "--check", dsn=registry)
    assert code == 0
    code, out, _ = tenants(capsys, "sync-data", dsn=registry)
    assert out == "system: in sync\ntenant:acme: in sync\n"


def test_a_sync_in_sync_writes_nothing(registry: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(registry, autocommit=True) as conn:
        audit = conn.execute("SELECT count(*) FROM public.audit_logs").fetchone()
        assert tenants(capsys, "sync-data", dsn=registry)[0] == 0
        assert conn.execute("SELECT count(*) FROM public.audit_logs").fetchone() == audit


def test_bad_reference_data_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    root = tmp_path / "proj"
    shutil.copytree(REPO / "schema", root / "schema")
    data = root / "schema" / "data" / "tenant.yaml"
    data.write_text("actions: [read]\nresources:\n  crm: [deals]\n  nope: [x]\n"
                    "roles:\n  boss: {display_name: Boss, grants: [read, fly]}\n")
    with pytest.raises(InputError) as info:
        load_refdata(root, zplus().project)
    text = info.value.render()
    assert "schema/data/tenant.yaml:4" in text and "unknown module 'nope'" in text
    assert "unknown action 'fly'" in text
    # validate reads the reference data too, and reports the same problems.
    assert main(["validate", "--root", str(root)]) == 1
    assert "unknown action 'fly'" in capsys.readouterr().err
    assert main(["validate", "--root", str(REPO)]) == 0
