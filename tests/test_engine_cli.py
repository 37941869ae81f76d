"""plan, apply, drift and diff from the command line, on a real server: exit codes and safety."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from tests.projectfiles import make_project
from tests.zplus import REPO
from zplus_schema.cli import main

APP = """
tables:
  items:
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      name: {type: text, nullable: false}
      price: {type: "numeric(10,2)", nullable: false, default: "0", check: "price >= 0"}
    indexes:
      items_name_idx: {columns: [name]}
"""


def app_project(tmp_path: Path, objects: str = APP) -> Path:
    """Return a project whose system schema is `app` with the given objects."""
    return make_project(tmp_path / "proj", {
        "schema/project.yaml": "project:\n  system_schema: app\n",
        "schema/system/objects.yaml": objects,
    }, base=None)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_plan_apply_drift_cycle(tmp_path: Path, db_dsn: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    code, out, _ = run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system",
                       "--format", "sql")
    assert code == 0 and "CREATE TABLE app.items" in out and "CREATE SCHEMA app;" in out
    code, _, _ = run(capsys, "drift", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert code == 2
    code, out, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert code == 0, err
    assert "system: applied" in out
    code, out, _ = run(capsys, "drift", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert (code, out.strip()) == (0, "system: in sync")
    code, out, _ = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert code == 0 and "system: noop" in out


def test_drift_reports_a_change_made_by_hand(tmp_path: Path, db_dsn: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    assert run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")[0] == 0
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("DROP INDEX app.items_name_idx")
        conn.execute("ALTER TABLE app.items ADD COLUMN extra int")
    code, out, _ = run(capsys, "drift", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert code == 2
    assert "index items_name_idx: create" in out
    assert "column items.extra: drop" in out


def test_hazards_must_be_allowed(tmp_path: Path, db_dsn: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = app_project(tmp_path)
    assert run(capsys, "apply", "--root", str(root), "--dsn", db_dsn,
               "--target", "system")[0] == 0
    price = next(line for line in APP.splitlines(keepends=True) if "price:" in line)
    (root / "schema/system/objects.yaml").write_text(APP.replace(price, ""))
    code, _, err = run(capsys, "apply", "--root", str(root), "--dsn", db_dsn, "--target", "system")
    assert code == 3
    assert "deletes_data" in err and "column items.price" in err
    assert "--allow-hazard deletes_data" in err
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                            "table_schema = 'app' AND column_name = 'price'").fetchone() == (1,)
    code, _, err = run(capsys, "apply", "--root", str(root), "--dsn", db_dsn, "--target",
                       "system", "--allow-hazard", "deletes_data")
    assert code == 0, err


def test_reviewed_plan_is_refused_when_the_target_changed(
        tmp_path: Path, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    plan_file = tmp_path / "plan.json"
    code, _, _ = run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system",
                     "--out", str(plan_file), "--format", "json")
    assert code == 0
    document = json.loads(plan_file.read_text())
    assert document["format"] == "zplus-schema.plan/1"
    assert document["targets"][0]["fingerprint_live"] == "absent"
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA app; CREATE TABLE app.sneaky (id int)")
    code, _, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system",
                       "--plan", str(plan_file))
    assert code == 3 and "changed since the plan was made" in err


def test_reviewed_plan_applies_exactly(tmp_path: Path, db_dsn: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    plan_file = tmp_path / "plan.json"
    run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system", "--out",
        str(plan_file), "--format", "json")
    code, _, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system",
                       "--plan", str(plan_file))
    assert code == 0, err
    with psycopg.connect(db_dsn) as conn:
        row = conn.execute("SELECT target, outcome, plan_hash, fingerprint_before, "
                           "fingerprint_after, statements FROM zplus_meta.ledger").fetchone()
    document = json.loads(plan_file.read_text())
    assert row is not None
    assert row[:4] == ("system", "applied", document["plan_hash"], "absent")
    assert row[4] == document["targets"][0]["fingerprint_desired"]
    assert row[5] == len(document["targets"][0]["steps"])


def test_edited_plan_file_is_rejected(tmp_path: Path, db_dsn: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    plan_file = tmp_path / "plan.json"
    run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system", "--out",
        str(plan_file), "--format", "json")
    plan_file.write_text(plan_file.read_text().replace("CREATE TABLE", "CREATE UNLOGGED TABLE"))
    code, _, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system",
                       "--plan", str(plan_file))
    assert code == 1 and "plan_hash does not match" in err


def test_a_second_run_on_the_same_target_is_refused(tmp_path: Path, db_dsn: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    with psycopg.connect(db_dsn, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(hashtext('zplus-schema:app'))")
        code, _, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target",
                           "system")
    assert code == 3 and "another zplus-schema run is applying to schema app" in err


def test_a_lock_timeout_rolls_back_and_is_recorded(tmp_path: Path, db_dsn: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = app_project(tmp_path)
    assert run(capsys, "apply", "--root", str(root), "--dsn", db_dsn, "--target", "system")[0] == 0
    (root / "schema/system/objects.yaml").write_text(APP.replace(
        "      name: {type: text, nullable: false}\n",
        "      name: {type: text, nullable: false}\n      note: text\n"))
    plan_file = tmp_path / "plan.json"
    assert run(capsys, "plan", "--root", str(root), "--dsn", db_dsn, "--target", "system",
               "--out", str(plan_file), "--format", "json")[0] == 0
    with psycopg.connect(db_dsn) as blocker:
        blocker.execute("LOCK TABLE app.items IN ACCESS EXCLUSIVE MODE")
        code, _, err = run(capsys, "apply", "--root", str(root), "--dsn", db_dsn, "--target",
                           "system", "--plan", str(plan_file), "--lock-timeout", "200ms")
        blocker.rollback()
    assert code == 1 and "lock timeout" in err
    with psycopg.connect(db_dsn) as conn:
        outcomes = conn.execute("SELECT outcome, error FROM zplus_meta.ledger ORDER BY id"
                                ).fetchall()
        cols = conn.execute("SELECT count(*) FROM information_schema.columns WHERE "
                            "table_schema = 'app' AND column_name = 'note'").fetchone()
    assert [o[0] for o in outcomes] == ["applied", "failed"]
    assert "lock timeout" in str(outcomes[1][1])
    assert cols == (0,)
    code, _, err = run(capsys, "apply", "--root", str(root), "--dsn", db_dsn, "--target",
                       "system", "--plan", str(plan_file))
    assert code == 0, err  # once the lock is gone, the same reviewed plan applies


def test_zplus_tenant_modules_come_from_the_registry(db_dsn: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = str(REPO)
    # The Zplus system schema has RLS and grants: creating them changes authorization.
    assert run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system",
               "--allow-hazard", "changes_authorization")[0] == 0
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        tenant = conn.execute("INSERT INTO tenants (slug, name) VALUES ('acme', 'Acme') "
                              "RETURNING id").fetchone()
        module = conn.execute("INSERT INTO modules (name, display_name, version) VALUES "
                              "('crm', 'CRM', '1.0.0') RETURNING id").fetchone()
        assert tenant and module
        conn.execute("INSERT INTO tenant_modules (tenant_id, module_id) VALUES (%s, %s)",
                     (tenant[0], module[0]))
    code, out, err = run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target",
                         "tenant:acme", "--allow-hazard", "changes_authorization")
    assert code == 0, err
    with psycopg.connect(db_dsn) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_acme'"
                              ).fetchone()
    assert tables == (12,)  # template 10 + crm 2
    code, out, _ = run(capsys, "drift", "--root", root, "--dsn", db_dsn, "--target",
                       "tenant:acme")
    assert (code, out.strip()) == (0, "tenant:acme: in sync")


@pytest.mark.parametrize("target, message", [
    ("tenant:Acme", "tenant slug 'Acme'"),
    ('tenant:x"; DROP SCHEMA public; --', "must match"),
    ("schema:Bad-Name", "not a plain lower-case name"),
    ("database:x", "unknown target"),
])
def test_bad_targets_are_refused(target: str, message: str, db_dsn: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "--root", str(REPO), "--dsn", db_dsn, "--target", target)
    assert code == 1 and message in err


def test_unreachable_server_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "plan", "--root", str(REPO), "--dsn",
                       "postgresql://nobody@127.0.0.1:1/nodb", "--target", "system")
    assert code == 1
    assert err.startswith("error: cannot connect to")
    assert "password" not in err.splitlines()[0].lower() or "hint" in err


def test_missing_database_is_one_clear_line(db_dsn: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    dsn = db_dsn.rsplit("/", 1)[0] + "/no_such_db"
    code, _, err = run(capsys, "drift", "--root", str(REPO), "--dsn", dsn, "--target", "system")
    assert code == 1 and 'database "no_such_db" does not exist' in err


def test_missing_privileges_are_one_clear_line(tmp_path: Path, db_dsn: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                     "'zs_no_create') THEN CREATE ROLE zs_no_create LOGIN; END IF; END $$")
        dbname = conn.execute("SELECT current_database()").fetchone()
        assert dbname
        conn.execute(f'REVOKE CREATE ON DATABASE "{dbname[0]}" FROM PUBLIC')
    info = psycopg.conninfo.conninfo_to_dict(db_dsn)
    info["user"] = "zs_no_create"
    dsn = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items()})
    code, _, err = run(capsys, "plan", "--root", str(app_project(tmp_path)), "--dsn", dsn,
                       "--target", "system")
    assert code == 1 and "permission denied" in err


def test_diff_between_databases(pg_server_dsn: str, db_dsn: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    other = db_dsn + "_b" if "?" not in db_dsn else db_dsn
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        name = psycopg.conninfo.conninfo_to_dict(db_dsn)["dbname"]
        admin.execute(f'CREATE DATABASE "{name}_b"')
    try:
        for dsn in (db_dsn, other):
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, a text)")
        code, out, _ = run(capsys, "diff", db_dsn, other, "--schema", "app")
        assert (code, out.strip()) == (0, "-- target schema:app (schema app): 0 statement(s)")
        with psycopg.connect(other, autocommit=True) as conn:
            conn.execute("ALTER TABLE app.t ADD COLUMN b int; CREATE INDEX t_a ON app.t (a)")
        code, out, _ = run(capsys, "diff", db_dsn, other, "--schema", "app")
        assert code == 2
        assert "ALTER TABLE app.t ADD COLUMN b integer;" in out
        assert "CREATE INDEX t_a ON app.t (a);" in out
        code, _, err = run(capsys, "diff", other, db_dsn, "--schema", "app")
        assert code == 3 and "deletes data" in err and "column t.b" in err
        code, out, _ = run(capsys, "diff", other, db_dsn, "--schema", "app", "--unsafe",
                           "--format", "json")
        assert code == 2 and json.loads(out)["targets"][0]["steps"]
    finally:
        with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}_b" WITH (FORCE)')


def test_unmanaged_objects_are_reported_and_left_alone(tmp_path: Path, db_dsn: str,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    root = str(app_project(tmp_path))
    assert run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")[0] == 0
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("CREATE TYPE app.pair AS (a int, b int)")
        conn.execute("CREATE AGGREGATE app.total(int) (SFUNC = int4pl, STYPE = int)")
    code, out, _ = run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system")
    assert code == 0
    assert "system: in sync" in out
    assert "unmanaged (left alone): aggregate total" in out
    assert "unmanaged (left alone): composite type pair" in out or "type pair" in out
    code, out, _ = run(capsys, "plan", "--root", root, "--dsn", db_dsn, "--target", "system",
                       "--format", "json")
    assert any("total" in u for u in json.loads(out)["targets"][0]["unmanaged"])
    assert run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")[0] == 0
    with psycopg.connect(db_dsn) as conn:
        assert conn.execute("SELECT app.total(x) FROM generate_series(1, 3) x").fetchone() == (6,)


def test_plan_detailed_exitcode(tmp_path: Path, db_dsn: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    root = str(app_project(tmp_path))
    args = ("plan", "--root", root, "--dsn", db_dsn, "--target", "system", "--detailed-exitcode")
    assert run(capsys, *args)[0] == 2
    assert run(capsys, "apply", "--root", root, "--dsn", db_dsn, "--target", "system")[0] == 0
    assert run(capsys, *args)[0] == 0


def test_diff_of_a_missing_schema_is_one_clear_line(db_dsn: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", db_dsn, db_dsn, "--schema", "nope")
    assert code == 1 and "schema nope exists in neither database" in err


def test_a_role_that_may_not_log_in_is_one_clear_line(db_dsn: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                     "'zs_nologin') THEN CREATE ROLE zs_nologin NOLOGIN; END IF; END $$")
    info = psycopg.conninfo.conninfo_to_dict(db_dsn)
    info["user"] = "zs_nologin"
    dsn = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items()})
    code, _, err = run(capsys, "drift", "--root", str(REPO), "--dsn", dsn, "--target", "system")
    assert code == 1
    assert err.startswith("error: cannot connect to") and "not permitted to log in" in err
    assert len(err.strip().splitlines()) == 2  # the message and its hint
