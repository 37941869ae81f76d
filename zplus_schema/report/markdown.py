"""Render the access report as markdown, for a pull-request comment."""

from __future__ import annotations

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
from .model import Finding, Policy, Report, Section, Table


def _cell(text: str) -> str:
    """Return text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ") or " "


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def render_findings(findings: list[Finding]) -> list[str]:
    """Return the findings table (or a line saying there are none)."""
    lines = [f"## Findings ({len(findings)})", ""]
    if not findings:
        return [*lines, "No findings.", ""]
    return lines + _table(["severity", "code", "object", "finding", "what to do"],
                          [[f.severity, f.code, f"`{f.object}`", f.message, f.action]
                           for f in findings])


def _policy(table: Table, p: Policy) -> list[str]:
    kind = "permissive" if p.permissive else "restrictive"
    lines = [f"- `{p.name}` on `{table.name}`: {p.command}, {kind}, to {', '.join(p.roles)}"]
    for label, expr in (("USING", p.using), ("WITH CHECK", p.with_check)):
        if expr is not None:
            lines += [f"  {label}:", "  ```sql", *(f"  {x}" for x in expr.splitlines()),
                      "  ```"]
    return lines


def _rls(section: Section) -> list[str]:
    lines = ["### Row-level security", "", *_table(RLS_COLUMNS, rls_rows(section))]
    for t in section.tables:
        for p in t.policies:
            lines += _policy(t, p)
    return [*lines, ""] if any(t.policies for t in section.tables) else lines


def _matrix(section: Section) -> list[str]:
    columns = privilege_columns(section)
    rows = [[f"{t.name}", role, *cells] for t in section.tables
            for role, cells in matrix_rows(t, columns)]
    return ["### Table privileges", "", LEGEND, "", *_table(["table", "role", *columns], rows)]


def _functions(section: Section) -> list[str]:
    if not section.functions:
        return []
    rows = [[f"`{f.signature}`", f.owner, "definer" if f.security_definer else "invoker",
             f.search_path or "—", execute_list(f.execute)] for f in section.functions]
    return ["### Functions", "",
            *_table(["function", "owner", "security", "search_path", "EXECUTE"], rows)]


def render_section(section: Section) -> list[str]:
    """Return one schema section: schema privileges, RLS, matrix, functions."""
    lines = [f"## {section_title(section)}", ""]
    if section.kind != "system":
        lines += [f"Schemas: {', '.join(section.schemas)}", "", TEMPLATE_NOTE, ""]
    lines += [f"Owner: {section.owner}. Schema privileges: "
              + "; ".join(f"{r}: {p}" for r, p in schema_privileges(section)), ""]
    return lines + _rls(section) + _matrix(section) + _functions(section)


def render_markdown(report: Report) -> str:
    """Return the whole report as markdown: summary, findings, roles, then each schema."""
    lines = ["# Access report", "", *summary_lines(report), ""]
    lines += render_findings(report.findings)
    lines += ["## Roles", "", *_table(ROLE_COLUMNS, [role_row(r) for r in report.roles])]
    if report.default_privileges:
        lines += ["## Default privileges", "", *_table(
            ["owner", "schema", "objects", "grantee", "privilege"],
            [[d.owner, d.schema or "(all)", d.object_type, d.grantee,
              d.privilege + ("*" if d.grantable else "")] for d in report.default_privileges])]
    for section in report.sections:
        lines += render_section(section)
    return "\n".join(lines).rstrip() + "\n"
