"""References out of the imported schema, and the few objects a tenant import needs from them.

A project can name objects of its own schema and of its system schema only. A tenant
schema's triggers call system functions (`public.audit_row_change`) and its foreign keys
may point at system tables; `validate` needs those defined in schema/system/, so a tenant
import brings along exactly the system objects its references need.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..model import Check, Constraint, ForeignKey, Function, PrimaryKey, SchemaModel, Unique


def referenced_schemas(model: SchemaModel) -> Counter[str]:
    """Return the other schemas named by triggers and foreign keys, with how often."""
    names: Counter[str] = Counter()
    for trigger in model.triggers:
        if trigger.function.schema_name:
            names[trigger.function.schema_name] += 1
    for fk in model.foreign_keys():
        if fk.ref_table.schema_name:
            names[fk.ref_table.schema_name] += 1
    return names


def choose_system_schema(model: SchemaModel, default: str = "public") -> str:
    """Return the system schema for a tenant import: the schema it references most.

    `public` wins a tie (it is where Zplus keeps the system objects); with no reference at
    all the default stands.
    """
    counts = referenced_schemas(model)
    if not counts:
        return default
    return max(counts, key=lambda s: (counts[s], s == default, s))


def dependencies(model: SchemaModel, system: SchemaModel, schema: str) -> SchemaModel:
    """Return the objects of `system` that references of `model` into `schema` need.

    Trigger functions by name; tables referenced by foreign keys with their key and check
    constraints, following those tables' own foreign keys; the enums and domains their
    columns use. Indexes, triggers and policies of those tables are left out: they matter
    only to whoever manages the system schema itself.
    """
    functions = {t.function.name for t in model.triggers if t.function.schema_name == schema}
    wanted = [fk.ref_table.name for fk in model.foreign_keys()
              if fk.ref_table.schema_name == schema]
    tables = _table_closure(system, wanted)
    constraints = tuple(c for c in system.constraints
                        if c.table in tables and _keeps(c, tables))
    types = _column_types(system, tables)
    return SchemaModel(
        functions=_one_per_name(f for f in system.functions if f.name in functions),
        tables=tuple(t for t in system.tables if t.name in tables),
        constraints=constraints,
        enums=tuple(e for e in system.enums if e.name in types),
        domains=tuple(d for d in system.domains if d.name in types),
    )


def _table_closure(system: SchemaModel, wanted: list[str]) -> set[str]:
    """Return the wanted tables plus every table their foreign keys reach, in `system`."""
    found: set[str] = set()
    todo = [name for name in wanted if system.table(name) is not None]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        todo += [fk.ref_table.name for fk in system.foreign_keys()
                 if fk.table == name and fk.ref_table.schema_name is None]
    return found


def _keeps(con: Constraint, tables: set[str]) -> bool:
    """Keep keys and checks, and foreign keys among the kept tables of the same schema."""
    if isinstance(con, PrimaryKey | Unique | Check):
        return True
    return (isinstance(con, ForeignKey) and con.ref_table.schema_name is None
            and con.ref_table.name in tables)


def _column_types(system: SchemaModel, tables: set[str]) -> set[str]:
    """Return the type names the kept tables' columns use (their array suffix removed)."""
    used: set[str] = set()
    for table in system.tables:
        if table.name in tables:
            used |= {c.type.removesuffix("[]") for c in table.columns}
    return used


def _one_per_name(functions: Iterable[Function]) -> tuple[Function, ...]:
    """Return one function per name, preferring the one a trigger can call (no arguments)."""
    by_name: dict[str, Function] = {}
    for fn in sorted(functions, key=lambda f: (bool(f.arguments), f.signature)):
        by_name.setdefault(fn.name, fn)
    return tuple(by_name.values())

