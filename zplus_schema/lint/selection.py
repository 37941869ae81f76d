"""Which rules run: --select/--ignore codes or prefixes, checked against the RULES table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import ZplusError
from .rule import Rule


@dataclass(frozen=True)
class Selection:
    """Codes or prefixes to run (empty: every rule) and to leave out.

    `ZS1` selects every definition rule, `ZS104` one rule, `ALL` every rule.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def rules(self, rules: Sequence[Rule]) -> list[Rule]:
        """Return the rules selected and not ignored, in table order."""
        check_codes(self.select, rules, "--select")
        check_codes(self.ignore, rules, "--ignore")
        chosen = [r for r in rules if not self.select or _matches(r.code, self.select)]
        return [r for r in chosen if not _matches(r.code, self.ignore)]


EVERY_RULE = Selection()


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def check_codes(patterns: Iterable[str], rules: Sequence[Rule], option: str) -> None:
    """Refuse a code or prefix that matches no rule (a typo would silently select nothing)."""
    for pattern in patterns:
        if not any(_matches(r.code, [pattern]) for r in rules):
            raise ZplusError(f"{option}: {pattern!r} matches no rule",
                             hint="codes look like ZS104; prefixes like ZS1 select a family; "
                                  "see docs/lint-rules.md")


def parse_codes(text: str | None) -> tuple[str, ...]:
    """Return the codes of a comma-separated option value, upper-cased, blanks dropped."""
    if not text:
        return ()
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())
