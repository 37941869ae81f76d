"""`tenants create/list/show/suspend/resume/enable-module/disable-module` on a real server."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.tenantkit import ledger, snapshot, tables, tenants, with_system

INJECTIONS = ['acme"; DROP SCHEMA public; --', "acme'; DROP TABLE tenants; --", "Acme",
              "acme-co", "1acme", "", "a" * 49, "acme\x00x", "tenant_acme;"]


@pytest.fixture
def registry(db_dsn: str) -> str:
    """Return a database holding the Zplus system schema."""
    return with_system(db_dsn)


def test_create_builds_schema_modules_and_reference_data(
        registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = tenants(capsys, "create", "acme", "--name", "Acme Inc",
                             "--modules", "crm,pos", dsn=registry)
    assert code == 0, err
    assert "created tenant acme" in out
    with psycopg.connect(registry, autocommit=True) as conn:
        assert {"users", "roles", "opportunities", "orders"} <= tables(conn, "tenant_acme")
        assert "courses" not in tables(conn, "tenant_acme")
        status = conn.execute("SELECT t.status, ts.database_host, ts.schema_name FROM"
                              " public.tenants t JOIN public.tenant_schemas ts"
                              " ON ts.tenant_id = t.id WHERE slug = 'acme'").fetchone()
        assert status == ("active", "localhost", "tenant_acme")
        roles = conn.execute("SELECT name FROM tenant_acme.roles ORDER BY 1").fetchall()
        assert [r[0] for r in roles] == ["admin", "manager", "viewer"]
        perms = {r[0] for r in conn.execute("SELECT name FROM tenant_acme.permissions")}
        assert {"customers.read", "opportunities.delete", "orders.create"} <= perms
        assert "courses.read" not in perms
        assert ledger(conn, "acme") == [("-- tenants create acme modules=crm,pos "
                                         "server=localhost", "applied")]
    code, out, _ = tenants(capsys, "list", dsn=registry)
    assert code == 0
    assert "acme" in out and "crm,pos" in out and "in sync" in out


@pytest.mark.parametrize("slug", INJECTIONS)
def test_a_bad_slug_is_refused_and_nothing_is_written(
        registry: str, slug: str, capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(registry, autocommit=True) as conn:
        before = snapshot(conn)
        code, _, err = tenants(capsys, "create", slug, "--name", "X", dsn=registry)
        assert code == 3
        assert err.startswith("refused: tenant slug") and "hint:" in err
        assert snapshot(conn) == before


@pytest.mark.parametrize("modules", ["crm,pos'; DROP SCHEMA public; --", "CRM", "nope",
                                     'crm,"x"'])
def test_a_bad_module_name_is_refused_and_nothing_is_written(
        registry: str, modules: str, capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(registry, autocommit=True) as conn:
        before = snapshot(conn)
        code, _, err = tenants(capsys, "create", "acme", "--name", "X", "--modules", modules,
                               dsn=registry)
        assert code == 3 and "unknown module" in err and "hint: modules: checkin" in err
        assert snapshot(conn) == before
        code, _, err = tenants(capsys, "enable-module", "acme", modules.split(",")[-1],
                               dsn=registry)
        assert code == 3
        assert snapshot(conn) == before


def test_create_is_all_or_nothing(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(registry, autocommit=True) as conn:
        # A real failure midway: tenant_modules rejects pos when create registers the
        # tenant, after the schema, its tables and its reference data were written.
        conn.execute("CREATE FUNCTION public.reject_pos() RETURNS trigger LANGUAGE plpgsql AS"
                     " $$BEGIN IF (SELECT name FROM public.modules WHERE id = NEW.module_id)"
                     " = 'pos' THEN RAISE EXCEPTION 'pos is not sold here'; END IF;"
                     " RETURN NEW; END$$")
        conn.execute("CREATE TRIGGER reject_pos BEFORE INSERT ON public.tenant_modules"
                     " FOR EACH ROW EXECUTE FUNCTION public.reject_pos()")
        before = snapshot(conn)
        code, _, err = tenants(capsys, "create", "acme", "--name", "Acme",
                               "--modules", "crm,pos", dsn=registry)
        assert code == 1 and "pos is not sold here" in err
        assert snapshot(conn) == before
        assert ledger(conn, "acme")[-1][1] == "failed"


def test_existing_tenant_is_refused(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tenants(capsys, "create", "acme", "--name", "Acme", dsn=registry)[0] == 0
    code, _, err = tenants(capsys, "create", "acme", "--name", "Acme 2", dsn=registry)
    assert code == 3 and "already exists" in err


def test_show_suspend_resume(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tenants(capsys, "create", "acme", "--name", "Acme", dsn=registry)[0] == 0
    code, out, _ = tenants(capsys, "suspend", "acme", dsn=registry)
    assert (code, out.strip()) == (0, "tenant acme is suspended")
    code, out, _ = tenants(capsys, "suspend", "acme", dsn=registry)
    assert (code, out.strip()) == (0, "tenant acme was already suspended")
    code, out, _ = tenants(capsys, "show", "acme", "--format", "json", dsn=registry)
    shown = json.loads(out)
    assert shown["status"] == "suspended" and shown["sync"] == "in sync"
    assert len(shown["fingerprint"]) == 64
    assert tenants(capsys, "resume", "acme", dsn=registry)[0] == 0
    code, out, _ = tenants(capsys, "show", "acme", dsn=registry)
    assert "status:       active" in out
    code, _, err = tenants(capsys, "show", "ghost", dsn=registry)
    assert code == 1 and "unknown tenant: ghost" in err
    with psycopg.connect(registry, autocommit=True) as conn:
        ops = [line for line, _ in ledger(conn, "acme")]
        assert ops[1:] == ["-- tenants set-status acme active->suspended",
                           "-- tenants set-status acme suspended->active"]


def test_enable_and_disable_module(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tenants(capsys, "create", "acme", "--name", "Acme", "--modules", "crm",
                   dsn=registry)[0] == 0
    code, _, err = tenants(capsys, "enable-module", "acme", "lms", dsn=registry)
    assert code == 0, err
    with psycopg.connect(registry, autocommit=True) as conn:
        assert {"courses", "lessons"} <= tables(conn, "tenant_acme")
        assert conn.execute("SELECT 1 FROM tenant_acme.permissions WHERE name = 'courses.read'"
                            ).fetchone()
        conn.execute("INSERT INTO tenant_acme.course_categories (name) VALUES ('Math')")
        code, out, _ = tenants(capsys, "disable-module", "acme", "lms", dsn=registry)
        assert code == 0 and "kept" in out
        assert "courses" in tables(conn, "tenant_acme")
        code, out, _ = tenants(capsys, "show", "acme", dsn=registry)
        assert "modules:      crm" in out and "disabled:     lms" in out
        assert "sync:         in sync" in out
        code, _, err = tenants(capsys, "disable-module", "acme", "crm", "--drop-data",
                               dsn=registry)
        assert code == 3 and "--allow-hazard deletes_data" in err
        assert "opportunities" in tables(conn, "tenant_acme")
        code, _, err = tenants(capsys, "disable-module", "acme", "lms", "--drop-data",
                               "--allow-hazard", "deletes_data", dsn=registry)
        assert code == 0, err
        assert "courses" not in tables(conn, "tenant_acme")
        assert "opportunities" in tables(conn, "tenant_acme")
        code, out, _ = tenants(capsys, "list", "--format", "json", dsn=registry)
        (row,) = json.loads(out)
        assert row["modules"] == ["crm"] and row["disabled_modules"] == []
        assert row["sync"] == "in sync"


@pytest.mark.parametrize("argv", [
    ("show", "{bad}"), ("suspend", "{bad}"), ("resume", "{bad}"),
    ("enable-module", "{bad}", "crm"), ("disable-module", "{bad}", "crm"),
    ("disable-module", "acme", "crm'; DROP SCHEMA tenant_acme CASCADE; --"),
    ("backup", "{bad}", "--out", "x.dump"), ("drop", "{bad}", "--no-backup", "--yes"),
    ("move", "{bad}", "--to-server", "localhost"), ("sync-data", "{bad}"),
])
def test_every_command_refuses_a_bad_name_before_writing(
        registry: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    assert tenants(capsys, "create", "acme", "--name", "Acme", "--modules", "crm",
                   dsn=registry)[0] == 0
    bad = 'acme"; DROP SCHEMA tenant_acme CASCADE; --'
    with psycopg.connect(registry, autocommit=True) as conn:
        before = snapshot(conn)
        code, _, err = tenants(capsys, *(a.replace("{bad}", bad) for a in argv), dsn=registry)
        assert code == 3 and err.startswith("refused: ") and "hint:" in err
        assert snapshot(conn) == before
        assert "opportunities" in tables(conn, "tenant_acme")
