"""Offline plans between two versions of the definitions (git revision or folder)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg
import pytest

from tests.projectfiles import make_project
from tests.zplus import REPO, build_zplus
from zplus_schema.cli import main

POSTS_V2 = """
tables:
  posts:
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      author_id: {type: bigint, nullable: false, references: people(id)}
      title: {type: "varchar(200)", nullable: false}
      body: text
      published: {type: boolean, nullable: false, default: "false"}
      updated_at: {type: timestamptz, nullable: false, default: now()}
    indexes:
      posts_author_idx: {columns: [author_id, {column: updated_at, order: desc}], include: [title]}
"""


def git(root: Path, *args: str) -> None:
    """Run git in `root` with a fixed identity."""
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


def repo_with_change(tmp_path: Path) -> Path:
    """Return a git repository whose working tree adds a column to blog.posts."""
    root = make_project(tmp_path / "repo", {})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    (root / "schema/modules/blog/posts.yaml").write_text(POSTS_V2)
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_plan_from_git_revision(tmp_path: Path, pg_server_dsn: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    root = repo_with_change(tmp_path)
    code, out, err = run(capsys, "plan", "--root", str(root), "--from-git", "HEAD",
                         "--detailed-exitcode")
    assert code == 2, err
    assert "Compared with `HEAD`." in out
    assert "| system | — | 0 | — |" in out
    assert ("ALTER TABLE t_set0.posts ADD COLUMN published boolean DEFAULT false NOT NULL;"
            in out)


def test_plan_from_dir_as_json_and_no_change(tmp_path: Path, pg_server_dsn: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = repo_with_change(tmp_path)
    base = make_project(tmp_path / "base", {})
    code, out, _ = run(capsys, "plan", "--root", str(root), "--from-dir", str(base),
                       "--format", "json")
    assert code == 0
    steps = [s["sql"] for t in json.loads(out)["targets"] for s in t["steps"]]
    assert steps == ["ALTER TABLE t_set0.posts ADD COLUMN published boolean DEFAULT false "
                     "NOT NULL"]
    code, out, _ = run(capsys, "plan", "--root", str(base), "--from-dir", str(base),
                       "--format", "json", "--detailed-exitcode")
    assert code == 0 and all(not t["steps"] for t in json.loads(out)["targets"])


def test_bad_revision_is_one_clear_line(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = repo_with_change(tmp_path)
    code, _, err = run(capsys, "plan", "--root", str(root), "--from-git", "no-such-rev")
    assert code == 1 and err.startswith("error: git archive")


def test_tenant_counts_per_module_set_from_the_registry(
        tmp_path: Path, db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    with psycopg.connect(db_dsn, autocommit=True) as conn:
        ids = build_zplus(conn, {"a": ["crm"], "b": ["crm"], "c": []})
        crm = conn.execute("INSERT INTO modules (name, display_name, version) VALUES "
                           "('crm', 'CRM', '1') RETURNING id").fetchone()
        assert crm
        for slug in ("a", "b"):
            conn.execute("INSERT INTO tenant_modules (tenant_id, module_id) VALUES (%s, %s)",
                         (ids[slug], crm[0]))
    code, out, err = run(capsys, "plan", "--root", str(REPO), "--from-dir", str(REPO),
                         "--dsn", db_dsn)
    assert code == 0, err
    assert "| tenant[crm] | 2 | 0 | — |" in out
    assert "| tenant[no modules] | 1 | 0 | — |" in out
