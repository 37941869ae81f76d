"""`report access --from-yaml` on the Zplus definitions, and `--diff` a git revision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.zplus import REPO
from zplus_schema.cli import main
from zplus_schema.report.model import SEVERITIES

RLS = """    row_level_security: forced
    policies:
      see_all: {using: "true"}
"""


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    *args], check=True, capture_output=True)


def _project(tmp_path: Path) -> Path:
    """Return a git repository holding a copy of the Zplus definitions, committed."""
    root = tmp_path / "zplus"
    for folder in ("schema", "policies"):
        shutil.copytree(REPO / folder, root / folder)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "base")
    return root


def test_from_yaml_on_zplus_and_diff_a_git_revision(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    root = _project(tmp_path)
    out = tmp_path / "zplus.json"
    code = main(["report", "access", "--from-yaml", "--root", str(root), "--format", "json",
                 "--out", str(out)])
    assert code == 0
    doc = json.loads(out.read_text())
    kinds = [(s["kind"], s["schemas"]) for s in doc["sections"]]
    assert kinds == [("system", ["public"]), ("tenant-template", ["tenant_template"])]
    tenant_tables = {t["name"] for t in doc["sections"][1]["tables"]}
    assert {"customers", "users"} <= tenant_tables
    assert all(f["severity"] in SEVERITIES and f["code"].startswith("AR")
               for f in doc["findings"])
    capsys.readouterr()

    # Forcing RLS with a USING (true) policy on a table without RLS (payments: it reaches
    # its tenant through subscriptions): the diff says exactly that.
    billing = root / "schema" / "system" / "billing.yaml"
    text = billing.read_text()
    anchor = "    comment: Payment history of subscriptions\n"
    billing.write_text(text.replace(anchor, anchor + RLS))
    code = main(["report", "access", "--from-yaml", "--root", str(root), "--diff", "HEAD",
                 "--format", "json"])
    assert code == 2
    diff = json.loads(capsys.readouterr().out)
    added = {(a["category"], a["text"].split(":")[0]) for a in diff["added"]}
    removed = {(r["category"], r["text"]) for r in diff["removed"]}
    assert ("rls", "public.payments") in added
    assert ("policy", "public.payments policy see_all") in added
    assert ("finding", "[high] AR104 policy see_all on public.payments") in added
    assert ("rls", "public.payments: row-level security disabled") in removed
