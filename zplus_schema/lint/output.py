"""Render a lint result: text (like ruff), json (stable), github (workflow commands)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from .engine import LintResult
from .finding import Finding, Severity

JSON_FORMAT = "zplus-schema.lint/1"
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _where(f: Finding) -> str:
    return str(f.location) if f.location else f"<{f.group}>"


def render_text(result: LintResult) -> str:
    """Return one `file:line: CODE [severity] message (object)` line per finding, a summary."""
    lines = [f"{_where(f)}: {f.code} [{f.severity.value}] {f.message} ({f.obj})"
             for f in result.findings]
    counts = result.counts()
    suppressed = f"; {counts['suppressed']} suppressed" if counts["suppressed"] else ""
    if result.findings:
        parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity if counts[s.value])
        total = len(result.findings)
        lines.append(f"Found {total} finding{'s' if total != 1 else ''} ({parts}){suppressed}.")
    else:
        lines.append(f"All checks passed ({len(result.rules)} rules{suppressed}).")
    return "\n".join(lines) + "\n"


def render_json(result: LintResult) -> str:
    """Return the stable JSON document: findings, suppressed findings with reasons, counts."""
    suppressed: list[dict[str, Any]] = []
    for finding, sup in result.suppressed:
        suppressed.append({**finding.to_json(), "reason": sup.reason,
                           "suppressed_at": str(sup.location)})
    doc = {
        "format": JSON_FORMAT,
        "tool_version": __version__,
        "rules": [r.code for r in result.rules],
        "findings": [f.to_json() for f in result.findings],
        "suppressed": suppressed,
        "summary": result.counts(),
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult) -> str:
    """Return GitHub Actions workflow commands: `::error file=F,line=N,title=CODE::message`."""
    lines = []
    for f in result.findings:
        props = []
        if f.location:
            props += [f"file={_escape_property(str(f.location.file))}",
                      f"line={f.location.line}"]
        props.append(f"title={_escape_property(f.code)}")
        message = _escape_data(f"{f.message} ({f.obj}) [{f.name}]")
        lines.append(f"::{_GITHUB_LEVEL[f.severity]} {','.join(props)}::{message}")
    return "".join(line + "\n" for line in lines)
