"""Tenant schemas: which role belongs to which schema, and collapsing identical schemas.

Every tenant schema is built from the same template, so the report shows the template once
("tenant_*"), says how many schemas share it, and names the schemas whose access differs.
To compare schemas, each is normalized: its own schema name disappears from expressions and
its own tenant role (tenant_acme in tenant_acme, tenant_acme_ro too) becomes {tenant_role}.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from typing import TypeVar

from ..introspect.text import relativize_opt
from .model import TENANT_ROLE, Access, Function, Policy, Section, Table

T = TypeVar("T", Section, Table, Function)


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


def _key(obj: object) -> str:
    """Return a text equal for two objects exactly when they grant the same access."""
    return json.dumps(asdict(obj), sort_keys=True)  # type: ignore[call-overload]


def _majority(versions: list[T]) -> T:
    """Return the most common version (ties: the first seen, i.e. of the first schema)."""
    counts = Counter(_key(v) for v in versions)
    best = max(counts.values())
    return next(v for v in versions if counts[_key(v)] == best)


def _shape(s: Section) -> Section:
    """Return the section without its name and objects: owner and schema privileges."""
    return replace(s, label="", schemas=[], tables=[], functions=[])


def _template(norms: list[Section]) -> tuple[Section, dict[str, int]]:
    """Return the most common version of every object, and how many schemas have each table.

    Objects are compared one by one, not whole schemas: tenants enabling fewer modules
    have fewer tables, and that is no difference in access.
    """
    tables: dict[str, list[Table]] = defaultdict(list)
    functions: dict[str, list[Function]] = defaultdict(list)
    for s in norms:
        for t in s.tables:
            tables[t.name].append(t)
        for f in s.functions:
            functions[f.signature].append(f)
    head = _majority([_shape(s) for s in norms])
    template = replace(head, tables=[_majority(v) for _, v in sorted(tables.items())],
                       functions=[_majority(v) for _, v in sorted(functions.items())])
    return template, {name: len(v) for name, v in tables.items()}


def _differs(s: Section, template: Section) -> bool:
    """Return True when the schema grants anything the template does not."""
    if _key(_shape(s)) != _key(_shape(template)):
        return True
    want = {_key(o) for o in (*template.tables, *template.functions)}
    return any(_key(o) not in want for o in (*s.tables, *s.functions))


def collapse(sections: list[Section], owners: dict[str, str | None], schema_prefix: str,
             role_prefix: str) -> list[Section]:
    """Return the system section(s), the tenant template, then each differing schema.

    The template holds, object by object, the access most tenant schemas grant; a schema
    granting anything else on an object it has is a variant, shown whole and named.
    """
    out = [s for s in sections if s.kind == "system"]
    norms = [normalize(s, owners, schema_prefix, role_prefix)
             for s in sections if s.kind == "tenant"]
    if not norms:
        return out
    template, counts = _template(norms)
    variants = [s for s in norms if _differs(s, template)]
    shared = sorted(n for s in norms if s not in variants for n in s.schemas)
    tables = [replace(t, in_schemas=counts[t.name]) for t in template.tables]
    out.append(replace(template, kind="tenant-template", label=schema_prefix + "*",
                       schemas=shared, tables=tables))
    out += [replace(s, kind="tenant-variant", label=s.schemas[0]) for s in variants]
    return out
