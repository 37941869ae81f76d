"""COMMENT ON statements for every object that has a comment."""

from __future__ import annotations

from collections.abc import Iterator

from ..ident import quote_ident, quote_literal
from ..model import SchemaModel
from .context import Target
from .statement import Statement


def _targets(model: SchemaModel, t: Target) -> Iterator[tuple[str, str | None, str, str]]:
    """Yield (what, comment, key, requirement) for every commentable object."""
    for tb in model.tables:
        yield f"TABLE {t.q(tb.name)}", tb.comment, tb.name, f"table:{tb.name}"
        for c in tb.columns:
            yield (f"COLUMN {t.q(tb.name)}.{quote_ident(c.name)}", c.comment,
                   f"{tb.name}.{c.name}", f"table:{tb.name}")
    for i in model.indexes:
        yield f"INDEX {t.q(i.name)}", i.comment, i.name, f"index:{i.name}"
    for con in model.constraints:
        key = f"{con.table}.{con.name}"
        yield (f"CONSTRAINT {quote_ident(con.name)} ON {t.q(con.table)}", con.comment, key,
               f"constraint:{key}")
    for f in model.functions:
        types = ", ".join(a.type for a in f.arguments if a.mode != "out")
        yield (f"{f.kind.upper()} {t.q(f.name)}({types})", f.comment, f.signature,
               f"function:{f.name}")
    for tr in model.triggers:
        key = f"{tr.table}.{tr.name}"
        yield (f"TRIGGER {quote_ident(tr.name)} ON {t.q(tr.table)}", tr.comment, key,
               f"trigger:{key}")
    for e in model.enums:
        yield f"TYPE {t.q(e.name)}", e.comment, e.name, f"type:{e.name}"
    for s in model.sequences:
        yield f"SEQUENCE {t.q(s.name)}", s.comment, s.name, f"sequence:{s.name}"
    for v in model.views:
        yield f"VIEW {t.q(v.name)}", v.comment, v.name, f"table:{v.name}"
    for m in model.materialized_views:
        yield f"MATERIALIZED VIEW {t.q(m.name)}", m.comment, m.name, f"table:{m.name}"
    for d in model.domains:
        yield f"DOMAIN {t.q(d.name)}", d.comment, d.name, f"type:{d.name}"
    for p in model.policies:
        key = f"{p.table}.{p.name}"
        yield f"POLICY {quote_ident(p.name)} ON {t.q(p.table)}", p.comment, key, f"policy:{key}"


def comment_statements(model: SchemaModel, target: Target) -> list[Statement]:
    """Return COMMENT ON for every object of the model that has a comment."""
    return [
        Statement(f"COMMENT ON {what} IS {quote_literal(text)}", "comment", key, frozenset(),
                  frozenset({requires}))
        for what, text, key, requires in _targets(model, target) if text
    ]
