"""ZS105: a function body names a table (or function) of another schema without its schema."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Function, SchemaModel
from .. import anchors, sqltext
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def _relations(model: SchemaModel) -> set[str]:
    return {o.name for coll in (model.tables, model.views, model.materialized_views,
                                model.sequences) for o in coll}


def _names(fn: Function) -> Iterator[tuple[int, str, str]]:
    """Yield (body line, 'table' or 'function', name) for each unqualified name in a body."""
    for line, tree in sqltext.body_statements(fn):
        for schema, name in sqltext.relations(tree):
            if schema is None:
                yield line, "table", name
        for parts, _args in sqltext.calls(tree):
            if len(parts) == 1:
                yield line, "function", parts[0]


def _why(s: Subject, fn: Function) -> str | None:
    """Return why unqualified system names are ambiguous in `fn` (None: they are not)."""
    path = sqltext.search_path(fn)
    if path is not None:
        if s.system_schema in path:
            return None
        return f"its search_path ({', '.join(path)}) does not include {s.system_schema}"
    if not s.is_system:
        return "it runs with the tenant session's search_path"
    tenant_tables = sorted({f"{tr.table} ({g})" for g, tr in s.callers(fn) if g != "system"})
    if not tenant_tables:
        return None  # used in the system schema only, where the name means the system's
    return (f"triggers on tenant tables run it ({', '.join(tenant_tables[:3])}), with the "
            "tenant session's search_path, where a tenant table of that name wins and "
            f"without {s.system_schema} on the path the name is not found")


def check(s: Subject) -> Iterator[Hit]:
    """Report unqualified names of system-schema objects where they may resolve elsewhere."""
    if not s.system_known:
        return
    system = s.project.system
    own_tables = set() if s.is_system else _relations(s.visible)
    own_functions = set() if s.is_system else {f.name for f in s.visible.functions}
    known = {"table": _relations(system) - own_tables,
             "function": {f.name for f in system.functions} - own_functions}
    for fn in s.model.functions:
        why = _why(s, fn)
        if why is None:
            continue
        for line, what, name in sorted(set(_names(fn))):
            if name in known[what]:
                yield Hit(f"{fn.name} names {what} {name} of the {s.system_schema} schema "
                          f"without its schema, but {why}; write {s.system_schema}.{name}",
                          f"function {fn.signature}", anchors.body_line(fn, line))


RULE = Rule(
    code="ZS105",
    name="unqualified-cross-schema-reference",
    severity=Severity.ERROR,
    summary="Unqualified reference to another schema's table from a function body",
    why="A function body is resolved when it runs, against the search_path of the session "
        "that runs it, not where the function lives. The seed's audit trigger function "
        "inserts into `audit_logs`; fired from a tenant table, the name is looked up in the "
        "tenant's search_path: it fails when `public` is not on it, and writes to the wrong "
        "table if a tenant schema ever has an `audit_logs`. The rule fires for a tenant "
        "function naming a system table, and for a system function that triggers on tenant "
        "tables run, unless the function pins a search_path that includes the system schema.",
    bad="""
# file: schema/system/functions.yaml
functions:
  audit_trigger_function:
    returns: trigger
    language: plpgsql
    body: |
      BEGIN
        INSERT INTO audit_logs (action, resource) VALUES (TG_OP, TG_TABLE_NAME);
        RETURN NULL;
      END
tables:
  audit_logs:
    comment: Who changed what
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      action: {type: text, nullable: false}
      resource: text
# file: schema/tenant/users.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
    triggers:
      audit_users: {timing: after, events: [insert, update, delete],
                    function: public.audit_trigger_function}
""",
    good="""
# file: schema/system/functions.yaml
functions:
  audit_trigger_function:
    returns: trigger
    language: plpgsql
    body: |
      BEGIN
        INSERT INTO public.audit_logs (action, resource) VALUES (TG_OP, TG_TABLE_NAME);
        RETURN NULL;
      END
tables:
  audit_logs:
    comment: Who changed what
    columns:
      id: {type: bigint, identity: always, primary_key: true}
      action: {type: text, nullable: false}
      resource: text
# file: schema/tenant/users.yaml
tables:
  users:
    comment: Tenant users
    columns:
      id: {type: uuid, primary_key: true}
    triggers:
      audit_users: {timing: after, events: [insert, update, delete],
                    function: public.audit_trigger_function}
""",
    check=check,
)
