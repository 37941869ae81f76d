"""Check that SQL fragments written in YAML parse, with pglast (PostgreSQL's own parser)."""

from __future__ import annotations

import pglast
from pglast import parser

from ..ident import quote_ident
from ..model import Function


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def expression_error(expr: str) -> str | None:
    """Return the parser's complaint about an SQL value expression, or None if it parses."""
    try:
        stmts = pglast.parse_sql(f"SELECT ({expr})")
    except parser.ParseError as exc:
        return _first_line(exc)
    if len(stmts) != 1:
        return "expected one expression"
    return None


def type_error(type_text: str) -> str | None:
    """Return the parser's complaint about a type name, or None if it parses."""
    try:
        pglast.parse_sql(f"SELECT CAST(NULL AS {type_text})")
    except parser.ParseError as exc:
        return _first_line(exc)
    return None


def function_body_error(fn: Function) -> str | None:
    """Return the parser's complaint about a function body (SQL or PL/pgSQL), or None."""
    try:
        if fn.language == "sql":
            pglast.parse_sql(fn.body)
        elif fn.language == "plpgsql":
            args = ", ".join(a.type for a in fn.arguments)
            body = "$zs$" + fn.body + "$zs$"
            returns = f" RETURNS {fn.returns}" if fn.returns is not None else ""
            pglast.parse_plpgsql(
                f"CREATE {fn.kind.upper()} {quote_ident(fn.name)}({args}){returns} "
                f"LANGUAGE plpgsql AS {body}"
            )
    except parser.ParseError as exc:
        return _first_line(exc)
    return None
