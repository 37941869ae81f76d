"""Identifiers are data: the one quoting helper and the validators for names and slugs."""

from __future__ import annotations

import re

from pglast import keywords

MAX_IDENTIFIER_BYTES = 63
_PLAIN = re.compile(r"^[a-z_][a-z0-9_$]*$")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
# Words that need quoting: every keyword except the unreserved ones, as quote_ident() does.
_NEEDS_QUOTES = frozenset(
    keywords.RESERVED_KEYWORDS | keywords.COL_NAME_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS
)


def quote_ident(name: str) -> str:
    """Quote an identifier exactly as PostgreSQL's quote_ident() would.

    Plain lower-case names that are not keywords stay bare so the SQL reads naturally;
    everything else is double-quoted with embedded quotes doubled.
    """
    if _PLAIN.match(name) and name not in _NEEDS_QUOTES:
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_qualified(schema: str | None, name: str) -> str:
    """Quote `schema.name` (or just `name` when schema is None)."""
    if schema is None:
        return quote_ident(name)
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def quote_literal(value: str) -> str:
    """Quote a string as an SQL literal (standard_conforming_strings on)."""
    return "'" + value.replace("'", "''") + "'"


def identifier_problem(name: str) -> str | None:
    """Return why `name` is not a valid managed identifier, or None when it is."""
    if len(name.encode()) > MAX_IDENTIFIER_BYTES:
        return (
            f"identifier {name!r} is {len(name.encode())} bytes; PostgreSQL truncates names "
            f"longer than {MAX_IDENTIFIER_BYTES} bytes"
        )
    if not _PLAIN.match(name):
        return (
            f"identifier {name!r} is not a plain lower-case name "
            "(letters a-z, digits, _ and $; not starting with a digit)"
        )
    return None


def slug_problem(slug: str) -> str | None:
    """Return why `slug` is not a valid tenant slug, or None when it is."""
    if _SLUG.match(slug):
        return None
    return f"tenant slug {slug!r} must match ^[a-z][a-z0-9_]{{0,47}}$"

