"""CREATE FUNCTION."""

from __future__ import annotations

from ..ident import quote_ident, quote_literal
from ..model import Argument, Function
from .context import Target
from .statement import Statement


def dollar_quote(body: str) -> str:
    """Return `body` in dollar quotes whose tag does not occur in it."""
    tag, n = "function", 0
    while f"${tag}$" in body:
        n += 1
        tag = f"function{n}"
    # Verbatim: PostgreSQL stores exactly what is between the quotes (prosrc), so the
    # body reads back as written and a round trip through the catalog changes nothing.
    return f"${tag}${body}${tag}$"


def argument_sql(arg: Argument) -> str:
    """Return one argument as written in CREATE FUNCTION."""
    parts = [] if arg.mode == "in" else [arg.mode.upper()]
    if arg.name:
        parts.append(quote_ident(arg.name))
    parts.append(arg.type)
    if arg.default is not None:
        parts.append(f"DEFAULT {arg.default}")
    return " ".join(parts)


def config_sql(name: str, value: str) -> str:
    """Return a SET clause; search_path is a list of schema names, not one string."""
    if name == "search_path":
        # proconfig keeps items that needed quotes already quoted ("$user"): keep those.
        items = [v if v.startswith('"') else quote_ident(v)
                 for v in (i.strip() for i in value.split(",")) if v]
        return f"SET search_path TO {', '.join(items)}"
    return f"SET {quote_ident(name)} TO {quote_literal(value)}"


def function_sql(fn: Function, target: Target, *, replace: bool = False) -> str:
    """Return CREATE [OR REPLACE] FUNCTION for one function."""
    args = ", ".join(argument_sql(a) for a in fn.arguments)
    head = ("CREATE OR REPLACE " if replace else "CREATE ") + fn.kind.upper()
    lines = [f"{head} {target.q(fn.name)}({args})"]
    if fn.returns is not None:
        lines.append(f" RETURNS {fn.returns}")
    lines.append(f" LANGUAGE {quote_ident(fn.language)}")
    if fn.volatility != "volatile" and fn.kind == "function":
        lines.append(f" {fn.volatility.upper()}")
    if fn.strict and fn.kind == "function":
        lines.append(" STRICT")
    if fn.security_definer:
        lines.append(" SECURITY DEFINER")
    lines += [f" {config_sql(k, v)}" for k, v in fn.config]
    lines.append(f"AS {dollar_quote(fn.body)}")
    return "\n".join(lines)


def create_function(fn: Function, target: Target) -> list[Statement]:
    """Return the CREATE FUNCTION statement of one function."""
    return [Statement(function_sql(fn, target), "function", fn.signature,
                      frozenset({f"function:{fn.name}"}), frozenset(_type_requires(fn)))]


def _type_requires(fn: Function) -> set[str]:
    """Return the own-schema types (tables, enums, domains) named in the signature."""
    words = [fn.returns or "", *(a.type for a in fn.arguments)]
    names = set()
    for word in words:
        base = word.removeprefix("SETOF ").removeprefix("setof ").removesuffix("[]").strip()
        if base and "." not in base and " " not in base and "(" not in base:
            names.add(base.strip('"'))
    return {f"table:{n}" for n in names} | {f"type:{n}" for n in names}
