"""Findings: what an auditor must look at, each with a severity, a stable code and a fix.

Codes are stable (docs/report.md lists them): AR1xx row-level security, AR2xx PUBLIC,
AR3xx functions, AR4xx roles, AR5xx tenant roles, AR6xx tenant schemas.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..ident import quote_ident
from .model import PUBLIC, DefaultPrivilege, Finding, Role, Section, Settings, Table
from .pretty import is_true
from .tenantroles import tenant_role_findings

# Membership in these predefined roles reads or writes every table, whatever the grants say.
ALL_DATA_ROLES = ("pg_read_all_data", "pg_write_all_data")
RLS_KINDS = ("table", "partitioned table")


def object_prefix(section: Section) -> str:
    """Return how findings name the schema of a section: public, tenant_*, tenant_x."""
    return section.label


def _where(section: Section) -> str:
    if section.kind == "tenant-template":
        return f" (tenant template: {len(section.schemas)} schema(s))"
    return ""


def _rls_findings(s: Section, t: Table) -> Iterator[Finding]:
    name = f"{object_prefix(s)}.{quote_ident(t.name)}"
    shared = s.kind == "system" and t.has_tenant_key and t.kind in RLS_KINDS
    if shared and not t.rls_enabled:
        yield Finding("high", "AR101", f"table {name}",
                      "shared table holds rows of every tenant (tenant_id) without row-level "
                      "security: any role that may read it reads every tenant's rows",
                      "enable and force row-level security with a policy on tenant_id "
                      "(YAML: row_level_security: forced, policies:)")
    elif shared and not t.rls_forced:
        yield Finding("medium", "AR102", f"table {name}",
                      "row-level security is enabled but not forced: the table owner "
                      "(often the application's role) bypasses the policies",
                      "FORCE ROW LEVEL SECURITY (YAML: row_level_security: forced)")
    if t.policies and not t.rls_enabled:
        yield Finding("medium", "AR103", f"table {name}",
                      f"{len(t.policies)} polic(y/ies) but row-level security is disabled: "
                      "they restrict nothing", "enable row-level security, or drop the policies")
    for p in t.policies:
        if p.permissive and is_true(p.using):
            yield Finding("high", "AR104", f"policy {p.name} on {name}",
                          f"permissive policy USING (true) for {', '.join(p.roles)}: those "
                          f"roles see every row{_where(s)}",
                          "restrict USING to the rows of the current tenant")
        if p.permissive and is_true(p.with_check):
            yield Finding("high", "AR105", f"policy {p.name} on {name}",
                          f"permissive policy WITH CHECK (true) for {', '.join(p.roles)}: "
                          f"those roles may write rows of any tenant{_where(s)}",
                          "restrict WITH CHECK to the rows of the current tenant")


def _public_findings(s: Section, t: Table) -> Iterator[Finding]:
    granted = sorted({a.privilege + (f"({a.column})" if a.column else "")
                      for a in t.access if a.role == PUBLIC})
    if granted:
        yield Finding("high", "AR201", f"{t.kind} {object_prefix(s)}.{quote_ident(t.name)}",
                      f"PUBLIC (every role) has {', '.join(granted)}{_where(s)}",
                      "REVOKE ... FROM PUBLIC; grant to the roles that need it")


def _schema_findings(s: Section) -> Iterator[Finding]:
    public = {a.privilege for a in s.schema_access if a.role == PUBLIC}
    obj = f"schema {object_prefix(s)}"
    if "CREATE" in public:
        yield Finding("high", "AR202", obj, f"PUBLIC may create objects in the schema"
                      f"{_where(s)}: anyone can plant functions or tables other roles resolve",
                      "REVOKE CREATE ON SCHEMA ... FROM PUBLIC")
    if "USAGE" in public:
        severity = "low" if s.kind == "system" else "medium"
        yield Finding(severity, "AR203", obj, f"PUBLIC has USAGE on the schema{_where(s)} "
                      "(PostgreSQL's default on public): every role can look up its objects",
                      "REVOKE USAGE ON SCHEMA ... FROM PUBLIC; grant it to the roles that "
                      "need it")
    for f in s.functions:
        name = f"function {object_prefix(s)}.{f.signature}"
        if f.security_definer and any(a.role == PUBLIC for a in f.execute):
            yield Finding("medium", "AR204", name,
                          "SECURITY DEFINER function executable by PUBLIC"
                          + (" (PostgreSQL's default)" if f.default_acl else "")
                          + f": every role runs it with its owner's ({f.owner}) rights",
                          "REVOKE EXECUTE ... FROM PUBLIC; grant it to the roles that need it")
        if f.security_definer and not f.search_path:
            yield Finding("high", "AR301", name,
                          f"SECURITY DEFINER function (owner {f.owner}) without a fixed "
                          "search_path: a caller can shadow the names it uses",
                          "ALTER FUNCTION ... SET search_path = pg_catalog (then the schemas it "
                          "needs, none writable by its callers)")


def section_findings(sections: list[Section]) -> Iterator[Finding]:
    """Yield the findings on tables, policies, schemas and functions of every section."""
    for s in sections:
        yield from _schema_findings(s)
        for t in s.tables:
            yield from _rls_findings(s, t)
            yield from _public_findings(s, t)
        if s.kind == "tenant-variant":
            yield Finding("medium", "AR601", f"schema {object_prefix(s)}",
                          "tenant schema access differs from the tenant template",
                          "compare its section with the template's; re-apply the tenant "
                          "template or record why this tenant differs")


def role_findings(roles: list[Role]) -> Iterator[Finding]:
    """Yield the findings on role attributes (the bootstrap superuser is expected)."""
    for r in roles:
        if r.bootstrap:
            continue
        obj = f"role {quote_ident(r.name)}"
        if r.superuser:
            yield Finding("critical", "AR401", obj, "superuser: bypasses every privilege "
                          "check and row-level security", "ALTER ROLE ... NOSUPERUSER")
        if r.bypassrls:
            yield Finding("high", "AR402", obj, "BYPASSRLS: ignores every row-level "
                          "security policy", "ALTER ROLE ... NOBYPASSRLS")
        if r.createrole:
            yield Finding("medium", "AR403", obj, "CREATEROLE: can create roles and grant "
                          "itself their memberships", "ALTER ROLE ... NOCREATEROLE")
        for m in r.member_of:
            if m.role in ALL_DATA_ROLES:
                yield Finding("high", "AR404", obj, f"member of {m.role}: reaches every "
                              "table of every tenant whatever the grants say",
                              f"REVOKE {m.role} FROM ...")


def default_privilege_findings(defaults: list[DefaultPrivilege]) -> Iterator[Finding]:
    """Yield a finding per ALTER DEFAULT PRIVILEGES entry granting to PUBLIC."""
    for d in defaults:
        if d.grantee == PUBLIC:
            where = f"schema {d.schema}" if d.schema else "every schema"
            yield Finding("medium", "AR205",
                          f"default privileges of {quote_ident(d.owner)} on {d.object_type} "
                          f"in {where}", f"new {d.object_type} grant {d.privilege} to PUBLIC",
                          "ALTER DEFAULT PRIVILEGES ... REVOKE ... FROM PUBLIC")


def all_findings(settings: Settings, raw: list[Section], collapsed: list[Section],
                 roles: list[Role], defaults: list[DefaultPrivilege]) -> list[Finding]:
    """Return every finding, sorted by severity, code and object."""
    found = {*section_findings(collapsed), *role_findings(roles),
             *default_privilege_findings(defaults),
             *tenant_role_findings(settings, raw, roles)}
    return sorted(found, key=Finding.sort_key)
