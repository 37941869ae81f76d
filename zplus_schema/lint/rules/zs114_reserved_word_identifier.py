"""ZS114: an identifier that is an SQL reserved word."""

from __future__ import annotations

from collections.abc import Iterator

from pglast import keywords

from ..finding import Hit, Severity
from ..names import defined_names
from ..rule import Rule
from ..subject import Subject

# Words no object may be called without quotes. Function and type names may also be
# type_func_name keywords (`left`, `similar`); column-name keywords (`position`) are allowed
# as table and column names, so they are not reported.
RESERVED = frozenset(keywords.RESERVED_KEYWORDS)
NOT_A_COLUMN = RESERVED | frozenset(keywords.TYPE_FUNC_NAME_KEYWORDS)


def check(s: Subject) -> Iterator[Hit]:
    """Report names that must be double-quoted in every statement that uses them."""
    for n in defined_names(s.model):
        words = RESERVED if n.what in ("function", "type", "trigger", "policy") else NOT_A_COLUMN
        if n.name in words:
            yield Hit(f"{n.what} name {n.name!r} is an SQL reserved word: every query must "
                      f"quote it (\"{n.name}\"); choose another name", n.obj, n.anchors)


RULE = Rule(
    code="ZS114",
    name="reserved-word-identifier",
    severity=Severity.WARNING,
    summary="Identifier that is an SQL reserved word",
    why="A table or column called `order`, `user` or `check` works only when double-quoted, "
        "in every query, view, function body and ORM mapping that ever touches it; an "
        "unquoted use is a syntax error or, worse (`user`), silently means something else "
        "(`SELECT user FROM t` returns the current role).",
    bad="""
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
      user: {type: uuid, nullable: false}
      order: {type: integer, nullable: false}
""",
    good="""
tables:
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
      user_id: {type: uuid, nullable: false}
      position: {type: integer, nullable: false}
""",
    check=check,
)
