"""ZS116: deleting one row cascades into many tables."""

from __future__ import annotations

from collections.abc import Iterator

from ...load import scopes
from ...model import Project
from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject

# Tables reached by cascading deletes, counted transitively, from which it is worth a note.
THRESHOLD = 4
Node = tuple[str, str]  # ("system" | "tenant", table): a tenant schema holds every module


def _side(group: str) -> str:
    return "system" if group == "system" else "tenant"


def cascade_graph(project: Project) -> dict[Node, set[Node]]:
    """Return parent -> children over every ON DELETE CASCADE foreign key of the project."""
    system = project.settings.system_schema
    graph: dict[Node, set[Node]] = {}
    for group in scopes.groups(project):
        for fk in scopes.own_objects(project, group).foreign_keys():
            if fk.on_delete != "cascade":
                continue
            ref = fk.ref_table
            parent_side = "system" if ref.schema_name == system else _side(group)
            if ref.schema_name not in (None, system):
                continue
            graph.setdefault((parent_side, ref.name), set()).add((_side(group), fk.table))
    return graph


def reached(graph: dict[Node, set[Node]], start: Node) -> set[Node]:
    """Return every table a delete on `start` cascades into (transitively)."""
    seen: set[Node] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen and node != start:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def check(s: Subject) -> Iterator[Hit]:
    """Report tables whose row deletion cascades into THRESHOLD or more tables."""
    graph = cascade_graph(s.project)
    for table in s.model.tables:
        hit = reached(graph, (_side(s.group), table.name))
        if len(hit) < THRESHOLD:
            continue
        names = sorted(f"{side}.{name}" if side != _side(s.group) else name
                       for side, name in hit)
        yield Hit(f"deleting one row of {table.name} deletes rows in {len(names)} tables "
                  f"through ON DELETE CASCADE: {', '.join(names)}; make sure that is "
                  "intended, or use restrict and delete explicitly",
                  f"table {table.name}", anchors.of_table(table))


RULE = Rule(
    code="ZS116",
    name="cascade-fan-out",
    severity=Severity.INFO,
    summary="ON DELETE CASCADE into many dependent tables",
    why="A cascade is invisible at the DELETE: removing one parent row silently removes rows "
        f"in every table that cascades from it, transitively, under locks on all of them. "
        f"From {THRESHOLD} tables on, a mistaken DELETE is expensive and the data hard to "
        "restore; the rule lists them so the fan-out is a decision, not an accident.",
    bad="""
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
  orders:
    comment: Sales
    columns:
      id: {type: uuid, primary_key: true}
      customer_id: {type: uuid, references: customers, on_delete: cascade}
  order_items:
    comment: Lines of an order
    columns:
      id: {type: uuid, primary_key: true}
      order_id: {type: uuid, references: orders, on_delete: cascade}
  invoices:
    comment: Invoices of an order
    columns:
      id: {type: uuid, primary_key: true}
      order_id: {type: uuid, references: orders, on_delete: cascade}
  notes:
    comment: Notes about a customer
    columns:
      id: {type: uuid, primary_key: true}
      customer_id: {type: uuid, references: customers, on_delete: cascade}
""",
    good="""
tables:
  customers:
    comment: End customers
    columns:
      id: {type: uuid, primary_key: true}
  orders:
    comment: Sales (kept when a customer is deleted)
    columns:
      id: {type: uuid, primary_key: true}
      customer_id: {type: uuid, references: customers, on_delete: restrict}
  order_items:
    comment: Lines of an order
    columns:
      id: {type: uuid, primary_key: true}
      order_id: {type: uuid, references: orders, on_delete: cascade}
  invoices:
    comment: Invoices of an order
    columns:
      id: {type: uuid, primary_key: true}
      order_id: {type: uuid, references: orders, on_delete: cascade}
  notes:
    comment: Notes about a customer
    columns:
      id: {type: uuid, primary_key: true}
      customer_id: {type: uuid, references: customers, on_delete: cascade}
""",
    check=check,
)
