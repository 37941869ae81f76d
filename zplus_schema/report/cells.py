"""What the markdown and HTML renderers share: matrix cells, role flags, summaries."""

from __future__ import annotations

from collections import defaultdict

from .model import PUBLIC, TABLE_PRIVILEGES, TENANT_ROLE, Access, Report, Role, Section, Table

CHECK = "✓"
LEGEND = (f"{CHECK}: granted to the role; `via R`: inherited through membership in R; "
          "`cols a, b`: only on those columns; `*`: WITH GRANT OPTION. The PUBLIC row is "
          "what every role has. Superusers pass every check, listed here or not.")
TEMPLATE_NOTE = (f"`{TENANT_ROLE}` stands for each tenant schema's own role "
                 "(`tenant_acme` in `tenant_acme`; `{tenant_role}_ro` for `tenant_acme_ro`).")


def privilege_columns(section: Section) -> list[str]:
    """Return the matrix columns: the seven table privileges, MAINTAIN when granted."""
    used = {a.privilege for t in section.tables for a in t.access}
    return [p for p in TABLE_PRIVILEGES if p != "MAINTAIN" or p in used]


def _cell(items: list[Access]) -> str:
    parts: list[str] = []
    table_level = [a for a in items if a.column is None]
    for a in table_level:
        parts.append(CHECK + ("*" if a.grantable else "") + (f" via {a.via}" if a.via else ""))
    by_via: dict[tuple[str | None, bool], list[str]] = defaultdict(list)
    for a in items:
        if a.column is not None:
            by_via[(a.via, a.grantable)].append(a.column)
    for (via, grantable), cols in sorted(by_via.items(), key=lambda kv: kv[0][0] or ""):
        parts.append(f"cols {', '.join(sorted(cols))}" + ("*" if grantable else "")
                     + (f" via {via}" if via else ""))
    return "; ".join(parts)


def _role_order(role: str) -> tuple[int, str]:
    return (0 if role == PUBLIC else 1, role)


def matrix_rows(table: Table, columns: list[str]) -> list[tuple[str, list[str]]]:
    """Return (role, one cell per privilege column) for every role with access to the table."""
    by_role: dict[str, dict[str, list[Access]]] = defaultdict(lambda: defaultdict(list))
    for a in table.access:
        by_role[a.role][a.privilege].append(a)
    return [(role, [_cell(privs.get(p, [])) for p in columns])
            for role, privs in sorted(by_role.items(), key=lambda kv: _role_order(kv[0]))]


def schema_privileges(section: Section) -> list[tuple[str, str]]:
    """Return (role, privileges) on the schema itself, PUBLIC first."""
    by_role: dict[str, list[str]] = defaultdict(list)
    for a in section.schema_access:
        by_role[a.role].append(a.privilege + ("*" if a.grantable else "")
                               + (f" via {a.via}" if a.via else ""))
    return [(r, ", ".join(sorted(p))) for r, p in sorted(by_role.items(),
                                                           key=lambda kv: _role_order(kv[0]))]


def execute_list(items: list[Access]) -> str:
    """Return who may EXECUTE a function, PUBLIC first."""
    names = sorted({a.role + (f" via {a.via}" if a.via else "") for a in items},
                   key=lambda n: _role_order(n))
    return ", ".join(names)


def role_flags(role: Role) -> list[str]:
    """Return the yes/no attribute cells of a role, in the roles table's column order."""
    flags = [role.login, role.superuser, role.bypassrls, role.createrole, role.createdb,
             role.inherit]
    return ["yes" if f else "no" for f in flags]


ROLE_COLUMNS = ["role", "login", "superuser", "bypassrls", "createrole", "createdb", "inherit",
                "connection limit", "member of"]


def role_row(role: Role) -> list[str]:
    """Return one row of the roles table."""
    limit = "unlimited" if role.connection_limit < 0 else str(role.connection_limit)
    member_of = ", ".join(m.role + ("" if m.inherit else " (noinherit)")
                          + (" (admin)" if m.admin else "") for m in role.member_of)
    name = role.name + (" (bootstrap superuser)" if role.bootstrap else "")
    return [name, *role_flags(role), limit, member_of or "—"]


def table_name(section: Section, table: Table) -> str:
    """Return a table's name, saying in how many schemas it is when not in all (modules)."""
    if section.kind == "tenant-template" and table.in_schemas != len(section.schemas):
        return f"{table.name} (in {table.in_schemas} schema(s))"
    return table.name


RLS_COLUMNS = ["table", "enabled", "forced", "tenant_id", "policies"]


def rls_rows(section: Section) -> list[list[str]]:
    """Return the row-level security table: one row per table (not per view)."""
    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    return [[table_name(section, t), yes(t.rls_enabled), yes(t.rls_forced),
             yes(t.has_tenant_key), str(len(t.policies))]
            for t in section.tables if t.kind in ("table", "partitioned table")]


def section_title(section: Section) -> str:
    """Return the heading of a section."""
    if section.kind == "system":
        return f"System schema `{section.label}`"
    if section.kind == "tenant-template":
        return f"Tenant template `{section.label}` ({len(section.schemas)} schema(s))"
    return f"Tenant schema(s) differing from the template: `{section.label}`"


def summary_lines(report: Report) -> list[str]:
    """Return the overview sentences: schemas covered, template sharing, finding counts."""
    template = [s for s in report.sections if s.kind == "tenant-template"]
    variants = [n for s in report.sections if s.kind == "tenant-variant" for n in s.schemas]
    st = report.settings
    lines = [f"Source: {report.source}. System schema: `{st.system_schema}`; tenant schemas: "
             f"`{st.tenant_schema_prefix}*`; tenant roles: `{st.tenant_role_prefix}*`."]
    if template:
        count = len(template[0].schemas) + len(variants)
        lines.append(f"{len(template[0].schemas)} of {count} tenant schema(s) share the "
                     "tenant template" + (f"; differing: `{'`, `'.join(variants)}`."
                                          if variants else "."))
    else:
        lines.append("No tenant schema found.")
    counts = {sev: sum(f.severity == sev for f in report.findings)
              for sev in ("critical", "high", "medium", "low")}
    lines.append("Findings: " + ", ".join(f"{n} {sev}" for sev, n in counts.items()) + ".")
    return lines
