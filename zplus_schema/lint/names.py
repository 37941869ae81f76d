"""Every name a schema defines, with what it names and where it is anchored."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..model import SchemaModel
from . import anchors
from .finding import Anchor


@dataclass(frozen=True)
class Name:
    """One identifier the schema defines."""

    name: str
    what: str  # "table", "column", "index", "constraint", "function", ...
    obj: str  # how a reviewer names the object: "column users.order"
    anchors: tuple[Anchor, ...]
    table: str | None = None


def defined_names(model: SchemaModel) -> Iterator[Name]:
    """Yield every identifier the model defines."""
    for t in model.tables:
        yield Name(t.name, "table", f"table {t.name}", anchors.of_table(t))
        for c in t.columns:
            yield Name(c.name, "column", f"column {t.name}.{c.name}",
                       anchors.column(t.name, c.name), t.name)
    for i in model.indexes:
        yield Name(i.name, "index", f"index {i.name}", anchors.index(i), i.table)
    for con in model.constraints:
        yield Name(con.name, "constraint", f"constraint {con.table}.{con.name}",
                   anchors.constraint(con), con.table)
    for tr in model.triggers:
        yield Name(tr.name, "trigger", f"trigger {tr.table}.{tr.name}", anchors.trigger(tr),
                   tr.table)
    for p in model.policies:
        yield Name(p.name, "policy", f"policy {p.table}.{p.name}", anchors.policy(p), p.table)
    for s in model.sequences:
        yield Name(s.name, "sequence", f"sequence {s.name}", (Anchor("relation", s.name),))
    views = [v.name for v in model.views] + [m.name for m in model.materialized_views]
    for view in views:
        yield Name(view, "view", f"view {view}", (Anchor("relation", view),))
    for ty in [e.name for e in model.enums] + [d.name for d in model.domains]:
        yield Name(ty, "type", f"type {ty}", anchors.type_(ty))
    for f in model.functions:
        yield Name(f.name, "function", f"function {f.signature}", anchors.function(f))
