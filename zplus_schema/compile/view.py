"""Views, materialized views, domains and policies."""

from __future__ import annotations

import pglast
from pglast import ast
from pglast.visitors import Visitor

from ..ident import quote_ident, quote_literal
from ..model import Domain, MaterializedView, Policy, View
from .context import Target
from .statement import Statement


class _Relations(Visitor):
    """Collects the unqualified relation names a query reads."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_RangeVar(self, ancestors: object, node: ast.RangeVar) -> None:
        if node.schemaname is None and node.relname:
            self.names.add(node.relname)


class _Functions(Visitor):
    """Collects the unqualified names of the functions a query calls."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_FuncCall(self, ancestors: object, node: ast.FuncCall) -> None:
        names = [getattr(n, "sval", None) for n in node.funcname or ()]
        if len(names) == 1 and names[0]:
            self.names.add(names[0])


def functions_of(query: str) -> set[str]:
    """Return unqualified function names a query calls (built-ins included, harmlessly)."""
    visitor = _Functions()
    try:
        visitor(pglast.parse_sql(query))
    except pglast.parser.ParseError:
        return set()
    return visitor.names


def relations_of(query: str) -> set[str]:
    """Return unqualified relation names read by a query (CTE names included, harmlessly)."""
    visitor = _Relations()
    try:
        visitor(pglast.parse_sql(query))
    except pglast.parser.ParseError:
        return set()
    return visitor.names


def _requires(name: str, query: str) -> frozenset[str]:
    tables = {f"table:{r}" for r in relations_of(query) if r != name}
    return frozenset(tables | {f"function:{f}" for f in functions_of(query)})


def view_sql(view: View, target: Target, *, replace: bool = False) -> str:
    """Return CREATE [OR REPLACE] VIEW."""
    head = "CREATE OR REPLACE VIEW" if replace else "CREATE VIEW"
    opts = ""
    if view.options:
        opts = " WITH (" + ", ".join(f"{k} = {v}" for k, v in view.options) + ")"
    return f"{head} {target.q(view.name)}{opts} AS\n{view.query}"


def create_view(view: View, target: Target) -> list[Statement]:
    """Return CREATE VIEW, after the relations it reads."""
    return [Statement(view_sql(view, target), "view", view.name,
                      frozenset({f"table:{view.name}"}), _requires(view.name, view.query))]


def create_materialized_view(mv: MaterializedView, target: Target) -> list[Statement]:
    """Return CREATE MATERIALIZED VIEW ... WITH DATA."""
    sql = f"CREATE MATERIALIZED VIEW {target.q(mv.name)} AS\n{mv.query}\nWITH DATA"
    return [Statement(sql, "view", mv.name, frozenset({f"table:{mv.name}"}),
                      _requires(mv.name, mv.query))]


def create_domain(dom: Domain, target: Target) -> list[Statement]:
    """Return CREATE DOMAIN with its default, NOT NULL and named checks."""
    sql = f"CREATE DOMAIN {target.q(dom.name)} AS {dom.type}"
    if dom.collation:
        sql += f" COLLATE {quote_ident(dom.collation)}"
    if dom.default is not None:
        sql += f" DEFAULT {dom.default}"
    if not dom.nullable:
        sql += " NOT NULL"
    for name, expr in dom.checks:
        sql += f" CONSTRAINT {quote_ident(name)} CHECK ({expr})"
    return [Statement(sql, "enum", dom.name, frozenset({f"type:{dom.name}"}))]


def policy_sql(pol: Policy, target: Target) -> str:
    """Return CREATE POLICY."""
    roles = ", ".join(r if r == "public" else quote_ident(r) for r in pol.roles)
    sql = f"CREATE POLICY {quote_ident(pol.name)} ON {target.q(pol.table)}"
    if not pol.permissive:
        sql += " AS RESTRICTIVE"
    sql += f" FOR {pol.command.upper()} TO {roles}"
    if pol.using is not None:
        sql += f" USING ({pol.using})"
    if pol.with_check is not None:
        sql += f" WITH CHECK ({pol.with_check})"
    return sql


def create_policy(pol: Policy, target: Target) -> list[Statement]:
    """Return CREATE POLICY, after its table."""
    return [Statement(policy_sql(pol, target), "policy", f"{pol.table}.{pol.name}",
                      frozenset({f"policy:{pol.table}.{pol.name}"}),
                      frozenset({f"table:{pol.table}"}))]


def comment_literal(text: str | None) -> str:
    """Return a COMMENT value: a literal, or NULL to remove the comment."""
    return "NULL" if text is None else quote_literal(text)
