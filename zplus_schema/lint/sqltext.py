"""Read SQL written in definitions with pglast: function bodies, expressions, type names.

Everything works on pglast's JSON parse trees (plain dicts), so one walker serves SQL
statements, expressions and the SQL inside PL/pgSQL bodies. Text that does not parse
yields nothing: validate reports it, and a linter must never crash on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pglast import parser

from ..ident import quote_ident
from ..model import Function

Tree = dict[str, Any]
# PL/pgSQL expression kinds (PLpgSQL_expr.parseMode): how to turn the text into SQL.
_STATEMENT, _EXPRESSION = 0, 2
_ASSIGN_MODES = (3, 4, 5)
_ASSIGN = re.compile(r"^.*?(?::=|=)(?P<rhs>.*)$", re.DOTALL)


@dataclass(frozen=True)
class TypeInfo:
    """A type name as the parser reads it: `timestamp` is pg_catalog.timestamp, etc."""

    schema: str | None
    name: str
    mods: tuple[int, ...]
    array: bool


def parse(sql: str) -> list[Tree]:
    """Return the parse trees of the statements in `sql` (empty when it does not parse)."""
    return [tree for _, tree in parse_located(sql)]


def parse_located(sql: str) -> list[tuple[int, Tree]]:
    """Return (character offset, parse tree) of each statement in `sql`."""
    try:
        data = json.loads(parser.parse_sql_json(sql))
    except parser.ParseError:
        return []
    return [(int(s.get("stmt_location", 0)), s["stmt"])
            for s in data.get("stmts", []) if "stmt" in s]


def expression(expr: str) -> Tree | None:
    """Return the parse tree of a value expression, or None when it does not parse."""
    stmts = parse(f"SELECT ({expr})")
    if len(stmts) != 1:
        return None
    targets = stmts[0].get("SelectStmt", {}).get("targetList", [])
    return targets[0]["ResTarget"]["val"] if targets else None


@lru_cache(maxsize=1024)
def type_info(text: str) -> TypeInfo | None:
    """Return how PostgreSQL reads a type name (None when it does not parse)."""
    node = expression(f"CAST(NULL AS {text})")
    if node is None or "TypeCast" not in node:
        return None
    tn = node["TypeCast"]["typeName"]
    names = [n["String"]["sval"] for n in tn.get("names", [])]
    mods = tuple(m["A_Const"]["ival"].get("ival", 0) for m in tn.get("typmods", [])
                 if "A_Const" in m and "ival" in m["A_Const"])
    schema = names[-2] if len(names) > 1 else None
    return TypeInfo(schema, names[-1], mods, bool(tn.get("arrayBounds")))


def walk(node: Any) -> Iterator[tuple[str, Tree]]:
    """Yield (node type, fields) for every node of a parse tree, depth first."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key[:1].isupper() and isinstance(value, dict):
                yield key, value
            elif isinstance(value, dict) and "relname" in value:
                # A field typed RangeVar (INSERT INTO's `relation`) carries no node-type key.
                yield "RangeVar", value
            yield from walk(value)


def strings(nodes: list[Tree]) -> list[str]:
    """Return the names of a list of String nodes (funcname, ColumnRef fields...)."""
    return [n["String"]["sval"] for n in nodes if "String" in n]


def cte_names(tree: Tree) -> set[str]:
    """Return the names of every WITH query in a tree (they are not tables)."""
    return {f["ctename"] for kind, f in walk(tree) if kind == "CommonTableExpr"}


def relations(tree: Tree) -> Iterator[tuple[str | None, str]]:
    """Yield (schema or None, name) for every table a statement reads or writes."""
    ctes = cte_names(tree)
    for kind, f in walk(tree):
        if kind == "RangeVar" and not (f.get("schemaname") is None and f["relname"] in ctes):
            yield f.get("schemaname"), f["relname"]


def calls(tree: Tree) -> Iterator[tuple[list[str], list[Tree]]]:
    """Yield (qualified name parts, arguments) of every function call in a tree."""
    for kind, f in walk(tree):
        if kind == "FuncCall":
            yield strings(f.get("funcname", [])), f.get("args", [])


def column_refs(tree: Tree) -> Iterator[list[str]]:
    """Yield the name parts of every column reference outside sub-queries."""
    if "SubLink" in tree:
        return
    if "ColumnRef" in tree:
        yield strings(tree["ColumnRef"].get("fields", []))
        return
    for value in tree.values():
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, dict):
                yield from column_refs(child)


def is_true(node: Tree) -> bool:
    """Return True for the literal `true` (also 'true'/'on' as text, as PostgreSQL casts)."""
    const = node.get("A_Const", {})
    if "boolval" in const:
        return bool(const["boolval"].get("boolval", False))
    text = const.get("sval", {}).get("sval")
    return isinstance(text, str) and text.lower() in ("true", "on", "t", "yes", "1")


def body_statements(fn: Function) -> list[tuple[int, Tree]]:
    """Return (body line, parse tree) of each SQL statement or expression in a body.

    SQL bodies are parsed as they are; PL/pgSQL bodies through pglast.parse_plpgsql,
    whose expressions are then parsed as SQL. Dynamic SQL (EXECUTE) is not followed.
    """
    if fn.language == "sql":
        return [(_line_at(fn.body, at), tree) for at, tree in parse_located(fn.body)]
    if fn.language != "plpgsql":
        return []
    found: list[tuple[int, Tree]] = []
    for line, query, mode in _plpgsql_exprs(fn):
        if mode in _ASSIGN_MODES and (m := _ASSIGN.match(query)):
            query, mode = m.group("rhs"), _EXPRESSION
        sql = query if mode == _STATEMENT else f"SELECT {query}"
        found += [(line, tree) for tree in parse(sql)]
    return found


def _line_at(text: str, offset: int) -> int:
    """Return the 1-based line of the first non-blank byte at or after byte `offset`."""
    data = text.encode()  # the parser counts bytes
    start = len(data) - len(data[offset:].lstrip())
    return data.count(b"\n", 0, start) + 1


def _plpgsql_exprs(fn: Function) -> list[tuple[int, str, int]]:
    """Return (line, query text, parse mode) of every expression of a PL/pgSQL body."""
    args = ", ".join(a.type for a in fn.arguments)
    sql = (f"CREATE FUNCTION {quote_ident(fn.name)}({args}) RETURNS {fn.returns or 'void'} "
           f"LANGUAGE plpgsql AS $zs_body$" + fn.body + "$zs_body$")
    try:
        tree = json.loads(parser.parse_plpgsql_json(sql))
    except parser.ParseError:
        return []
    out: list[tuple[int, str, int]] = []

    def visit(node: Any, line: int) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item, line)
        elif isinstance(node, dict):
            line = int(node.get("lineno", line))
            expr = node.get("PLpgSQL_expr")
            if isinstance(expr, dict) and "query" in expr:
                out.append((line, expr["query"], int(expr.get("parseMode", 0))))
            for key, value in node.items():
                if key not in ("datums", "PLpgSQL_expr"):
                    visit(value, line)

    visit(tree, 1)
    return out


def search_path(fn: Function) -> list[str] | None:
    """Return the schemas of a function's own `SET search_path`, or None when unset."""
    value = dict(fn.config).get("search_path")
    if value is None:
        return None
    return [p.strip().strip('"') for p in value.split(",") if p.strip()]
