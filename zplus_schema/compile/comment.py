"""COMMENT ON statements for every object that has a comment."""

from __future__ import annotations

from ..ident import quote_ident, quote_literal
from ..model import SchemaModel
from .context import Target
from .statement import Statement


def _comment(what: str, text: str, key: str, requires: str) -> Statement:
    return Statement(f"COMMENT ON {what} IS {quote_literal(text)}", "comment", key,
                     frozenset(), frozenset({requires}))


def comment_statements(model: SchemaModel, target: Target) -> list[Statement]:
    """Return COMMENT ON for tables, columns, indexes, constraints, functions, triggers."""
    out: list[Statement] = []
    for t in model.tables:
        if t.comment:
            out.append(_comment(f"TABLE {target.q(t.name)}", t.comment, t.name, f"table:{t.name}"))
        for c in t.columns:
            if c.comment:
                out.append(_comment(f"COLUMN {target.q(t.name)}.{quote_ident(c.name)}",
                                    c.comment, f"{t.name}.{c.name}", f"table:{t.name}"))
    for i in model.indexes:
        if i.comment:
            out.append(_comment(f"INDEX {target.q(i.name)}", i.comment, i.name, f"index:{i.name}"))
    for con in model.constraints:
        if con.comment:
            out.append(_comment(f"CONSTRAINT {quote_ident(con.name)} ON {target.q(con.table)}",
                                con.comment, f"{con.table}.{con.name}",
                                f"constraint:{con.table}.{con.name}"))
    for f in model.functions:
        if f.comment:
            types = ", ".join(a.type for a in f.arguments if a.mode != "out")
            out.append(_comment(f"{f.kind.upper()} {target.q(f.name)}({types})", f.comment,
                                f.signature, f"function:{f.name}"))
    for tr in model.triggers:
        if tr.comment:
            out.append(_comment(f"TRIGGER {quote_ident(tr.name)} ON {target.q(tr.table)}",
                                tr.comment, f"{tr.table}.{tr.name}",
                                f"trigger:{tr.table}.{tr.name}"))
    for e in model.enums:
        if e.comment:
            out.append(_comment(f"TYPE {target.q(e.name)}", e.comment, e.name, f"type:{e.name}"))
    for s in model.sequences:
        if s.comment:
            out.append(_comment(f"SEQUENCE {target.q(s.name)}", s.comment, s.name,
                                f"sequence:{s.name}"))
    for v in model.views:
        if v.comment:
            out.append(_comment(f"VIEW {target.q(v.name)}", v.comment, v.name, f"table:{v.name}"))
    for m in model.materialized_views:
        if m.comment:
            out.append(_comment(f"MATERIALIZED VIEW {target.q(m.name)}", m.comment, m.name,
                                f"table:{m.name}"))
    for d in model.domains:
        if d.comment:
            out.append(_comment(f"DOMAIN {target.q(d.name)}", d.comment, d.name, f"type:{d.name}"))
    for p in model.policies:
        if p.comment:
            out.append(_comment(f"POLICY {quote_ident(p.name)} ON {target.q(p.table)}",
                                p.comment, f"{p.table}.{p.name}", f"policy:{p.table}.{p.name}"))
    return out
