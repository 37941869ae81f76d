"""ZS304: a SECURITY DEFINER function without a safe, fixed search_path."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors, sqltext
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report SECURITY DEFINER functions whose search_path the caller controls."""
    for fn in s.model.functions:
        if not fn.security_definer:
            continue
        path = sqltext.search_path(fn)
        if path is None:
            problem = "has no `set: {search_path: ...}`: it resolves names with the caller's " \
                      "search_path, so a caller can put a look-alike function or table first"
        elif not path or path[-1] != "pg_temp":
            problem = f"sets search_path to {', '.join(path) or 'nothing'} without pg_temp " \
                      "last: the temporary schema is then searched first for tables, and any " \
                      "session can create temporary tables"
        else:
            continue
        yield Hit(f"SECURITY DEFINER function {fn.name} {problem}; write e.g. "
                  f"set: {{search_path: \"pg_catalog, pg_temp\"}} and qualify every name",
                  f"function {fn.signature}", anchors.function(fn))


RULE = Rule(
    code="ZS304",
    name="security-definer-search-path",
    severity=Severity.ERROR,
    summary="SECURITY DEFINER function without a fixed search_path",
    why="A SECURITY DEFINER function runs with its owner's privileges but, unless it sets "
        "its own search_path, resolves unqualified names with the caller's. Any role that "
        "can create objects in a schema on that path (or a temporary table: `pg_temp` is "
        "searched first unless listed last) can make the function call its code as the "
        "owner. PostgreSQL's documentation prescribes `SET search_path` with `pg_temp` last.",
    bad="""
functions:
  tenant_of_schema:
    returns: uuid
    language: sql
    security_definer: true
    arguments: [{name: schema_name, type: text}]
    body: SELECT tenant_id FROM tenant_schemas WHERE schema_name = $1
""",
    good="""
functions:
  tenant_of_schema:
    returns: uuid
    language: sql
    security_definer: true
    set: {search_path: "pg_catalog, pg_temp"}
    arguments: [{name: schema_name, type: text}]
    body: SELECT tenant_id FROM public.tenant_schemas WHERE schema_name = $1
""",
    check=check,
)
