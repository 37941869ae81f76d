"""Render a lint result as SARIF 2.1.0, the format GitHub code scanning uploads."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .docs import help_url
from .engine import LintResult
from .finding import Finding, Severity
from .rule import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "helpUri": help_url(rule),
        "help": {"text": rule.why,
                 "markdown": f"{rule.why}\n\nInstead:\n\n```yaml\n{rule.good.strip()}\n```"},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.code[:3]]},
    }


def _result(f: Finding, index: dict[str, int], reason: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.message} ({f.obj})"},
    }
    if f.location is not None:
        result["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": f.location.file.as_posix()},
            "region": {"startLine": f.location.line},
        }}]
    if reason is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": reason}]
    return result


def sarif_document(result: LintResult) -> dict[str, Any]:
    """Return the SARIF log: one run, the rules that ran, findings (suppressed ones marked)."""
    index = {r.code: i for i, r in enumerate(result.rules)}
    results = [_result(f, index) for f in result.findings]
    results += [_result(f, index, sup.reason) for f, sup in result.suppressed]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "zplus-schema",
                "version": __version__,
                "informationUri": help_url(None),
                "rules": [_rule(r) for r in result.rules],
            }},
            "results": results,
        }],
    }


def render_sarif(result: LintResult) -> str:
    """Return the SARIF log as JSON text."""
    return json.dumps(sarif_document(result), indent=2, sort_keys=True) + "\n"
