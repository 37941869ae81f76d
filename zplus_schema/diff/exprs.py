"""Rewrite SQL expression text as PostgreSQL does when a column is renamed."""

from __future__ import annotations

import pglast
from pglast.parser import scan

from ..ident import quote_ident

# Tokens that can name a column (an identifier or a keyword PostgreSQL lets stand as one).
_NAMES = frozenset({"UNRESERVED_KEYWORD", "COL_NAME_KEYWORD", "TYPE_FUNC_NAME_KEYWORD"})


def _word(raw: bytes) -> str:
    text = raw.decode()
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


def _column_refs(expr: str, name: str) -> list[tuple[int, int]]:
    """Return the byte spans (start, end) of references to column `name` in `expr`.

    A reference is the name standing alone or after NEW./OLD. (trigger WHEN); function
    names, type names after `::` and other qualified names are left alone.
    """
    raw = expr.encode()
    try:
        tokens = scan(expr)
    except pglast.parser.ParseError:
        return []
    spans = []
    for i, tok in enumerate(tokens):
        if tok.name != "IDENT" and tok.kind not in _NAMES:
            continue
        if _word(raw[tok.start:tok.end + 1]) != name:
            continue
        nxt = tokens[i + 1].name if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].name if i > 0 else ""
        if nxt in ("ASCII_40", "ASCII_46") or prev == "TYPECAST":  # `name(` or `name.x`
            continue
        if prev == "ASCII_46" and (i < 2 or _word(
                raw[tokens[i - 2].start:tokens[i - 2].end + 1]) not in ("new", "old")):
            continue
        spans.append((tok.start, tok.end + 1))
    return spans


def mentions_column(expr: str | None, name: str) -> bool:
    """Return True when `expr` refers to column `name`."""
    return bool(expr) and bool(_column_refs(expr or "", name))


def rename_column_refs(expr: str | None, old: str, new: str) -> str | None:
    """Return `expr` with references to column `old` renamed to `new`."""
    if not expr:
        return expr
    raw = expr.encode()
    out, last = [], 0
    for start, end in _column_refs(expr, old):
        out += [raw[last:start], quote_ident(new).encode()]
        last = end
    out.append(raw[last:])
    return b"".join(out).decode()
