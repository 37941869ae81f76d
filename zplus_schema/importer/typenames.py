"""Shorter spellings of what the catalog prints, where PostgreSQL reads them back the same.

Plans compare definitions after the server has normalized both sides, so `varchar(20)` and
`character varying(20)` plan the same; these only make the imported YAML read like YAML
people write. Only built-in spellings that format_type() prints unqualified are touched.
"""

from __future__ import annotations

import re

_ARRAY = r"(?P<array>(?:\[\])*)"
_SHORT_TYPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + _ARRAY + "$"), short)
    for pattern, short in (
        (r"^character varying(?P<mod>\(\d+\))?", "varchar"),
        (r"^character(?P<mod>\(\d+\))", "char"),
        (r"^bit varying(?P<mod>\(\d+\))?", "varbit"),
        (r"^timestamp(?P<mod>\(\d\))? with time zone", "timestamptz"),
        (r"^timestamp(?P<mod>\(\d\))? without time zone", "timestamp"),
        (r"^time(?P<mod>\(\d\))? with time zone", "timetz"),
        (r"^time(?P<mod>\(\d\))? without time zone", "time"),
    )
)
# A string literal cast to a type: `'lead'::character varying`, `'{}'::text[]`.
_CAST_LITERAL = re.compile(r"^(?P<literal>'(?:[^']|'')*')::(?P<type>[^':()]+(?:\[\])*)$")
_TYPMOD = re.compile(r"\(\d+(?:,\d+)?\)")


def short_type(type_: str) -> str:
    """Return the short spelling of a built-in type, or the type as given."""
    for pattern, short in _SHORT_TYPES:
        match = pattern.match(type_)
        if match:
            return f"{short}{match['mod'] or ''}{match['array']}"
    return type_


def short_default(default: str | None, column_type: str) -> str | None:
    """Return a default without the cast PostgreSQL adds to a literal of the column's type.

    `DEFAULT 'lead'` on a varchar(20) column is stored and printed as
    `'lead'::character varying`: the literal is coerced to the column's type (without its
    length) either way, so the bare literal stores the same expression.
    """
    if default is None:
        return None
    match = _CAST_LITERAL.match(default)
    if match and match["type"] == _TYPMOD.sub("", column_type):
        return match["literal"]
    return default
