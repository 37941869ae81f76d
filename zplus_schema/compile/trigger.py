"""CREATE TRIGGER."""

from __future__ import annotations

from ..ident import quote_ident, quote_literal
from ..model import Trigger
from .context import Target
from .statement import Statement


def trigger_sql(tr: Trigger, target: Target) -> str:
    """Return CREATE TRIGGER for one trigger."""
    events = []
    for event in tr.events:
        if event == "update" and tr.update_of:
            events.append("UPDATE OF " + ", ".join(quote_ident(c) for c in tr.update_of))
        else:
            events.append(event.upper())
    sql = (
        f"CREATE TRIGGER {quote_ident(tr.name)} {tr.timing.upper()} {' OR '.join(events)}"
        f" ON {target.q(tr.table)} FOR EACH {tr.level.upper()}"
    )
    if tr.when:
        sql += f" WHEN ({tr.when})"
    args = ", ".join(quote_literal(a) for a in tr.arguments)
    return sql + f" EXECUTE FUNCTION {target.qn(tr.function)}({args})"


def create_trigger(tr: Trigger, target: Target) -> list[Statement]:
    """Return the CREATE TRIGGER statement of one trigger."""
    requires = {f"table:{tr.table}"}
    if tr.function.schema_name is None:
        requires.add(f"function:{tr.function.name}")
    return [Statement(trigger_sql(tr, target), "trigger", f"{tr.table}.{tr.name}",
                      frozenset({f"trigger:{tr.table}.{tr.name}"}), frozenset(requires))]
