"""Pretty-print the SQL expressions of policies with pglast, PostgreSQL's own parser."""

from __future__ import annotations

from functools import lru_cache

import pglast

_SELECT = "SELECT "


@lru_cache(maxsize=4096)
def pretty_expr(expr: str | None) -> str | None:
    """Return `expr` laid out by pglast, or unchanged when pglast cannot print it."""
    if expr is None:
        return None
    try:
        text = pglast.prettify(_SELECT + expr)
    except Exception:  # pglast raises many types; the raw catalog text is still right
        return expr
    lines = text.splitlines()
    if not lines or not lines[0].startswith("SELECT"):
        return expr
    # prettify lays the expression out as a select list: drop that "SELECT " margin and
    # keep the relative indentation (AND/OR are right-aligned with the first operand).
    margin = len(_SELECT)
    body = [line[margin:] if line[:margin].isspace() or i == 0 else line.lstrip()
            for i, line in enumerate(lines)]
    return "\n".join(body).rstrip()


def is_true(expr: str | None) -> bool:
    """Return True when the expression is the constant true (USING (true))."""
    return expr is not None and expr.strip().strip("()").strip().lower() == "true"
