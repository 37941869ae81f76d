"""Tenant schemas: which role belongs to which schema, and collapsing identical schemas.

Every tenant schema is built from the same template, so the report shows the template once
("tenant_*"), says how many schemas share it, and names the schemas whose access differs.
To compare schemas, each is normalized: its own schema name disappears from expressions and
its own tenant role (tenant_acme in tenant_acme, tenant_acme_ro too) becomes {tenant_role}.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace

from ..introspect.text import relativize_opt
from .model import TENANT_ROLE, Access, Function, Policy, Section, Table


def own_schema(role: str, tenant_schemas: Iterable[str], schema_prefix: str,
               role_prefix: str) -> str | None:
    """Return the tenant schema a tenant role belongs to, or None.

    Role `<role_prefix><slug>` and `<role_prefix><slug>_<suffix>` belong to schema
    `<schema_prefix><slug>`; the longest matching slug wins (tenant_acme_eu over tenant_acme).
    """
    if not role.startswith(role_prefix):
        return None
    best: str | None = None
    for schema in tenant_schemas:
        base = role_prefix + schema[len(schema_prefix):]
        if (role == base or role.startswith(base + "_")) and (
                best is None or len(schema) > len(best)):
            best = schema
    return best


def _renamer(schema: str, owners: dict[str, str | None], schema_prefix: str,
             role_prefix: str) -> Callable[[str], str]:
    base = role_prefix + schema[len(schema_prefix):]

    def rename(role: str) -> str:
        if owners.get(role) == schema:
            return TENANT_ROLE + role[len(base):]
        return role

    return rename


def _access(items: list[Access], rename: Callable[[str], str]) -> list[Access]:
    out = {replace(a, role=rename(a.role), via=None if a.via is None else rename(a.via))
           for a in items}
    return sorted(out, key=Access.sort_key)


def _table(t: Table, schema: str, rename: Callable[[str], str]) -> Table:
    policies = [Policy(p.name, p.command, p.permissive, tuple(sorted(map(rename, p.roles))),
                       relativize_opt(p.using, schema), relativize_opt(p.with_check, schema))
                for p in t.policies]
    return replace(t, owner=rename(t.owner), access=_access(t.access, rename),
                   policies=policies)


def _function(f: Function, rename: Callable[[str], str]) -> Function:
    return replace(f, owner=rename(f.owner), execute=_access(f.execute, rename))


def normalize(section: Section, owners: dict[str, str | None], schema_prefix: str,
              role_prefix: str) -> Section:
    """Return the tenant section with its own schema name and own roles abstracted."""
    schema = section.schemas[0]
    rename = _renamer(schema, owners, schema_prefix, role_prefix)
    return replace(section, owner=rename(section.owner),
                   schema_access=_access(section.schema_access, rename),
                   tables=[_table(t, schema, rename) for t in section.tables],
                   functions=[_function(f, rename) for f in section.functions])


def signature(section: Section) -> str:
    """Return a text equal for two sections exactly when they grant the same access."""
    data = asdict(section)
    for key in ("kind", "label", "schemas"):
        data.pop(key)
    return json.dumps(data, sort_keys=True)


def collapse(sections: list[Section], owners: dict[str, str | None], schema_prefix: str,
             role_prefix: str) -> list[Section]:
    """Return the system section(s), the tenant template, then each differing variant.

    The template is the access most tenant schemas share (ties: the one of the first schema
    by name); schemas granting anything else become variants, named.
    """
    groups: dict[str, list[Section]] = defaultdict(list)
    out = [s for s in sections if s.kind == "system"]
    for s in sections:
        if s.kind == "tenant":
            norm = normalize(s, owners, schema_prefix, role_prefix)
            groups[signature(norm)].append(norm)
    ranked = sorted(groups.values(), key=lambda g: (-len(g), g[0].schemas[0]))
    for i, group in enumerate(ranked):
        names = sorted(n for g in group for n in g.schemas)
        kind, label = ("tenant-template", schema_prefix + "*") if i == 0 else \
            ("tenant-variant", ", ".join(names))
        out.append(replace(group[0], kind=kind, label=label, schemas=names))
    return out
