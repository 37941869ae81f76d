"""`zplus-schema lint`: exit codes, output formats, suppressions, --select/--ignore, --base."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.lint.harness import write_project
from tests.zplus import REPO
from zplus_schema.cli import main
from zplus_schema.lint import RULES
from zplus_schema.lint.rules import zs104_current_setting_missing_ok as zs104

Capture = pytest.CaptureFixture[str]
TABLE = """
tables:
  things:
    comment: Things
    {lint}
    columns:
      id: {{type: uuid, primary_key: true}}
      made_at: {{type: timestamp, nullable: false}}
"""


def run(argv: list[str], capsys: Capture) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def project(tmp: Path, lint: str = "", extra: dict[str, str] | None = None) -> Path:
    """Write a one-table project with a ZS106 warning (and `lint:` text on the table)."""
    files = {"schema/tenant/things.yaml": TABLE.format(lint=lint)}
    return write_project(tmp, {**files, **(extra or {})})


@pytest.fixture()
def erroring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return (as cwd) a project whose function has a ZS104 error, plus a ZS106 warning."""
    monkeypatch.chdir(tmp_path)
    return project(tmp_path, extra={"schema/tenant/example.yaml": zs104.RULE.bad})


# -- exit codes ------------------------------------------------------------------------------

def test_zplus_schema_passes_at_error_and_warning_level(capsys: Capture) -> None:
    for fail_on in ("error", "warning"):
        code, out, _ = run(["lint", "--root", str(REPO), "--fail-on", fail_on], capsys)
        assert code == 0, out
    # The shared tenant_id tables have forced RLS now: no info finding is left either.
    assert re.search(r"^All checks passed \(\d+ rules; 2 suppressed\)\.$", out, re.M)


def test_fail_on_decides_the_exit_code(tmp_path: Path, capsys: Capture) -> None:
    root = project(tmp_path)  # one warning
    assert run(["lint", "--root", str(root)], capsys)[0] == 0
    assert run(["lint", "--root", str(root), "--fail-on", "warning"], capsys)[0] == 1
    assert run(["lint", "--root", str(root), "--fail-on", "info"], capsys)[0] == 1


def test_error_finding_exits_1(erroring: Path, capsys: Capture) -> None:
    code, out, err = run(["lint", "--root", "."], capsys)
    assert (code, err) == (1, "")
    assert re.search(r"^schema/tenant/example\.yaml:7: ZS104 \[error\] current_setting\('app"
                     r"\.tenant_id'\) .+ \(function audit_trigger_function\(\)\)$", out, re.M)
    assert out.rstrip().endswith("Found 2 findings (1 error, 1 warning).")


@pytest.mark.parametrize("argv, message", [
    (["--format", "xml"], "Invalid value for '--format'"),
    (["--fail-on", "fatal"], "Invalid value for '--fail-on'"),
    (["--select", "ZS9"], "--select: 'ZS9' matches no rule"),
    (["--ignore", "E501"], "--ignore: 'E501' matches no rule"),
    (["--base", "/nonexistent/base"], "does not exist"),
])
def test_bad_options_exit_1_with_a_message(argv: list[str], message: str, tmp_path: Path,
                                           capsys: Capture) -> None:
    code, out, err = run(["lint", "--root", str(project(tmp_path)), *argv], capsys)
    assert (code, out) == (1, "")
    assert message in err and "Traceback" not in err


def test_invalid_definitions_are_reported_like_validate(tmp_path: Path, capsys: Capture) -> None:
    root = write_project(tmp_path, {"schema/tenant/x.yaml": """
        tables:
          a:
            columns:
              id: {type: uuid, primary_key: true}
              b_id: {type: uuid, references: nowhere}
        """})
    code, out, err = run(["lint", "--root", str(root)], capsys)
    assert (code, out) == (1, "")
    assert "references table 'nowhere', which is not defined" in err


# -- formats ---------------------------------------------------------------------------------

def test_json_is_stable(erroring: Path, capsys: Capture) -> None:
    code, out, _ = run(["lint", "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 1
    assert set(doc) == {"findings", "format", "rules", "summary", "suppressed", "tool_version"}
    assert doc["format"] == "zplus-schema.lint/1" and len(doc["rules"]) == len(RULES)
    assert doc["summary"] == {"error": 1, "warning": 1, "info": 0, "suppressed": 0}
    first = doc["findings"][0]
    assert set(first) == {"code", "name", "severity", "message", "object", "group", "file",
                          "line"}
    assert (first["code"], first["file"], first["line"]) == (
        "ZS104", "schema/tenant/example.yaml", 7)


def test_sarif_has_what_github_code_scanning_reads(erroring: Path, capsys: Capture) -> None:
    _, out, _ = run(["lint", "--format", "sarif"], capsys)
    doc = json.loads(out)
    assert doc["version"] == "2.1.0" and "sarif" in doc["$schema"]
    (sarif_run,) = doc["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    for r in rules:
        assert r["shortDescription"]["text"] and r["helpUri"].startswith("https://")
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = sarif_run["results"]
    assert {r["ruleId"] for r in results} == {"ZS104", "ZS106"}
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning") and res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].startswith("schema/tenant/")
        assert loc["region"]["startLine"] >= 1


def test_github_annotations(erroring: Path, capsys: Capture) -> None:
    _, out, _ = run(["lint", "--format", "github"], capsys)
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "::error file=schema/tenant/example.yaml,line=7,title=ZS104::current_setting(")
    assert lines[1].startswith("::warning file=schema/tenant/things.yaml,line=7,title=ZS106::")


def test_paths_are_shown_from_the_current_directory(tmp_path: Path, capsys: Capture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path / "sub")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(["lint", "--root", "sub"], capsys)
    assert out.startswith("sub/schema/tenant/things.yaml:7: ZS106 [warning]")


# -- selection -------------------------------------------------------------------------------

def test_select_and_ignore(erroring: Path, capsys: Capture) -> None:
    def codes(*argv: str) -> set[str]:
        _, out, _ = run(["lint", "--format", "json", *argv], capsys)
        return {f["code"] for f in json.loads(out)["findings"]}

    assert codes("--select", "ZS104") == {"ZS104"}
    assert codes("--select", "zs1", "--ignore", "ZS104") == {"ZS106"}
    assert codes("--ignore", "ZS104,ZS106") == set()
    assert codes("--select", "ZS3") == set()
    assert run(["lint", "--ignore", "ZS104"], capsys)[0] == 0


def test_project_select_is_the_default(tmp_path: Path, capsys: Capture) -> None:
    root = project(tmp_path, extra={"schema/project.yaml": "lint: {select: [ZS3]}\n"})
    assert "All checks passed (7 rules)." in run(["lint", "--root", str(root)], capsys)[1]
    _, out, _ = run(["lint", "--root", str(root), "--select", "ZS106"], capsys)
    assert "ZS106" in out
    bad = project(tmp_path / "bad", extra={"schema/project.yaml": "lint: {select: [ZS999]}\n"})
    code, _, err = run(["lint", "--root", str(bad)], capsys)
    assert code == 1 and "lint.select in schema/project.yaml: 'ZS999' matches no rule" in err


# -- suppressions ----------------------------------------------------------------------------

@pytest.mark.parametrize("where, files", [
    ("table", {"lint": "lint: {ignore: [{code: ZS106, reason: legacy clock}]}"}),
    ("project", {"extra": "lint: {ignore: [{code: ZS106, reason: legacy clock}]}"}),
])
def test_suppression_with_reason(where: str, files: dict[str, str], tmp_path: Path,
                                 capsys: Capture) -> None:
    extra = {"schema/project.yaml": files["extra"]} if "extra" in files else {}
    root = project(tmp_path, files.get("lint", ""), extra)
    code, out, _ = run(["lint", "--root", str(root), "--fail-on", "info", "--format", "json"],
                       capsys)
    doc = json.loads(out)
    assert (code, doc["findings"]) == (0, [])
    (sup,) = doc["suppressed"]
    assert (sup["code"], sup["reason"]) == ("ZS106", "legacy clock")
    assert sup["suppressed_at"].endswith(".yaml:4" if where == "table" else ".yaml:1")


def test_suppression_on_a_column_covers_that_column_only(tmp_path: Path,
                                                         capsys: Capture) -> None:
    root = write_project(tmp_path, {"schema/tenant/t.yaml": """
        tables:
          t:
            comment: T
            columns:
              id: {type: uuid, primary_key: true}
              a: {type: timestamp, lint: {ignore: [{code: ZS106, reason: wall clock}]}}
              b: timestamp
        """})
    _, out, _ = run(["lint", "--root", str(root)], capsys)
    assert "t.b is timestamp" in out and "t.a" not in out and "1 suppressed" in out


def test_suppression_on_a_function_covers_its_body(erroring: Path, capsys: Capture) -> None:
    path = erroring / "schema/tenant/example.yaml"
    path.write_text(path.read_text().replace(
        "    language: plpgsql\n",
        "    language: plpgsql\n    lint: {ignore: [{code: ZS104, reason: set by every pool}]}\n"))
    code, out, _ = run(["lint"], capsys)
    assert code == 0 and "ZS104" not in out and "1 suppressed" in out


@pytest.mark.parametrize("entry, message", [
    ("{code: ZS106}", "schema/tenant/things.yaml:4: tables.things.lint.ignore.0.reason: "
                      "missing required key 'reason'"),
    ("ZS106", "a suppression needs a reason: write {code: ZS106, reason:"),
    ("{code: ZS106, reason: '  '}", "the reason of a suppression must not be empty"),
    ("{code: zs106, reason: x}", "String should match pattern"),
])
def test_suppression_without_reason_is_a_load_error(entry: str, message: str, tmp_path: Path,
                                                    capsys: Capture) -> None:
    root = project(tmp_path, f"lint: {{ignore: [{entry}]}}")
    code, out, err = run(["lint", "--root", str(root)], capsys)
    assert (code, out) == (1, "")
    assert message in err and "Traceback" not in err


def test_suppression_of_an_unknown_code_is_an_error(tmp_path: Path, capsys: Capture) -> None:
    root = project(tmp_path, "lint: {ignore: [{code: ZS999, reason: typo}]}")
    code, _, err = run(["lint", "--root", str(root)], capsys)
    assert code == 1
    assert "schema/tenant/things.yaml:4: lint.ignore: lint: no rule has code ZS999" in err


# -- change rules against a base -------------------------------------------------------------

def test_base_lints_the_changes(tmp_path: Path, capsys: Capture) -> None:
    base = project(tmp_path / "base")
    head = write_project(tmp_path / "head", {"schema/tenant/things.yaml": """
        tables:
          things:
            comment: Things
            columns:
              id: {type: uuid, primary_key: true}
              made_on: {type: timestamp, nullable: false}
        """})
    argv = ["lint", "--root", str(head), "--base", str(base), "--select", "ZS2",
            "--format", "json"]
    code, out, _ = run(argv, capsys)
    found = {(f["code"], f["object"]) for f in json.loads(out)["findings"]}
    assert code == 1  # ZS201 is an error
    assert found == {("ZS204", "column things.made_at"), ("ZS206", "column things.made_on"),
                     ("ZS201", "column things.made_on")}


def test_base_that_does_not_load(tmp_path: Path, capsys: Capture) -> None:
    base = write_project(tmp_path / "base", {"schema/tenant/a.yaml": "tables: {x: 3}\n"})
    code, out, err = run(["lint", "--root", str(project(tmp_path / "head")), "--base",
                          str(base)], capsys)
    assert (code, out) == (1, "")
    assert f"--base {base}: the definitions there do not load" in err
    assert "schema/tenant/a.yaml:1: tables.x:" in err
