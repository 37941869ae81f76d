"""AR5xx: a tenant role reaching outside its own schema (another tenant, or shared tables).

Computed on the real, uncollapsed schemas: the point is naming which tenant reaches which.
Access every role has through PUBLIC is left to AR201/AR203, so it is not repeated here.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..ident import quote_ident
from .model import PUBLIC, Access, Finding, Role, Section, Settings, Table
from .tenants import own_schema


def role_owners(settings: Settings, roles: list[Role],
                tenant_schemas: list[str]) -> dict[str, str | None]:
    """Return, for each tenant role (by prefix), the tenant schema it belongs to or None."""
    return {r.name: own_schema(r.name, tenant_schemas, settings.tenant_schema_prefix,
                               settings.tenant_role_prefix)
            for r in roles if r.name.startswith(settings.tenant_role_prefix)}


def _privileges(items: list[Access], role: str) -> list[str]:
    return sorted({a.privilege + (f"({a.column})" if a.column else "")
                   + (f" via {a.via}" if a.via and a.via != PUBLIC else "")
                   for a in items if a.role == role})


def _reach(section: Section, role: str) -> tuple[list[str], list[Table]]:
    """Return what `role` may do on the schema and the tables it may touch there."""
    tables = [t for t in section.tables if any(a.role == role for a in t.access)]
    return _privileges(section.schema_access, role), tables


def _describe(section: Section, role: str, schema_privs: list[str],
              tables: list[Table]) -> str:
    parts = [f"{', '.join(schema_privs)} on the schema"] if schema_privs else []
    parts += [f"{quote_ident(t.name)}: {', '.join(_privileges(t.access, role))}"
              for t in tables]
    return "; ".join(parts)


def _system_severity(tables: list[Table]) -> str:
    """Return high when a reached shared table has tenant rows without forced RLS."""
    leaky = any(t.has_tenant_key and not (t.rls_enabled and t.rls_forced) for t in tables)
    return "high" if leaky else "medium"


def tenant_role_findings(settings: Settings, raw: list[Section],
                         roles: list[Role]) -> Iterator[Finding]:
    """Yield a finding per tenant role and foreign schema it reaches."""
    tenant_schemas = [s.label for s in raw if s.kind == "tenant"]
    owners = role_owners(settings, roles, tenant_schemas)
    for role, own in sorted(owners.items()):
        for section in raw:
            if section.label == own:
                continue
            schema_privs, tables = _reach(section, role)
            if not schema_privs and not tables:
                continue
            what = _describe(section, role, schema_privs, tables)
            obj = f"role {quote_ident(role)} on schema {section.label}"
            home = f"its own schema {own}" if own else "no tenant schema of its own"
            if section.kind == "system":
                yield Finding(_system_severity(tables), "AR502", obj,
                              f"tenant role ({home}) reaches shared tables: {what}",
                              "revoke; give tenant roles shared data through views or "
                              "functions that filter by tenant, or forced RLS")
            else:
                yield Finding("critical", "AR501", obj,
                              f"tenant role ({home}) reaches another tenant's schema: {what}",
                              "revoke these privileges (and any membership that carries "
                              "them) from the tenant role")
