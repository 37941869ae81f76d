"""Roles, grants and RLS of policies/ through the engine on a real server: plan, apply,
re-plan empty for system and tenants, drift on a hand-made GRANT, the audit trigger under
FORCE'd RLS with a non-superuser owner."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.zplus import REPO
from zplus_schema.cli import main
from zplus_schema.introspect.grants import read_acls

Conn = psycopg.Connection[tuple[object, ...]]
ALLOW = ["--allow-hazard", "changes_authorization"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def apply(capsys: pytest.CaptureFixture[str], dsn: str, *targets: str,
          root: Path = REPO) -> None:
    """Apply targets of the repository's definitions, requiring success."""
    for target in targets:  # one by one: a tenant plan needs the system schema in place
        code, out, err = run(capsys, "apply", "--root", str(root), "--dsn", dsn,
                             "--target", target, *ALLOW)
        assert code == 0, out + err


def plan_sql(capsys: pytest.CaptureFixture[str], dsn: str, target: str,
             root: Path = REPO) -> str:
    """Return the plan SQL of one target."""
    code, out, err = run(capsys, "plan", "--root", str(root), "--dsn", dsn, "--target", target,
                         "--format", "sql")
    assert code == 0, err
    return "\n".join(x for x in out.splitlines() if x.strip() and not x.startswith("--"))


def test_system_and_tenant_apply_then_replan_empty(db_dsn: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system")
    apply(capsys, db_dsn, "tenant:acme")
    assert plan_sql(capsys, db_dsn, "system") == ""
    assert plan_sql(capsys, db_dsn, "tenant:acme") == ""


def drift(capsys: pytest.CaptureFixture[str], dsn: str, target: str) -> tuple[int, str]:
    """Run drift on one target; return (exit code, stdout)."""
    code, out, _ = run(capsys, "drift", "--root", str(REPO), "--dsn", dsn, "--target", target)
    return code, out


def test_roles_grants_and_rls_are_in_place(db_dsn: str, db_conn: Conn,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system", "tenant:acme")
    row = db_conn.execute(
        "SELECT rolcanlogin, rolinherit, rolconnlimit, rolsuper, rolbypassrls FROM pg_roles"
        " WHERE rolname = 'zplus_app'").fetchone()
    assert row == (True, False, 200, False, False)
    members = db_conn.execute(
        "SELECT g.rolname, m.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
        " JOIN pg_roles m ON m.oid = a.member WHERE 'tenant_acme' IN (g.rolname, m.rolname)"
        " ORDER BY 1").fetchall()
    assert members == [("tenant_acme", "zplus_app"), ("zplus_tenant", "tenant_acme")]
    checks = db_conn.execute(
        "SELECT has_schema_privilege('tenant_acme', 'tenant_acme', 'USAGE'),"
        " has_table_privilege('tenant_acme', 'tenant_acme.customers', 'DELETE'),"
        " has_table_privilege('tenant_acme', 'tenant_acme.customers', 'TRUNCATE'),"
        " has_column_privilege('analytics_user', 'public.system_users', 'password_hash',"
        "                      'SELECT'),"
        " has_column_privilege('analytics_user', 'public.system_users', 'email', 'SELECT')"
    ).fetchone()
    assert checks == (True, True, False, False, True)
    rls = db_conn.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
        " AND relrowsecurity AND relforcerowsecurity ORDER BY 1").fetchall()
    assert [r[0] for r in rls] == ["audit_logs", "subscriptions", "tenant_modules",
                                   "tenant_schemas", "tenants", "usage_stats"]


def test_grant_by_hand_is_drift_and_is_revoked(db_dsn: str, db_conn: Conn,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system", "tenant:acme")
    db_conn.execute("CREATE SCHEMA IF NOT EXISTS tenant_other")
    db_conn.execute("GRANT SELECT ON public.system_sessions TO zplus_app")
    db_conn.execute("GRANT USAGE ON SCHEMA tenant_acme TO zplus_tenant")
    code, out = drift(capsys, db_dsn, "system")
    assert code == 2 and "grant table system_sessions to zplus_app: revoke" in out
    code, out = drift(capsys, db_dsn, "tenant:acme")
    assert code == 2 and "grant schema (schema) to zplus_tenant: revoke" in out
    sql = plan_sql(capsys, db_dsn, "tenant:acme")
    assert sql == "REVOKE USAGE ON SCHEMA tenant_acme FROM zplus_tenant;"
    apply(capsys, db_dsn, "system", "tenant:acme")
    assert drift(capsys, db_dsn, "system")[0] == 0
    assert drift(capsys, db_dsn, "tenant:acme")[0] == 0


def test_revoke_and_policy_change_by_hand_are_drift(db_dsn: str, db_conn: Conn,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system", "tenant:acme")
    db_conn.execute("REVOKE DELETE ON tenant_acme.customers FROM tenant_acme")
    db_conn.execute("ALTER POLICY tenant_isolation ON public.usage_stats USING (true)")
    assert plan_sql(capsys, db_dsn, "tenant:acme") == (
        "GRANT DELETE ON TABLE tenant_acme.customers TO tenant_acme;")
    code, out = drift(capsys, db_dsn, "system")
    assert code == 2 and "policy usage_stats.tenant_isolation: alter" in out
    apply(capsys, db_dsn, "system", "tenant:acme")
    assert drift(capsys, db_dsn, "system")[0] == 0


def test_grant_to_an_unmanaged_role_is_reported_not_revoked(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system")
    db_conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname ="
                    " 'zs_outsider') THEN CREATE ROLE zs_outsider; END IF; END $$")
    db_conn.execute("GRANT SELECT ON public.plans TO zs_outsider")
    code, out, _ = run(capsys, "plan", "--root", str(REPO), "--dsn", db_dsn,
                       "--target", "system")
    assert code == 0
    assert "grant select on table plans to zs_outsider" in out
    assert "role zs_outsider" in out and "REVOKE" not in out


def test_role_attribute_changed_by_hand_is_altered_back(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system")
    db_conn.execute("ALTER ROLE analytics_user CONNECTION LIMIT 3 CREATEDB")
    assert plan_sql(capsys, db_dsn, "system") == (
        "ALTER ROLE analytics_user WITH NOCREATEDB CONNECTION LIMIT 10;")
    apply(capsys, db_dsn, "system")
    assert plan_sql(capsys, db_dsn, "system") == ""


def as_user(dsn: str, user: str) -> str:
    """Return `dsn` logging in as another role (the test cluster trusts local logins)."""
    return psycopg.conninfo.make_conninfo(dsn, user=user)


def test_audit_trigger_works_under_forced_rls_with_a_non_superuser_owner(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    # FORCE ROW LEVEL SECURITY holds the owner of audit_logs and tenant_schemas too: the
    # SECURITY DEFINER audit function (run as that owner) must still map the schema to its
    # tenant and write the log, for every tenant, with or without app.tenant_id set.
    db_conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname ="
                    " 'zs_owner') THEN CREATE ROLE zs_owner LOGIN CREATEROLE; END IF; END $$")
    # PostgreSQL 16+: a CREATEROLE role may grant membership only in roles it administers
    # (it does those it creates): the migrating role needs ADMIN on the declared groups.
    apply(capsys, db_dsn, "system")  # as the superuser: the declared roles exist
    db_conn.execute("GRANT zplus_tenant TO zs_owner WITH ADMIN OPTION")
    db_conn.execute("DROP SCHEMA public CASCADE")
    db_conn.execute("CREATE SCHEMA public AUTHORIZATION pg_database_owner")
    db_conn.execute("DROP EXTENSION IF EXISTS pgcrypto")
    db_conn.execute("DROP SCHEMA zplus_meta CASCADE")  # the ledger, made by that apply
    db_conn.execute(f"ALTER DATABASE {db_conn.info.dbname} OWNER TO zs_owner")
    owner = as_user(db_dsn, "zs_owner")
    apply(capsys, owner, "system", "tenant:audit_a", "tenant:audit_b")
    ids = {}
    with psycopg.connect(owner, autocommit=True) as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                            ).fetchone() == (False,)
        for slug in ("audit_a", "audit_b"):
            row = conn.execute("INSERT INTO public.tenants (slug, name) VALUES (%s, %s)"
                               " RETURNING id", (slug, slug)).fetchone()
            assert row is not None
            ids[slug] = str(row[0])
            conn.execute("INSERT INTO public.tenant_schemas (tenant_id, schema_name,"
                         " database_name) VALUES (%s, %s, current_database())",
                         (row[0], f"tenant_{slug}"))
    with psycopg.connect(as_user(db_dsn, "zplus_app"), autocommit=True) as app:
        # No tenant role may execute the trigger function (PUBLIC's EXECUTE is revoked):
        # PostgreSQL checks it at CREATE TRIGGER only, so their writes still fire it.
        assert app.execute("SELECT has_function_privilege('tenant_audit_a',"
                           " 'public.audit_row_change()', 'EXECUTE')").fetchone() == (False,)
        for slug in ("audit_a", "audit_b"):
            app.execute(f"SET ROLE tenant_{slug}")
            app.execute("SELECT set_config('app.tenant_id', %s, false)", (ids[slug],))
            app.execute(f"INSERT INTO tenant_{slug}.customers (name) VALUES ('c')")
            seen = app.execute("SELECT tenant_id::text, action FROM public.audit_logs"
                               " WHERE resource = 'customers'").fetchall()
            assert seen == [(ids[slug], "INSERT")]  # its own audit row, not the other's
            app.execute("RESET app.tenant_id")
            app.execute(f"UPDATE tenant_{slug}.customers SET name = 'd'")  # no setting
            app.execute("RESET ROLE")
    with psycopg.connect(owner, autocommit=True) as conn:
        rows = conn.execute("SELECT tenant_id::text, action, count(*) FROM public.audit_logs"
                            " WHERE resource = 'customers' GROUP BY 1, 2 ORDER BY 1, 2"
                            ).fetchall()
    assert sorted(rows) == sorted([(ids[s], a, 1) for s in ids for a in ("INSERT", "UPDATE")])
    # The owner is held by RLS: without its policy the audit INSERT (and so the write) fails.
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute("ALTER POLICY owner_access ON public.audit_logs WITH CHECK (false)")
    with psycopg.connect(as_user(db_dsn, "zplus_app"), autocommit=True) as app:
        app.execute("SET ROLE tenant_audit_a")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            app.execute("UPDATE tenant_audit_a.customers SET name = 'e'")


def test_default_privileges_reach_tables_made_later_and_drift(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system", "tenant:acme")
    db_conn.execute("CREATE TABLE tenant_acme.hotfix (id int)")  # made outside the tool
    row = db_conn.execute("SELECT has_table_privilege('tenant_acme', 'tenant_acme.hotfix',"
                          " 'INSERT'), has_table_privilege('analytics_user',"
                          " 'tenant_acme.hotfix', 'SELECT')").fetchone()
    assert row == (True, False)
    db_conn.execute("DROP TABLE tenant_acme.hotfix")
    db_conn.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA tenant_acme"
                    " REVOKE DELETE ON TABLES FROM tenant_acme")
    code, out = drift(capsys, db_dsn, "tenant:acme")
    assert code == 2 and "default privileges tables to tenant_acme: grant" in out
    assert plan_sql(capsys, db_dsn, "tenant:acme") == (
        "ALTER DEFAULT PRIVILEGES IN SCHEMA tenant_acme GRANT DELETE ON TABLES TO tenant_acme;")


def test_memberships_changed_by_hand_are_drift(db_dsn: str, db_conn: Conn,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    apply(capsys, db_dsn, "system", "tenant:acme", "tenant:beta")
    db_conn.execute("REVOKE zplus_tenant FROM tenant_acme")
    db_conn.execute("GRANT tenant_beta TO tenant_acme")  # acme could read beta's schema
    db_conn.execute("GRANT analytics_user TO zplus_app")
    assert plan_sql(capsys, db_dsn, "tenant:acme") == (
        "REVOKE tenant_beta FROM tenant_acme;\nGRANT zplus_tenant TO tenant_acme;")
    assert plan_sql(capsys, db_dsn, "system") == "REVOKE analytics_user FROM zplus_app;"
    code, out = drift(capsys, db_dsn, "tenant:beta")
    assert code == 2 and "membership tenant_beta to tenant_acme: revoke" in out
    apply(capsys, db_dsn, "system", "tenant:acme", "tenant:beta")
    for target in ("system", "tenant:acme", "tenant:beta"):
        assert drift(capsys, db_dsn, target)[0] == 0


def test_public_execute_on_a_security_definer_function_is_drift(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    # functions.public_execute: security_definer_revoked (policies/grants.yaml).
    apply(capsys, db_dsn, "system", "tenant:acme")
    may_act = "'public.role_may_act_for(name, uuid)'"
    row = db_conn.execute(
        f"SELECT has_function_privilege('zplus_app', {may_act}, 'EXECUTE'),"
        f" has_function_privilege('tenant_acme', {may_act}, 'EXECUTE'),"
        f" has_function_privilege('analytics_user', {may_act}, 'EXECUTE'),"
        " has_function_privilege('zplus_app', 'public.audit_row_change()', 'EXECUTE'),"
        " has_function_privilege('zplus_app', 'public.current_tenant_id()', 'EXECUTE')"
    ).fetchone()
    assert row == (True, True, True, False, True)  # invoker functions keep PUBLIC's
    db_conn.execute("GRANT EXECUTE ON FUNCTION public.audit_row_change() TO PUBLIC")
    code, out = drift(capsys, db_dsn, "system")
    assert code == 2 and "grant function audit_row_change() to public: revoke" in out
    assert plan_sql(capsys, db_dsn, "system") == (
        "REVOKE EXECUTE ON FUNCTION public.audit_row_change() FROM PUBLIC;")
    apply(capsys, db_dsn, "system")
    assert drift(capsys, db_dsn, "system")[0] == 0
    assert drift(capsys, db_dsn, "tenant:acme")[0] == 0


def test_a_function_back_to_postgresql_default_acl_is_drift(
        db_dsn: str, db_conn: Conn, capsys: pytest.CaptureFixture[str]) -> None:
    # A function re-created by hand has no ACL: PUBLIC's EXECUTE is PostgreSQL's default
    # again, and the grants to the roles are gone.
    apply(capsys, db_dsn, "system")
    text = db_conn.execute("SELECT pg_get_functiondef("
                           "'public.role_may_act_for(name, uuid)'::regprocedure)").fetchone()
    assert text is not None
    db_conn.execute("DROP FUNCTION public.role_may_act_for(name, uuid) CASCADE")
    db_conn.execute(str(text[0]))
    code, out = drift(capsys, db_dsn, "system")
    assert code == 2 and ("grant function role_may_act_for(name, uuid) to public"
                          " (PostgreSQL's default): revoke") in out
    sql = plan_sql(capsys, db_dsn, "system")
    assert "REVOKE EXECUTE ON FUNCTION public.role_may_act_for(name, uuid) FROM PUBLIC;" in sql
    assert "GRANT EXECUTE ON FUNCTION public.role_may_act_for(name, uuid) TO zplus_app;" in sql
    apply(capsys, db_dsn, "system")
    assert drift(capsys, db_dsn, "system")[0] == 0


def test_function_acl_reading_tells_postgresql_default_from_a_grant(db_conn: Conn) -> None:
    db_conn.execute("CREATE SCHEMA zs_acl")
    for name in ("fresh", "granted", "revoked"):
        db_conn.execute(f"CREATE FUNCTION zs_acl.{name}(n int) RETURNS int"
                        " LANGUAGE sql AS 'SELECT n'")
    db_conn.execute("REVOKE EXECUTE ON FUNCTION zs_acl.granted(int) FROM PUBLIC")
    db_conn.execute("GRANT EXECUTE ON FUNCTION zs_acl.granted(int) TO PUBLIC")
    db_conn.execute("REVOKE EXECUTE ON FUNCTION zs_acl.revoked(int) FROM PUBLIC")
    acl = read_acls(db_conn, ["zs_acl"])["zs_acl"]
    public = [g.name for g in acl.grants if g.grantee == "public"]
    assert public == ["fresh(integer)", "granted(integer)"]  # a NULL proacl: the default
    assert acl.default_acl == {"fresh(integer)"}
