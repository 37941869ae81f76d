"""Cross-reference checks over a loaded project; each problem points at the YAML line."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import Location, Problem
from ..ident import identifier_problem
from ..model import (
    Check,
    ModuleCycleError,
    PrimaryKey,
    SchemaModel,
    Unique,
    resolve_modules,
)
from . import scopes
from .project import Loaded
from .references import check_foreign_keys, check_triggers, link_foreign_keys
from .sqlcheck import expression_error, function_body_error, type_error


class Checker:
    """Collects problems for one group with the locations the loader recorded."""

    def __init__(self, loaded: Loaded, group: str) -> None:
        self.loaded = loaded
        self.group = group
        self.project = loaded.project
        self.model = scopes.own_objects(loaded.project, group)
        self.problems: list[Problem] = []

    def at(self, kind: str, key: str) -> Location | None:
        """Return where an object of this group was written."""
        return self.loaded.where(self.group, kind, key)

    def report(self, kind: str, key: str, obj: str, message: str,
               hint: str | None = None) -> None:
        """Record a problem about an object of this group."""
        self.problems.append(Problem(message, self.at(kind, key), obj, hint))


def check_project(loaded: Loaded) -> list[Problem]:
    """Return every cross-reference problem of the project (empty when it is consistent)."""
    loaded.project = link_foreign_keys(loaded.project)
    problems = _check_modules(loaded)
    for group in scopes.groups(loaded.project):
        checker = Checker(loaded, group)
        _check_identifiers(checker)
        _check_columns_exist(checker)
        _check_sql(checker)
        check_foreign_keys(checker)
        check_triggers(checker)
        problems.extend(checker.problems)
    problems.extend(_check_tenant_namespace(loaded))
    return problems


def _names(model: SchemaModel) -> Iterator[tuple[str, str, str, str]]:
    """Yield (kind, key, description, identifier) for every name the model defines."""
    for t in model.tables:
        yield "relation", t.name, f"table {t.name}", t.name
        for c in t.columns:
            yield "relation", t.name, f"column {t.name}.{c.name}", c.name
    for i in model.indexes:
        yield "relation", i.name, f"index {i.name}", i.name
    for s in model.sequences:
        yield "relation", s.name, f"sequence {s.name}", s.name
    for e in model.enums:
        yield "type", e.name, f"enum {e.name}", e.name
    for f in model.functions:
        yield "function", f.signature, f"function {f.signature}", f.name
    for con in model.constraints:
        yield "constraint", f"{con.table}.{con.name}", f"constraint {con.name}", con.name
    for tr in model.triggers:
        yield "trigger", f"{tr.table}.{tr.name}", f"trigger {tr.name}", tr.name


def _check_identifiers(ck: Checker) -> None:
    for kind, key, what, name in _names(ck.model):
        problem = identifier_problem(name)
        if problem:
            hint = "use a shorter name" if len(name.encode()) > 63 else "use snake_case"
            if kind == "constraint" and len(name.encode()) > 63:
                hint = "give the constraint a shorter explicit `name:`"
            ck.report(kind, key, what, problem, hint)


def _check_columns_exist(ck: Checker) -> None:
    for c in ck.model.constraints:
        table = ck.model.table(c.table)
        if table is None or isinstance(c, Check):
            continue
        for col in c.columns:
            if table.column(col) is None:
                ck.report("constraint", f"{c.table}.{c.name}", f"constraint {c.name}",
                          f"column {col!r} does not exist in table {c.table!r}",
                          f"columns of {c.table}: {', '.join(table.column_names)}")
    for i in ck.model.indexes:
        table = ck.model.table(i.table)
        if table is None:
            continue
        for col in (*i.columns, *i.include):
            if table.column(col) is None:
                ck.report("relation", i.name, f"index {i.name}",
                          f"column {col!r} does not exist in table {i.table!r}",
                          f"columns of {i.table}: {', '.join(table.column_names)}")
    for s in ck.model.sequences:
        if s.owned_by:
            t = ck.model.table(s.owned_by[0])
            if t is None or t.column(s.owned_by[1]) is None:
                ck.report("relation", s.name, f"sequence {s.name}",
                          f"owned_by {'.'.join(s.owned_by)} is not a column of this schema")


def _check_sql(ck: Checker) -> None:
    for t in ck.model.tables:
        for col in t.columns:
            what = f"column {t.name}.{col.name}"
            for label, text, checker in (
                ("type", col.type, type_error),
                ("default", col.default, expression_error),
                ("generated", col.generated, expression_error),
            ):
                if text is not None and (err := checker(text)):
                    ck.report("relation", t.name, what, f"{label} {text!r} does not parse: {err}")
    for con in ck.model.checks():
        if err := expression_error(con.expression):
            ck.report("constraint", f"{con.table}.{con.name}", f"check {con.name}",
                      f"expression does not parse: {err}")
    for i in ck.model.indexes:
        for text in [k.expression for k in i.keys if k.expression] + [i.where or ""]:
            if text and (err := expression_error(text)):
                ck.report("relation", i.name, f"index {i.name}", f"{text!r} does not parse: {err}")
    for fn in ck.model.functions:
        if err := function_body_error(fn):
            ck.report("function", fn.signature, f"function {fn.name}",
                      f"body does not parse: {err}")


def _check_modules(loaded: Loaded) -> list[Problem]:
    problems: list[Problem] = []
    project = loaded.project
    for m in project.modules:
        where = loaded.module_files.get(m.name)
        for dep in m.depends_on:
            if project.module(dep) is None:
                problems.append(Problem(
                    f"depends on unknown module {dep!r}", where, f"module {m.name}",
                    f"known modules: {', '.join(project.module_names) or 'none'}"))
        try:
            resolve_modules(project, [m.name])
        except ModuleCycleError as exc:
            problems.append(Problem(
                f"circular module dependency: {' -> '.join(exc.cycle)}", where,
                f"module {m.name}", "remove one of the depends_on entries in the cycle"))
        except ValueError:
            pass  # an unknown dependency, reported above
    return problems


def _relation_names(model: SchemaModel) -> Iterator[tuple[str, str, str]]:
    """Yield (name, kind, key) for everything in the relation namespace of a schema."""
    for t in model.tables:
        yield t.name, "relation", t.name
    for i in model.indexes:
        yield i.name, "relation", i.name
    for s in model.sequences:
        yield s.name, "relation", s.name
    for c in model.constraints:
        if isinstance(c, PrimaryKey | Unique):  # each is backed by an index of that name
            yield c.name, "constraint", f"{c.table}.{c.name}"


def _check_tenant_namespace(loaded: Loaded) -> list[Problem]:
    """A tenant may enable every module: their names must not clash with each other."""
    seen: dict[str, tuple[str, Location | None]] = {}
    problems: list[Problem] = []
    for group in scopes.groups(loaded.project):
        if group == "system":
            continue
        for name, kind, key in _relation_names(scopes.own_objects(loaded.project, group)):
            where = loaded.where(group, kind, key)
            if name in seen and (seen[name][0] != group or kind == "constraint"):
                first_group, first = seen[name]
                problems.append(Problem(
                    f"name {name!r} is already used in {first_group} at {first}", where,
                    f"{group} {kind} {key}",
                    "tables, indexes, sequences and key constraints share one namespace "
                    "per schema; rename one"))
            seen.setdefault(name, (group, where))
    seen.clear()
    for name, kind, key in _relation_names(loaded.project.system):
        where = loaded.where("system", kind, key)
        if name in seen and kind == "constraint":
            problems.append(Problem(f"name {name!r} is already used at {seen[name][1]}", where,
                                    f"system {kind} {key}", "rename one"))
        seen.setdefault(name, ("system", where))
    return problems

