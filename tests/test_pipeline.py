"""The ready pipeline scripts in ci/pipeline, run as a CI system would run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.projectfiles import MINIMAL
from tests.zplus import REPO

PIPELINE = REPO / "ci" / "pipeline"


def _env(**extra: str) -> dict[str, str]:
    """Return an environment whose PATH finds this interpreter's zplus-schema script."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("ZPLUS_DSN", None)
    env.update(extra)
    return env


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
                   check=True, capture_output=True)


def test_pull_request_script(tmp_path: Path, pg_server_dsn: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(MINIMAL, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    posts = root / "schema/modules/blog/posts.yaml"
    posts.write_text(posts.read_text().replace(
        "      body: text\n",
        '      body: text\n      published: {type: boolean, nullable: false, default: "false"}\n'))
    proc = subprocess.run(["bash", str(PIPELINE / "pr.sh"), "HEAD", "out"], cwd=root,
                          env=_env(), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "::warning file=schema/tenant/people.yaml" in proc.stdout  # serial column
    plan_md = (root / "out/plan.md").read_text()
    assert "ADD COLUMN published boolean DEFAULT false NOT NULL" in plan_md
    sarif = (root / "out/lint.sarif").read_text()
    assert '"version": "2.1.0"' in sarif
    assert (root / "out/plan.json").exists()


def test_deploy_script_applies_system_then_each_tenant(tmp_path: Path, db_dsn: str) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(subprocess.run(
            [sys.executable, "-m", "zplus_schema.cli", "compile", "system", "--root", str(REPO)],
            capture_output=True, text=True, check=True).stdout)
        for slug in ("alpha", "beta"):
            row = conn.execute("INSERT INTO tenants (slug, name) VALUES (%s, %s) RETURNING id",
                               (slug, slug)).fetchone()
            assert row
            conn.execute("INSERT INTO tenant_schemas (tenant_id, schema_name, database_name) "
                         "VALUES (%s, %s, current_database())", (row[0], f"tenant_{slug}"))
    # A new tenant schema gets its role and grants: reviewers accept changes_authorization.
    proc = subprocess.run(["bash", str(PIPELINE / "deploy.sh"), str(tmp_path / "out")],
                          cwd=REPO, env=_env(ZPLUS_DSN=db_dsn,
                                             ZPLUS_ALLOW_HAZARDS="changes_authorization"),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "tenant:alpha: applied" in proc.stdout and "tenant:beta: applied" in proc.stdout
    with psycopg.connect(db_dsn) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_beta'"
                              ).fetchone()
    assert tables == (10,)  # no modules registered: the template only
    assert (tmp_path / "out/tenant_alpha.plan.json").exists()


def test_deploy_canary_stops_the_rollout(tmp_path: Path, db_dsn: str) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        conn.execute(subprocess.run(
            [sys.executable, "-m", "zplus_schema.cli", "compile", "system", "--root", str(REPO)],
            capture_output=True, text=True, check=True).stdout)
        for slug in ("aaa", "bbb", "ccc"):
            row = conn.execute("INSERT INTO tenants (slug, name) VALUES (%s, %s) RETURNING id",
                               (slug, slug)).fetchone()
            assert row
            conn.execute("INSERT INTO tenant_schemas (tenant_id, schema_name, database_name) "
                         "VALUES (%s, %s, current_database())", (row[0], f"tenant_{slug}"))
        # The canary tenant already holds a table the template does not define: dropping it
        # deletes data, which this deployment did not allow.
        conn.execute("CREATE SCHEMA tenant_aaa; CREATE TABLE tenant_aaa.legacy (id int)")
    proc = subprocess.run(["bash", str(PIPELINE / "deploy.sh"), str(tmp_path / "out")],
                          cwd=REPO, env=_env(ZPLUS_DSN=db_dsn, ZPLUS_CANARY="1"),
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "canary failed (aaa)" in proc.stderr
    with psycopg.connect(db_dsn) as conn:
        untouched = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname IN "
                                 "('tenant_bbb', 'tenant_ccc')").fetchone()
    assert untouched == (0,)
