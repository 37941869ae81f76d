"""Foreign keys and trigger functions: resolve what they point at, and check it exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import ForeignKey, Module, Project, QualName, SchemaModel
from . import scopes

if TYPE_CHECKING:
    from .checks import Checker


def _link_model(project: Project, group: str, model: SchemaModel) -> SchemaModel:
    """Fill in the referenced columns of `REFERENCES table` (the target's primary key)."""
    changed = []
    for c in model.constraints:
        if isinstance(c, ForeignKey) and not c.ref_columns:
            target = scopes.resolve(project, group, c.ref_table.schema_name)
            pk = target.primary_key(c.ref_table.name) if target else None
            if pk is not None:
                c = c.model_copy(update={"ref_columns": pk.columns})
        changed.append(c)
    return model.model_copy(update={"constraints": tuple(changed)})


def _unqualify_system(project: Project) -> SchemaModel:
    """In the system group, `public.x` is the group's own `x`: make such names relative.

    The system schema is then compiled like any other (e.g. into a scratch schema when a
    plan normalizes it) without pointing back at the live system schema.
    """
    system = project.settings.system_schema
    model = project.system

    def own(q: QualName) -> QualName:
        return q.model_copy(update={"schema_name": None}) if q.schema_name == system else q

    constraints = [c.model_copy(update={"ref_table": own(c.ref_table)})
                   if isinstance(c, ForeignKey) else c for c in model.constraints]
    triggers = [t.model_copy(update={"function": own(t.function)}) for t in model.triggers]
    return model.model_copy(update={"constraints": tuple(constraints),
                                    "triggers": tuple(triggers)})


def link_foreign_keys(project: Project) -> Project:
    """Return the project with every short-form foreign key given its target columns."""
    project = project.model_copy(update={"system": _unqualify_system(project)})
    modules: list[Module] = [
        m.model_copy(update={"objects": _link_model(project, f"module:{m.name}", m.objects)})
        for m in project.modules
    ]
    return project.model_copy(update={
        "system": _link_model(project, "system", project.system),
        "tenant": _link_model(project, "tenant", project.tenant),
        "modules": tuple(modules),
    })


def check_foreign_keys(ck: Checker) -> None:
    """Report FKs whose target table or columns do not exist or are not a key."""
    for fk in ck.model.foreign_keys():
        key, what = f"{fk.table}.{fk.name}", f"foreign key {fk.name}"
        target_model = scopes.resolve(ck.project, ck.group, fk.ref_table.schema_name)
        if target_model is None:
            ck.report("constraint", key, what,
                      f"schema {fk.ref_table.schema_name!r} is not managed by this project",
                      f"reference the system schema as {ck.project.settings.system_schema}.TABLE"
                      " or a table of the same schema without a prefix")
            continue
        target = target_model.table(fk.ref_table.name)
        if target is None:
            ck.report("constraint", key, what,
                      f"references table {str(fk.ref_table)!r}, which is not defined",
                      _missing_table_hint(ck, fk))
            continue
        if not fk.ref_columns:
            ck.report("constraint", key, what,
                      f"table {fk.ref_table.name!r} has no primary key to reference",
                      "name the referenced columns: references: table(column)")
            continue
        missing = [c for c in fk.ref_columns if target.column(c) is None]
        if missing:
            ck.report("constraint", key, what,
                      f"referenced column(s) {', '.join(missing)} not in {fk.ref_table.name}")
        elif len(fk.ref_columns) != len(fk.columns):
            ck.report("constraint", key, what,
                      f"{len(fk.columns)} column(s) reference {len(fk.ref_columns)} column(s)")
        elif tuple(fk.ref_columns) not in [tuple(k) for k in
                                           target_model.unique_keys(fk.ref_table.name)]:
            ck.report("constraint", key, what,
                      f"{fk.ref_table.name}({', '.join(fk.ref_columns)}) is not a primary key "
                      "or unique constraint", "PostgreSQL requires a unique key as FK target")


def _missing_table_hint(ck: Checker, fk: ForeignKey) -> str:
    if ck.group == "tenant":
        for m in ck.project.modules:
            if m.objects.table(fk.ref_table.name):
                return (f"{fk.ref_table.name} belongs to module {m.name}; the tenant template "
                        "cannot depend on a module")
    if ck.group.startswith("module:"):
        for m in ck.project.modules:
            if m.objects.table(fk.ref_table.name):
                return f"add {m.name!r} to depends_on in this module's module.yaml"
    return f"define table {fk.ref_table.name} (in this schema group) or fix the name"


def check_triggers(ck: Checker) -> None:
    """Report triggers whose table, columns or function do not exist."""
    for tr in ck.model.triggers:
        key, what = f"{tr.table}.{tr.name}", f"trigger {tr.name} on {tr.table}"
        table = ck.model.table(tr.table)
        if table is not None:
            for col in tr.update_of:
                if table.column(col) is None:
                    ck.report("trigger", key, what, f"update_of column {col!r} does not exist")
        target = scopes.resolve(ck.project, ck.group, tr.function.schema_name)
        found = [f for f in (target.functions if target else ()) if f.name == tr.function.name]
        if not found:
            ck.report("trigger", key, what, f"function {str(tr.function)!r} is not defined",
                      "define it under functions: (qualify system functions, e.g. "
                      f"{ck.project.settings.system_schema}.{tr.function.name})")
        elif not any((f.returns or "").lower() == "trigger" and not f.arguments for f in found):
            ck.report("trigger", key, what,
                      f"function {str(tr.function)!r} must take no arguments and return trigger")
