"""The command line: exit codes, messages without tracebacks, --root, json-schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.projectfiles import MINIMAL, make_project
from tests.zplus import REPO
from zplus_schema.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_zplus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "--root", str(REPO)], capsys)
    assert code == 0
    assert "system (public): 11 tables" in out
    assert "tenant template: 10 tables" in out
    for module, count in {"crm": 2, "lms": 4, "pos": 4, "hrm": 2, "checkin": 2}.items():
        assert f"module {module}: {count} tables" in out


def test_validate_other_project_with_root(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "--root", str(MINIMAL)], capsys)
    assert (code, out.strip()) == (
        0, "ok: system (public): 1 tables; tenant template: 1 tables; module blog: 1 tables")


def test_root_from_environment(monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ZPLUS_ROOT", str(MINIMAL))
    code, out, _ = run(["validate"], capsys)
    assert code == 0 and "module blog" in out


def test_validate_reports_problems_and_exits_1(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": "tables:\n  x:\n    columns: 3\n"})
    code, out, err = run(["validate", "--root", str(root)], capsys)
    assert code == 1 and out == ""
    assert err.startswith("error: schema/tenant/bad.yaml:3: tables.x.columns:")
    assert err.rstrip().endswith("1 problem found")


@pytest.mark.parametrize("argv, message", [
    (["compile", "tenant", "--tenant", 'acme"; DROP SCHEMA public; --'], "tenant slug"),
    (["compile", "tenant", "--schema", "Tenant-Acme"], "not a plain lower-case name"),
    (["compile", "tenant"], "give exactly one of --schema NAME or --tenant SLUG"),
    (["compile", "tenant", "--tenant", "acme", "--modules", "crm,erp"], "unknown module erp"),
    (["compile", "nothing"], "No such command"),
    (["validate", "--bogus"], "No such option"),
])
def test_bad_arguments_exit_1_with_a_message(argv: list[str], message: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*argv, "--root", str(REPO)] if argv[0] == "compile" and
                         argv[1] == "tenant" else argv, capsys)
    assert code == 1
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": "tables: [\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "zplus_schema.cli", "compile", "system", "--root", str(root)],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 1
    assert "schema/tenant/bad.yaml:2: YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["validate", "--root", str(tmp_path / "nowhere")], capsys)
    assert code == 1 and "no schema/ folder" in err


def test_json_schema_describes_the_format(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "schema.json"
    code, _, _ = run(["json-schema", "--out", str(out_file)], capsys)
    assert code == 0
    schema = json.loads(out_file.read_text())
    column = schema["$defs"]["ColumnSpec"]
    assert {"type", "nullable", "default", "references", "identity"} <= set(column["properties"])
    assert column["additionalProperties"] is False
    assert "TableSpec" in schema["$defs"]
    assert [alt["title"] for alt in schema["anyOf"]] == ["ObjectsFile", "ModuleFile", "ProjectFile",
                                                         "PoliciesFile"]


def test_json_schema_accepts_the_zplus_files(capsys: pytest.CaptureFixture[str]) -> None:
    """Every shipped YAML file validates against the written JSON Schema."""
    import jsonschema
    import yaml

    code, out, _ = run(["json-schema"], capsys)
    assert code == 0
    schema = json.loads(out)
    data = REPO / "schema" / "data"  # reference-data rows: their own format (fleet/refdata.py)
    for file in sorted([*(REPO / "schema").rglob("*.yaml"), *(REPO / "policies").rglob("*.yaml")]):
        if data in file.parents:
            continue
        jsonschema.validate(yaml.safe_load(file.read_text()), schema)


def test_sandbox_runs_on_a_throwaway_server(pg_server_dsn: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # pg_server_dsn only ensures binaries are usable here; the sandbox starts its own server.
    code, out, err = run(["sandbox", "--root", str(REPO), "--tenant", "demo:crm",
                          "--tenant", "acme"], capsys)
    assert code == 0, err
    assert "system schema public: 11 tables" in out
    assert "tenant demo: schema tenant_demo, 12 tables, modules crm" in out
    assert "tenant acme: schema tenant_acme, 10 tables, modules none" in out
    assert "drift tenant:demo: in sync" in out and "drift system: in sync" in out
