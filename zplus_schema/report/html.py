"""Render the access report as one self-contained HTML page: inline CSS, no assets, no JS."""

from __future__ import annotations

import re
from html import escape

from .cells import (
    LEGEND,
    RLS_COLUMNS,
    ROLE_COLUMNS,
    TEMPLATE_NOTE,
    execute_list,
    matrix_rows,
    privilege_columns,
    rls_rows,
    role_row,
    schema_privileges,
    section_title,
    summary_lines,
)
from .model import Finding, Report, Section

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em;color:#1d232a}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccd;padding-bottom:.2em;
margin-top:2em}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1.2em}
th,td{border:1px solid #ccd;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#eef1f5}tr:nth-child(even) td{background:#fafbfc}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{background:#f4f6f8;padding:.5em;margin:.2em 0;white-space:pre-wrap}
.sev{font-weight:600;border-radius:3px;padding:0 .4em;color:#fff}
.critical{background:#8b0000}.high{background:#c0392b}.medium{background:#d68910}
.low{background:#5d6d7e}.note{color:#555}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _prose(text: str) -> str:
    """Escape a sentence of cells.py, turning its `code` spans into <code>."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", _e(text))


def _table(header: list[str], rows: list[list[str]], raw: bool = False) -> str:
    """Return an HTML table; cells are escaped unless `raw` (already HTML)."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c if raw else _e(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return f"<h2>Findings ({len(findings)})</h2><p>No findings.</p>"
    rows = [[f'<span class="sev {_e(f.severity)}">{_e(f.severity)}</span>', _e(f.code),
             f"<code>{_e(f.object)}</code>", _e(f.message), _e(f.action)] for f in findings]
    return (f"<h2>Findings ({len(findings)})</h2>"
            + _table(["severity", "code", "object", "finding", "what to do"], rows, raw=True))


def _policies(section: Section) -> str:
    items = []
    for t in section.tables:
        for p in t.policies:
            kind = "permissive" if p.permissive else "restrictive"
            exprs = "".join(f"<div>{label}:<pre>{_e(x)}</pre></div>"
                            for label, x in (("USING", p.using), ("WITH CHECK", p.with_check))
                            if x is not None)
            items.append(f"<li><code>{_e(p.name)}</code> on <code>{_e(t.name)}</code>: "
                         f"{_e(p.command)}, {kind}, to {_e(', '.join(p.roles))}{exprs}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _section(section: Section) -> str:
    parts = [f"<h2>{_prose(section_title(section))}</h2>"]
    if section.kind != "system":
        parts.append(f"<p>Schemas: {_e(', '.join(section.schemas))}</p>"
                     f"<p class=note>{_prose(TEMPLATE_NOTE)}</p>")
    privs = "; ".join(f"{r}: {p}" for r, p in schema_privileges(section))
    parts.append(f"<p>Owner: {_e(section.owner)}. Schema privileges: {_e(privs)}</p>")
    parts += ["<h3>Row-level security</h3>", _table(RLS_COLUMNS, rls_rows(section)),
              _policies(section)]
    columns = privilege_columns(section)
    matrix = [[t.name, role, *cells] for t in section.tables
              for role, cells in matrix_rows(t, columns)]
    parts += ["<h3>Table privileges</h3>", f"<p class=note>{_prose(LEGEND)}</p>",
              _table(["table", "role", *columns], matrix)]
    if section.functions:
        rows = [[f.signature, f.owner, "definer" if f.security_definer else "invoker",
                 f.search_path or "—", execute_list(f.execute)] for f in section.functions]
        parts += ["<h3>Functions</h3>",
                  _table(["function", "owner", "security", "search_path", "EXECUTE"], rows)]
    return f"<section>{''.join(parts)}</section>"


def render_html(report: Report) -> str:
    """Return the report as one HTML page: findings first, then roles and each schema."""
    summary = "".join(f"<p>{_prose(line)}</p>" for line in summary_lines(report))
    body = [f"<h1>Access report</h1>{summary}", _findings(report.findings),
            "<h2>Roles</h2>", _table(ROLE_COLUMNS, [role_row(r) for r in report.roles])]
    if report.default_privileges:
        rows = [[d.owner, d.schema or "(all)", d.object_type, d.grantee,
                 d.privilege + ("*" if d.grantable else "")] for d in report.default_privileges]
        body += ["<h2>Default privileges</h2>",
                 _table(["owner", "schema", "objects", "grantee", "privilege"], rows)]
    body += [_section(s) for s in report.sections]
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta name=viewport content=\"width=device-width, initial-scale=1\">"
            f"<title>Access report</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")
