"""Text the catalog renders (pg_get_expr, pg_get_*def): relativize it and take it apart.

Everything here works on PostgreSQL's own normalized output, read with
`search_path = pg_catalog`, so every name outside pg_catalog arrives qualified and string
literals are plain '...' (standard_conforming_strings on).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pglast
from pglast import ast

from ..ident import quote_ident

_SELECT = "SELECT "


@lru_cache(maxsize=1024)
def _relativizer(schema: str) -> Callable[[str], str]:
    """Return a function dropping `schema`'s qualifier from a text (see relativize)."""
    # PostgreSQL quotes a schema name exactly when quote_ident() would; accept both
    # spellings for names that need no quotes. The look-behind keeps `tenant_a.` from
    # matching inside `xtenant_a.` or `other.tenant_a.`; the name must be followed by `.`,
    # so `tenant_a.` never matches the start of `tenant_ab.`.
    escaped = schema.replace('"', '""')
    forms = [re.escape('"' + escaped + '"')]
    if quote_ident(schema) == schema:
        forms.append(re.escape(schema))
    sub = re.compile(r'(?<![\w$."])(?:' + "|".join(forms) + r')\.(?=[\w"$])').sub

    def relative(text: str) -> str:
        # Both spellings contain `escaped`: most texts do not, and skip the regex.
        return sub("", text) if escaped in text else text

    return relative


def relativize(text: str, schema: str) -> str:
    """Drop the schema's own qualifier: `tenant_a.x` and `"tenant_a".x` become `x`.

    Other schemas' qualifiers stay, so a reference to `public.tenants` keeps saying so.
    """
    return _relativizer(schema)(text)


def relativize_opt(text: str | None, schema: str) -> str | None:
    """Return relativize(text, schema), or None for None."""
    return None if text is None else relativize(text, schema)


def _skip_quoted(text: str, i: int) -> int:
    """Return the index just past the quoted literal or identifier starting at text[i]."""
    quote = text[i]
    j = i + 1
    while j < len(text):
        if text[j] == quote:
            if j + 1 < len(text) and text[j + 1] == quote:  # '' or "" inside
                j += 2
                continue
            return j + 1
        j += 1
    raise ValueError(f"unterminated {quote} in {text!r}")


def matching_paren(text: str, start: int) -> int:
    """Return the index of the `)` that closes the `(` at text[start]."""
    if text[start] != "(":
        raise ValueError(f"no '(' at {start} in {text!r}")
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_quoted(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced parentheses in {text!r}")


def strip_outer_parens(text: str) -> str:
    """Return text without one pair of parentheses that encloses all of it."""
    text = text.strip()
    if text.startswith("(") and matching_paren(text, 0) == len(text) - 1:
        return text[1:-1].strip()
    return text


def find_keyword(text: str, keyword: str) -> int:
    """Return where ` keyword ` first occurs outside quotes and parentheses, or -1."""
    needle = f" {keyword} "
    depth, i = 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            i = _skip_quoted(text, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and text.startswith(needle, i):
            return i
        i += 1
    return -1


def when_condition(triggerdef: str) -> str:
    """Return the condition of `... FOR EACH ROW WHEN (cond) EXECUTE ...`, without parens."""
    at = find_keyword(triggerdef, "WHEN")
    if at < 0:
        raise ValueError(f"no WHEN clause in {triggerdef!r}")
    start = triggerdef.index("(", at)
    return triggerdef[start + 1 : matching_paren(triggerdef, start)].strip()


def unwrap_check(definition: str) -> str:
    """Return the expression of `CHECK (expr)` as pg_get_constraintdef renders it."""
    text = definition.strip().removesuffix(" NOT VALID")
    if not text.startswith("CHECK (") or matching_paren(text, 6) != len(text) - 1:
        raise ValueError(f"not a CHECK constraint: {definition!r}")
    return text[7:-1].strip()


def split_expressions(text: str) -> list[str]:
    """Split a comma-separated expression list (e.g. pg_get_expr(proargdefaults)).

    pglast parses `SELECT <list>`; each target's location marks where its text starts, so
    the pieces are PostgreSQL's own spelling, cut exactly between targets.
    """
    if not text.strip():
        return []
    stmt = pglast.parse_sql(_SELECT + text)[0].stmt
    assert isinstance(stmt, ast.SelectStmt)
    starts = [target.location - len(_SELECT) for target in stmt.targetList or ()]
    ends = [*starts[1:], len(text)]
    return [text[a:b].strip().removesuffix(",").strip() for a, b in zip(starts, ends, strict=True)]
