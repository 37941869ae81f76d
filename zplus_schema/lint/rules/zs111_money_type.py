"""ZS111: money columns."""

from __future__ import annotations

from collections.abc import Iterator

from ..columns import builtin, type_hits
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report columns of type money."""
    yield from type_hits(
        s.model, lambda t: builtin(t, "money"),
        lambda t, c: f"{t.name}.{c.name} is money; use numeric(p,s) and a currency column")


RULE = Rule(
    code="ZS111",
    name="money-type",
    severity=Severity.WARNING,
    summary="`money` type",
    why="`money` has one fixed fractional precision taken from the `lc_monetary` setting: "
        "the same dump restored under another locale reads differently, it holds no "
        "currency, and it cannot represent fractions of a cent. Use `numeric(p,s)` and store "
        "the currency beside it.",
    bad="""
tables:
  payments:
    comment: Payments
    columns:
      id: {type: uuid, primary_key: true}
      amount: {type: money, nullable: false}
""",
    good="""
tables:
  payments:
    comment: Payments
    columns:
      id: {type: uuid, primary_key: true}
      amount: {type: "numeric(10,2)", nullable: false}
      currency: {type: varchar(3), nullable: false, default: "'USD'"}
""",
    check=check,
)
