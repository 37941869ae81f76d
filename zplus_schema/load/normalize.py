"""Turn one validated objects file into model objects, every short form made long."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Location, Problem
from ..model import (
    Argument,
    Check,
    Column,
    Constraint,
    Domain,
    EnumType,
    Exclusion,
    Extension,
    ForeignKey,
    Function,
    Index,
    IndexKey,
    MaterializedView,
    Policy,
    PrimaryKey,
    QualName,
    Sequence,
    Table,
    Trigger,
    Unique,
    View,
)
from ..model.base import Node
from . import spec as s
from .yamlsrc import PathKey, SourceDoc

_REF = re.compile(
    r"^\s*(?:(?P<schema>[A-Za-z_][\w$]*)\.)?(?P<table>[A-Za-z_][\w$]*)\s*"
    r"(?:\(\s*(?P<cols>[^)]*)\)\s*)?$"
)


@dataclass(frozen=True)
class Suppression:
    """A lint rule switched off for an object (and what is under it), with its reason."""

    code: str
    reason: str
    location: Location


@dataclass
class Collected:
    """Objects read from files of one group, with where each came from."""

    objects: dict[str, list[Node]] = field(default_factory=dict)
    origins: dict[tuple[str, str], Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skip_templates: dict[str, set[str]] = field(default_factory=dict)
    # Explicit renames: ("table", new) -> old and ("column", table, new) -> old.
    renames: dict[tuple[str, ...], str] = field(default_factory=dict)
    # Lint suppressions by the (kind, key) of the object they are written on.
    suppressions: dict[tuple[str, str], list[Suppression]] = field(default_factory=dict)

    def place(self, kind: str, key: str, loc: Location) -> None:
        """Record where a part of an object (e.g. a column) was written, for messages."""
        self.origins.setdefault((kind, key), loc)

    def suppress(self, kind: str, key: str, spec: s.LintSpec | None, doc: SourceDoc,
                 path: PathKey) -> None:
        """Record the suppressions of an object's `lint:` entry, each at its own line."""
        for i, item in enumerate(spec.ignore if spec else []):
            where = doc.location((*path, "lint", "ignore", i))
            self.suppressions.setdefault((kind, key), []).append(
                Suppression(item.code, item.reason, where))

    def add(self, kind: str, obj: Node, key: str, loc: Location) -> None:
        """Add an object; a second object of the same kind and key is a duplicate."""
        if (kind, key) in self.origins:
            first = self.origins[(kind, key)]
            self.problems.append(
                Problem(
                    f"duplicate {kind} {key!r} (first defined at {first})",
                    loc,
                    hint="names must be unique within a schema; rename or remove one",
                )
            )
            return
        self.origins[(kind, key)] = loc
        self.objects.setdefault(kind, []).append(obj)


def sql_value(value: s.SqlValue | None) -> str | None:
    """Render a YAML scalar default as SQL text (true -> true, 3 -> 3, text as written)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_qualname(text: str) -> QualName:
    """Parse `name`, `schema.name` or `name()` into a QualName."""
    text = text.strip()
    if text.endswith("()"):
        text = text[:-2]
    schema, _, name = text.rpartition(".")
    return QualName(schema_name=schema or None, name=name)


class FileNormalizer:
    """Normalizes one ObjectsFile into a Collected, locating each object in its document."""

    def __init__(self, doc: SourceDoc, into: Collected) -> None:
        self.doc = doc
        self.out = into

    def loc(self, *path: str | int) -> Location:
        """Return the location of a path in this document."""
        return self.doc.location(tuple(path))

    def problem(self, path: PathKey, obj: str, message: str, hint: str | None = None) -> None:
        """Record a problem at a path of this document."""
        self.out.problems.append(Problem(message, self.doc.location(path), obj, hint))

    def run(self, spec: s.ObjectsFile) -> None:
        """Normalize every object of the file."""
        for name, ext in spec.extensions.items():
            ext = ext or s.ExtensionSpec()
            obj = Extension(name=name, schema_name=ext.schema_name, version=ext.version)
            self.out.add("extension", obj, name, self.loc("extensions", name))
        for name, enum in spec.enums.items():
            if isinstance(enum, list):
                enum = s.EnumSpec(values=enum)
            values, comment = enum.values, enum.comment
            obj2 = EnumType(name=name, values=tuple(values), comment=comment)
            self.out.add("type", obj2, name, self.loc("enums", name))
        for name, seq in spec.sequences.items():
            self._sequence(name, seq)
        for name, fn in spec.functions.items():
            self._function(name, fn)
        for name, table in spec.tables.items():
            TableNormalizer(self, name, table).run()
        for name, view in spec.views.items():
            view = s.ViewSpec(query=view) if isinstance(view, str) else view
            v = View(name=name, query=view.query.strip().rstrip(";"),
                     options=tuple(sorted(view.options.items())), comment=view.comment)
            self.out.add("relation", v, name, self.loc("views", name))
        for name, mv in spec.materialized_views.items():
            mv = s.MaterializedViewSpec(query=mv) if isinstance(mv, str) else mv
            m = MaterializedView(name=name, query=mv.query.strip().rstrip(";"), comment=mv.comment)
            self.out.add("relation", m, name, self.loc("materialized_views", name))
        for name, dom in spec.domains.items():
            d = Domain(name=name, type=dom.type, nullable=dom.nullable,
                       default=sql_value(dom.default), collation=dom.collation,
                       checks=tuple(sorted(dom.checks.items())), comment=dom.comment)
            self.out.add("type", d, name, self.loc("domains", name))

    def _sequence(self, name: str, seq: s.SequenceSpec) -> None:
        owned: tuple[str, str] | None = None
        if seq.owned_by:
            table, dot, column = seq.owned_by.partition(".")
            if not dot or not column:
                self.problem(("sequences", name, "owned_by"), f"sequence {name}",
                             f"owned_by must be table.column (got {seq.owned_by!r})")
            owned = (table, column)
        data = seq.model_dump(exclude={"owned_by", "renamed_from"})
        self.out.add("relation", Sequence(name=name, owned_by=owned, **data), name,
                     self.loc("sequences", name))

    def _function(self, name: str, fn: s.FunctionSpec) -> None:
        args = tuple(Argument(**a.model_dump()) for a in fn.arguments)
        if (fn.kind == "function") == (fn.returns is None):
            self.problem(("functions", name), f"function {name}",
                         "a function needs `returns:`; a procedure must not have it")
        obj = Function(
            name=name,
            kind=fn.kind,
            arguments=args,
            returns=fn.returns,
            language=fn.language.lower(),
            body=fn.body,
            volatility=fn.volatility,
            security_definer=fn.security_definer,
            strict=fn.strict,
            config=tuple(sorted(fn.set.items())),
            comment=fn.comment,
        )
        self.out.add("function", obj, obj.signature, self.loc("functions", name))
        self.out.suppress("function", obj.signature, fn.lint, self.doc, ("functions", name))
        # Where line 1 of the body is: a block scalar (`body: |`) starts below its key.
        body_at = self.loc("functions", name, "body")
        if "\n" in fn.body:
            body_at = Location(body_at.file, body_at.line + 1)
        self.out.place("body", obj.signature, body_at)


class TableNormalizer:
    """Normalizes one table: columns, their short forms, constraints, indexes, triggers."""

    def __init__(self, parent: FileNormalizer, name: str, spec: s.TableSpec) -> None:
        self.p = parent
        self.name = name
        self.spec = spec
        self.path: PathKey = ("tables", name)
        self.pk_columns: list[str] = list(spec.primary_key or [])

    def run(self) -> None:
        """Normalize the table and everything written under it."""
        columns = [self._column(n, c) for n, c in self.spec.columns.items()]
        rls = self.spec.row_level_security
        table = Table(
            name=self.name, columns=tuple(columns), comment=self.spec.comment,
            rls_enabled=rls is not None, rls_forced=rls == "forced",
            partition_by=self.spec.partition_by, partition_of=self.spec.partition_of,
            partition_bound=self.spec.partition_bound,
        )
        self.p.out.add("relation", table, self.name, self.p.loc(*self.path))
        self.p.out.suppress("relation", self.name, self.spec.lint, self.p.doc, self.path)
        if self.spec.renamed_from:
            self.p.out.renames[("table", self.name)] = self.spec.renamed_from
        for name, definition in self.spec.exclusions.items():
            self._constraint(Exclusion(table=self.name, name=name, definition=definition),
                             "exclusions", name)
        for name, pol in self.spec.policies.items():
            policy = Policy(table=self.name, name=name, command=pol.command,
                            permissive=pol.permissive, roles=tuple(sorted(set(pol.roles))),
                            using=pol.using, with_check=pol.with_check, comment=pol.comment)
            self.p.out.add("policy", policy, f"{self.name}.{name}",
                           self.p.loc(*self.path, "policies", name))
            self.p.out.suppress("policy", f"{self.name}.{name}", pol.lint, self.p.doc,
                                (*self.path, "policies", name))
        if self.pk_columns:
            pk = PrimaryKey(table=self.name, name=f"{self.name}_pkey",
                            columns=tuple(self.pk_columns))
            self._constraint(pk, "primary_key")
        self._table_constraints()
        for index_name, index in self.spec.indexes.items():
            self._index(index_name, index)
        for trigger_name, trig in self.spec.triggers.items():
            self._trigger(trigger_name, trig)
        if self.spec.skip_templates:
            self.p.out.skip_templates[self.name] = set(self.spec.skip_templates)

    def _constraint(self, obj: Constraint, *path: str | int) -> None:
        self.p.out.add("constraint", obj, f"{self.name}.{obj.name}",
                       self.p.loc(*self.path, *path))

    def _column(self, name: str, raw: str | s.ColumnSpec) -> Column:
        col = s.ColumnSpec(type=raw) if isinstance(raw, str) else raw
        where = ("columns", name)
        self.p.out.place("column", f"{self.name}.{name}", self.p.loc(*self.path, *where))
        self.p.out.suppress("column", f"{self.name}.{name}", col.lint, self.p.doc,
                            (*self.path, *where))
        if col.renamed_from:
            self.p.out.renames[("column", self.name, name)] = col.renamed_from
        if col.primary_key:
            if self.spec.primary_key is not None or self.pk_columns:
                self.p.problem((*self.path, *where), f"table {self.name}",
                               "more than one primary key declared",
                               "list every key column once in the table's primary_key: [...]")
            else:
                self.pk_columns.append(name)
        if col.unique:
            uq = Unique(table=self.name, name=f"{self.name}_{name}_key", columns=(name,))
            self._constraint(uq, *where)
        if col.check:
            ck = Check(table=self.name, name=f"{self.name}_{name}_check", expression=col.check)
            self._constraint(ck, *where)
        if col.references:
            self._column_fk(name, col, where)
        return Column(
            name=name,
            type=col.type.strip(),
            nullable=col.nullable and not col.primary_key,
            default=sql_value(col.default),
            identity=col.identity,
            generated=col.generated,
            collation=col.collation,
            comment=col.comment,
        )

    def _column_fk(self, name: str, col: s.ColumnSpec, where: tuple[str, str]) -> None:
        assert col.references is not None
        match = _REF.match(col.references)
        if not match:
            self.p.problem((*self.path, *where, "references"), f"column {self.name}.{name}",
                           f"cannot read references: {col.references!r}",
                           "write `table`, `table(column)` or `schema.table(column)`")
            return
        cols = tuple(c.strip() for c in (match["cols"] or "").split(",") if c.strip())
        fk = ForeignKey(
            table=self.name,
            name=f"{self.name}_{name}_fkey",
            columns=(name,),
            ref_table=QualName(schema_name=match["schema"], name=match["table"]),
            ref_columns=cols,
            on_delete=col.on_delete or "no action",
            on_update=col.on_update or "no action",
        )
        self._constraint(fk, *where)

    def _table_constraints(self) -> None:
        for i, uq in enumerate(self.spec.unique):
            name = uq.name or f"{self.name}_{'_'.join(uq.columns)}_key"
            obj = Unique(table=self.name, name=name, columns=tuple(uq.columns),
                         **uq.model_dump(exclude={"name", "columns"}))
            self._constraint(obj, "unique", i)
        for name, expr in self.spec.checks.items():
            self._constraint(Check(table=self.name, name=name, expression=expr), "checks", name)
        for i, fk in enumerate(self.spec.foreign_keys):
            fk_name = fk.name or f"{self.name}_{'_'.join(fk.columns)}_fkey"
            ref = QualName(schema_name=fk.references.schema_name, name=fk.references.table)
            fk_obj = ForeignKey(
                table=self.name, name=fk_name, columns=tuple(fk.columns), ref_table=ref,
                ref_columns=tuple(fk.references.columns or ()), on_delete=fk.on_delete,
                on_update=fk.on_update, deferrable=fk.deferrable,
                initially_deferred=fk.initially_deferred,
            )
            self._constraint(fk_obj, "foreign_keys", i)

    def _index(self, name: str, index: s.IndexSpec) -> None:
        keys = tuple(
            IndexKey(column=k) if isinstance(k, str) else _index_key(k) for k in index.columns
        )
        for i, key in enumerate(keys):
            if (key.column is None) == (key.expression is None):
                self.p.problem((*self.path, "indexes", name, "columns", i), f"index {name}",
                               "an index key needs exactly one of column or expression")
        obj = Index(
            name=name, table=self.name, keys=keys, unique=index.unique,
            method=index.method.lower(), include=tuple(index.include), where=index.where,
            nulls_not_distinct=index.nulls_not_distinct, comment=index.comment,
        )
        self.p.out.add("relation", obj, name, self.p.loc(*self.path, "indexes", name))
        self.p.out.suppress("relation", name, index.lint, self.p.doc,
                            (*self.path, "indexes", name))

    def _trigger(self, name: str, trig: s.TriggerSpec) -> None:
        obj = make_trigger(self.name, name, trig)
        self.p.out.add("trigger", obj, f"{self.name}.{name}",
                       self.p.loc(*self.path, "triggers", name))
        self.p.out.suppress("trigger", f"{self.name}.{name}", trig.lint, self.p.doc,
                            (*self.path, "triggers", name))


def _index_key(spec: s.IndexKeySpec) -> IndexKey:
    """Return an index key with defaults left out (ASC; NULLS LAST ascending, FIRST desc)."""
    data = spec.model_dump()
    if data["order"] == "asc":
        data["order"] = None
    default_nulls = "first" if data["order"] == "desc" else "last"
    if data["nulls"] == default_nulls:
        data["nulls"] = None
    return IndexKey(**data)


def make_trigger(table: str, name: str, trig: s.TriggerSpec | s.TriggerTemplateSpec) -> Trigger:
    """Build a Trigger from a table's trigger entry or from a trigger template."""
    from ..model.trigger import EVENT_ORDER

    events = tuple(e for e in EVENT_ORDER if e in trig.events)
    update_of = tuple(getattr(trig, "update_of", ()))
    comment = getattr(trig, "comment", None)
    return Trigger(
        table=table, name=name, timing=trig.timing, events=events, update_of=update_of,
        level=trig.level, when=trig.when, function=parse_qualname(trig.function),
        arguments=tuple(trig.arguments), comment=comment,
    )
