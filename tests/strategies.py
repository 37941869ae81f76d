"""Hypothesis strategies: random schemas A and a B derived from A by random mutations.

A schema is first drawn as a small *spec* (plain mutable dataclasses that remember which
columns each object stands on), so a mutation can change or drop something and `repair`
then adapts everything that referenced it: a dropped or retyped column takes its checks,
indexes, foreign keys and view columns along, exactly as a person editing the YAML would
have to. The spec becomes a `SchemaModel` with `to_model`; the tests compile that.

Every generated schema is valid SQL on PostgreSQL >= 14: identifiers are unique per schema
(relations share one namespace: tables, views, indexes and the indexes behind primary keys
and unique constraints), foreign key columns have exactly the referenced key's types,
defaults and check/partial-index predicates match their column's type, views read only
columns that exist, and WHEN / UPDATE OF of triggers name existing columns.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from zplus_schema.ident import quote_ident
from zplus_schema.model import (
    Argument,
    Check,
    Column,
    ForeignKey,
    Function,
    Index,
    IndexKey,
    PrimaryKey,
    QualName,
    SchemaModel,
    Table,
    Trigger,
    Unique,
    View,
)

Draw = Callable[[st.SearchStrategy[Any]], Any]

# ---------------------------------------------------------------------------------------------
# Types, defaults, predicates
# ---------------------------------------------------------------------------------------------

FIXED_TYPES = ("integer", "text", "bigint", "boolean", "timestamptz", "date", "jsonb", "uuid",
               "text[]")
STRING_KINDS = ("text", "varchar")
NUMBER_KINDS = ("integer", "bigint", "numeric")


def kind_of(type_: str) -> str:
    """Return the type's family: `varchar(12)` -> varchar, `numeric(8,2)` -> numeric."""
    return type_.split("(", 1)[0]


def _varchar(n: int) -> str:
    return f"varchar({n})"


@st.composite
def _numeric(draw: Draw) -> str:
    precision = draw(st.integers(2, 12))
    scale = draw(st.integers(0, min(precision - 1, 4)))  # at least one digit before the point
    return f"numeric({precision},{scale})"


def sql_types() -> st.SearchStrategy[str]:
    """Return column types; shrinks towards `integer`."""
    return st.one_of(st.sampled_from(FIXED_TYPES), st.integers(1, 40).map(_varchar), _numeric())


def retypes(old: str) -> st.SearchStrategy[str]:
    """Return the types a column of type `old` can be altered to with `USING col::new`."""
    options: list[st.SearchStrategy[str]] = [
        st.sampled_from([t for t in FIXED_TYPES if cast_possible(old, t)]),
        st.integers(1, 40).map(_varchar).filter(lambda t: t != old)]
    if kind_of(old) in (*NUMBER_KINDS, *STRING_KINDS):
        options.append(_numeric().filter(lambda t: t != old))
    return st.one_of(options)


def _numeric_scale(type_: str) -> int:
    return int(type_.rstrip(")").split(",")[1])


def defaults_for(type_: str) -> list[str]:
    """Return constant (or now()-like) defaults of exactly this type."""
    kind = kind_of(type_)
    if kind in ("integer", "bigint"):
        return ["0", "1", "-1", "42"]
    if kind == "numeric":
        return ["0", "1", "-2"] + (["0.5"] if _numeric_scale(type_) >= 1 else [])
    if kind == "text":
        return ["''", "'x'", "'hello world'"]
    if kind == "varchar":
        return ["''", "'a'"]
    return {
        "boolean": ["true", "false"],
        "timestamptz": ["now()", "CURRENT_TIMESTAMP", "'2020-01-01 00:00:00+00'"],
        "date": ["CURRENT_DATE", "'2020-01-01'"],
        "jsonb": ["'{}'", "'[]'", """'{"a": 1}'"""],
        "uuid": ["'00000000-0000-0000-0000-000000000000'", "gen_random_uuid()"],
        "text[]": ["'{}'", "ARRAY['a', 'b']"],
    }[kind]


# Check templates (also used as partial index predicates): name -> (kinds, SQL with {0}, {1}).
# `None` kinds means any type. `in` on varchar is the classic non-fixed-point deparse.
PREDICATES: dict[str, tuple[tuple[str, ...] | None, str]] = {
    "not_null": (None, "{0} IS NOT NULL"),
    "positive": (NUMBER_KINDS, "{0} > 0"),
    "not_13": (NUMBER_KINDS, "{0} <> 13"),
    "short": (STRING_KINDS, "length({0}) < 100"),
    "nonempty": (STRING_KINDS, "{0} <> ''"),
    "in_list": (STRING_KINDS, "{0} IN ('a', 'b')"),
    "not_false": (("boolean",), "{0} <> false"),
    "recent": (("timestamptz",), "{0} > '2000-01-01 00:00:00+00'"),
    "after_2000": (("date",), "{0} >= '2000-01-01'"),
    "object": (("jsonb",), "jsonb_typeof({0}) = 'object'"),
    "not_nil": (("uuid",), "{0} <> '00000000-0000-0000-0000-000000000000'"),
    "few": (("text[]",), "cardinality({0}) < 10"),
    "some": (None, "num_nonnulls({0}, {1}) >= 1"),  # the one two-column predicate
}


def predicate_fits(name: str, types: list[str]) -> bool:
    """Return True when the predicate applies to columns of these types."""
    kinds, text = PREDICATES[name]
    arity = 2 if "{1}" in text else 1
    return len(types) == arity and (kinds is None or all(kind_of(t) in kinds for t in types))


def render_predicate(name: str, cols: tuple[str, ...]) -> str:
    """Return the predicate's SQL over the given columns."""
    return PREDICATES[name][1].format(*(quote_ident(c) for c in cols))


# Index key expressions over one column: name -> (kinds, SQL with {0}).
EXPRESSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "lower": (STRING_KINDS, "lower({0})"),
    "length": (STRING_KINDS, "length({0})"),
    "abs": (NUMBER_KINDS, "abs({0})"),
    "plus_one": (("integer", "bigint"), "{0} + 1"),
    "field": (("jsonb",), "{0} -> 'a'"),
}


def expressions_for(type_: str) -> list[str]:
    """Return the names of the index expressions that apply to a column of this type."""
    return [name for name, (kinds, _) in EXPRESSIONS.items() if kind_of(type_) in kinds]


def cast_possible(old: str, new: str) -> bool:
    """Return True when `col::new` exists for a column of type old (what ALTER TYPE uses)."""
    o, n = kind_of(old), kind_of(new)
    if old == new:
        return False
    if o in STRING_KINDS or n in STRING_KINDS:
        return True  # I/O conversion casts to and from string types
    pairs = {("date", "timestamptz"), ("timestamptz", "date"), ("integer", "boolean"),
             ("boolean", "integer")}
    return (o in NUMBER_KINDS and n in NUMBER_KINDS) or (o, n) in pairs


# SQL function bodies per argument type: (expression over the argument, return type).
FUNCTION_BODIES: dict[str, list[tuple[str, str]]] = {
    "integer": [("{a} + 1", "integer"), ("{a} * 2", "integer"), ("{a} > 0", "boolean"),
                ("{a}::text", "text")],
    "bigint": [("{a} + 1", "bigint"), ("{a} - 1", "bigint"), ("{a} > 0", "boolean")],
    "text": [("{a} || '!'", "text"), ("length({a})", "integer"), ("upper({a})", "text")],
    "numeric": [("round({a}, 1)", "numeric"), ("{a} * 2", "numeric")],
}
BODY_LAYOUTS = ("SELECT {e}", "\nSELECT {e}\n", "SELECT {e};")
TRIGGER_BODIES = (
    "BEGIN RETURN NEW; END;",
    "\nBEGIN\n    RETURN NEW;\nEND;\n",
    "BEGIN IF NEW IS NULL THEN RETURN NULL; END IF; RETURN NEW; END;",
)
TRIGGER_EVENTS = (("insert", "update"), ("insert",), ("update",), ("insert", "update", "delete"),
                  ("delete",))
FK_ACTIONS = ("no action", "cascade", "restrict", "set null")
COMMENTS = ("note", "it's quoted", "two\nlines")

# ---------------------------------------------------------------------------------------------
# The spec
# ---------------------------------------------------------------------------------------------


@dataclass
class ColSpec:
    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    comment: str | None = None


@dataclass
class KeySpec:
    """A primary key or unique constraint (its name is also its index's name)."""

    name: str
    cols: tuple[str, ...]
    deferrable: bool = False  # a foreign key cannot reference a deferrable key
    comment: str | None = None


@dataclass
class CheckSpec:
    name: str
    predicate: str
    cols: tuple[str, ...]
    comment: str | None = None


@dataclass
class FkSpec:
    name: str
    cols: tuple[str, ...]
    ref_table: str
    ref_cols: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    deferrable: bool = False
    initially_deferred: bool = False
    comment: str | None = None


@dataclass
class TableSpec:
    name: str
    columns: list[ColSpec] = field(default_factory=list)
    pk: KeySpec | None = None
    uniques: list[KeySpec] = field(default_factory=list)
    checks: list[CheckSpec] = field(default_factory=list)
    fks: list[FkSpec] = field(default_factory=list)
    comment: str | None = None

    def col(self, name: str) -> ColSpec | None:
        return next((c for c in self.columns if c.name == name), None)

    def types(self, cols: tuple[str, ...]) -> list[str] | None:
        """Return the types of these columns, or None when one is missing."""
        found = [self.col(c) for c in cols]
        return None if any(c is None for c in found) else [c.type for c in found if c]

    def key_constraints(self) -> list[KeySpec]:
        return ([self.pk] if self.pk else []) + self.uniques


@dataclass
class IdxKey:
    """One index key: a column, or an EXPRESSIONS entry over a column."""

    col: str
    desc: bool = False
    nulls: bool = False  # NULLS FIRST/LAST other than the default of the order
    expression: str | None = None


@dataclass
class IndexSpec:
    name: str
    table: str
    keys: tuple[IdxKey, ...]
    unique: bool = False
    where: tuple[str, tuple[str, ...]] | None = None  # (predicate, columns)
    include: tuple[str, ...] = ()
    comment: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Return every column the index reads (keys, expressions and INCLUDE)."""
        return (*(k.col for k in self.keys), *self.include)


@dataclass
class ViewSpec:
    name: str
    source: str  # a table or an earlier view
    cols: tuple[str, ...]
    where: str | None = None  # `col IS NOT NULL`
    comment: str | None = None


@dataclass
class FunctionSpec:
    name: str
    arg_type: str
    arg_name: str | None
    body: int  # index into FUNCTION_BODIES[arg_type]
    layout: int
    volatility: str = "volatile"
    strict: bool = False
    comment: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.arg_type)


@dataclass
class TriggerFnSpec:
    name: str
    body: int
    comment: str | None = None


@dataclass
class TriggerSpec:
    name: str
    table: str
    function: str
    timing: str
    events: tuple[str, ...]
    update_of: tuple[str, ...] = ()
    when: str | None = None  # WHEN (NEW.col IS NOT NULL)
    comment: str | None = None


@dataclass
class SchemaSpec:
    tables: list[TableSpec] = field(default_factory=list)
    indexes: list[IndexSpec] = field(default_factory=list)
    views: list[ViewSpec] = field(default_factory=list)
    functions: list[FunctionSpec] = field(default_factory=list)
    trigger_functions: list[TriggerFnSpec] = field(default_factory=list)
    triggers: list[TriggerSpec] = field(default_factory=list)
    counter: int = 0
    # Relation names A had that B no longer uses: B may give them to new objects.
    retired: set[str] = field(default_factory=set)
    # (table, column) -> type in A, to know which columns of B were retyped.
    origin: dict[tuple[str, str], str] = field(default_factory=dict)

    def table(self, name: str) -> TableSpec | None:
        return next((t for t in self.tables if t.name == name), None)

    def relation_names(self) -> set[str]:
        names = {t.name for t in self.tables} | {v.name for v in self.views}
        names |= {i.name for i in self.indexes}
        names |= {k.name for t in self.tables for k in t.key_constraints()}
        return names

    def commentable(self) -> list[Any]:
        """Return every object that can carry a comment, in a stable order."""
        found: list[Any] = []
        for t in self.tables:
            found += [t, *t.columns, *t.key_constraints(), *t.checks, *t.fks]
        return [*found, *self.indexes, *self.views, *self.functions, *self.trigger_functions,
                *self.triggers]

    def columns_of(self, relation: str) -> list[ColSpec] | None:
        """Return the columns of a table or a view (a view's carry their source's types)."""
        t = self.table(relation)
        if t is not None:
            return t.columns
        view = next((v for v in self.views if v.name == relation), None)
        if view is None:
            return None
        source = self.columns_of(view.source) or []
        by_name = {c.name: c for c in source}
        return [by_name[c] for c in view.cols if c in by_name]


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def _fresh(draw: Draw, s: SchemaSpec, prefix: str) -> str:
    """Return a new name; now and then one that needs quotes (upper case, a blank)."""
    s.counter += 1
    style = draw(st.integers(0, 9))
    if style == 8:
        return f"{prefix.upper()}{s.counter}"
    if style == 9:
        return f"{prefix} {s.counter}"
    return f"{prefix}{s.counter}"


def relation_name(draw: Draw, s: SchemaSpec, prefix: str) -> str:
    """Return an unused relation name, sometimes one A used for a relation B dropped."""
    free = s.retired - s.relation_names()
    free = sorted(free)
    if free and draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(free))
    return _fresh(draw, s, prefix)


# ---------------------------------------------------------------------------------------------
# Object generators (used to build A and by the `add` mutations)
# ---------------------------------------------------------------------------------------------


def new_column(draw: Draw, s: SchemaSpec, type_: str | None = None) -> ColSpec:
    type_ = type_ or draw(sql_types())
    default = draw(st.none() | st.sampled_from(defaults_for(type_)))
    return ColSpec(_fresh(draw, s, "c"), type_, draw(st.booleans()), default)


def _some_cols(draw: Draw, t: TableSpec, max_size: int) -> tuple[str, ...]:
    names = [c.name for c in t.columns]
    return tuple(draw(st.lists(st.sampled_from(names), min_size=1, max_size=max_size,
                               unique=True)))


def add_key(draw: Draw, s: SchemaSpec, t: TableSpec, primary: bool) -> str | None:
    if not t.columns or (primary and t.pk):
        return None
    key = KeySpec(relation_name(draw, s, "pk" if primary else "u"), _some_cols(draw, t, 2),
                  draw(st.integers(0, 3)) == 0)
    if primary:
        t.pk = key
    else:
        t.uniques.append(key)
    return f"add {'primary key' if primary else 'unique'} {key.name} on {t.name}{key.cols}"


def _draw_predicate(draw: Draw, t: TableSpec) -> tuple[str, tuple[str, ...]] | None:
    options = []
    for name in PREDICATES:
        for a in t.columns:
            if predicate_fits(name, [a.type]):
                options.append((name, (a.name,)))
            for b in t.columns:
                if a.name != b.name and predicate_fits(name, [a.type, b.type]):
                    options.append((name, (a.name, b.name)))
    return draw(st.sampled_from(options)) if options else None


def add_check(draw: Draw, s: SchemaSpec, t: TableSpec) -> str | None:
    pred = _draw_predicate(draw, t)
    if pred is None:
        return None
    check = CheckSpec(_fresh(draw, s, "k"), *pred)
    t.checks.append(check)
    return f"add check {check.name} on {t.name}: {render_predicate(*pred)}"


def add_fk(draw: Draw, s: SchemaSpec, t: TableSpec) -> str | None:
    """Reference a key of some table; reuse columns of the right types or add new ones."""
    targets = [(r, k) for r in s.tables for k in r.key_constraints() if not k.deferrable]
    if not targets:
        return None
    ref, key = draw(st.sampled_from(targets))
    ref_types = ref.types(key.cols)
    assert ref_types is not None
    cols: list[str] = []
    for type_ in ref_types:
        fits = [c.name for c in t.columns if c.type == type_ and c.name not in cols]
        if fits and draw(st.booleans()):
            cols.append(draw(st.sampled_from(fits)))
        else:
            col = new_column(draw, s, type_)
            t.columns.append(col)
            cols.append(col.name)
    on_delete = draw(st.sampled_from(FK_ACTIONS))
    on_update = draw(st.sampled_from(FK_ACTIONS))
    deferrable = draw(st.booleans())
    fk = FkSpec(_fresh(draw, s, "f"), tuple(cols), ref.name, key.cols, on_delete, on_update,
                deferrable, deferrable and draw(st.booleans()))
    t.fks.append(fk)
    return f"add foreign key {fk.name} {t.name}{fk.cols} -> {ref.name}{key.cols}"


def add_table(draw: Draw, s: SchemaSpec) -> str:
    t = TableSpec(relation_name(draw, s, "t"))
    s.tables.append(t)
    for _ in range(draw(st.integers(1, 4))):
        t.columns.append(new_column(draw, s))
    if draw(st.booleans()):
        add_key(draw, s, t, primary=True)
    for _ in range(draw(st.integers(0, 1))):
        add_key(draw, s, t, primary=False)
    for _ in range(draw(st.integers(0, 2))):
        add_check(draw, s, t)
    if draw(st.booleans()):
        add_fk(draw, s, t)
    return f"add table {t.name}"


def add_index(draw: Draw, s: SchemaSpec) -> str | None:
    tables = [t for t in s.tables if t.columns]
    if not tables:
        return None
    t = draw(st.sampled_from(tables))
    keys = []
    for name in _some_cols(draw, t, 3):
        col = t.col(name)
        assert col is not None
        expression = draw(st.none() | st.sampled_from(expressions_for(col.type))) if (
            expressions_for(col.type) and draw(st.integers(0, 3)) == 0) else None
        keys.append(IdxKey(name, draw(st.booleans()), draw(st.integers(0, 3)) == 0, expression))
    where = _draw_predicate(draw, t) if draw(st.booleans()) else None
    rest = [c.name for c in t.columns if c.name not in {k.col for k in keys}]
    include = tuple(draw(st.lists(st.sampled_from(rest), max_size=2, unique=True))) if (
        rest and draw(st.integers(0, 3)) == 0) else ()
    index = IndexSpec(relation_name(draw, s, "i"), t.name, tuple(keys), draw(st.booleans()),
                      where, include)
    s.indexes.append(index)
    return f"add index {index.name} on {t.name}"


def add_view(draw: Draw, s: SchemaSpec) -> str | None:
    sources = [t.name for t in s.tables if t.columns] + [v.name for v in s.views]
    if not sources:
        return None
    source = draw(st.sampled_from(sources))
    cols = [c.name for c in s.columns_of(source) or []]
    chosen = tuple(draw(st.lists(st.sampled_from(cols), min_size=1, max_size=3, unique=True)))
    where = draw(st.none() | st.sampled_from(cols))
    view = ViewSpec(relation_name(draw, s, "v"), source, chosen, where)
    s.views.append(view)
    return f"add view {view.name} on {source}"


def add_function(draw: Draw, s: SchemaSpec) -> str:
    arg_type = draw(st.sampled_from(sorted(FUNCTION_BODIES)))
    names = sorted({f.name for f in s.functions if f.arg_type != arg_type} - {
        f.name for f in s.functions if f.arg_type == arg_type})
    # Sometimes an overload of an existing function name.
    name = draw(st.sampled_from(names)) if names and draw(st.booleans()) else _fresh(
        draw, s, "fn")
    fn = FunctionSpec(name, arg_type, draw(st.none() | st.just("x")),
                      draw(st.integers(0, len(FUNCTION_BODIES[arg_type]) - 1)),
                      draw(st.integers(0, len(BODY_LAYOUTS) - 1)),
                      draw(st.sampled_from(("volatile", "stable", "immutable"))),
                      draw(st.booleans()))
    s.functions.append(fn)
    return f"add function {name}({arg_type})"


def add_trigger_function(draw: Draw, s: SchemaSpec) -> str:
    fn = TriggerFnSpec(_fresh(draw, s, "tf"), draw(st.integers(0, len(TRIGGER_BODIES) - 1)))
    s.trigger_functions.append(fn)
    return f"add trigger function {fn.name}"


def _trigger_shape(draw: Draw, s: SchemaSpec, t: TableSpec) -> dict[str, Any]:
    events = draw(st.sampled_from(TRIGGER_EVENTS))
    cols = [c.name for c in t.columns]
    update_of: tuple[str, ...] = ()
    if "update" in events and cols and draw(st.integers(0, 2)) == 0:
        update_of = tuple(draw(st.lists(st.sampled_from(cols), min_size=1, max_size=2,
                                        unique=True)))
    when = None
    if "delete" not in events and cols and draw(st.integers(0, 2)) == 0:
        when = draw(st.sampled_from(cols))
    return {"timing": draw(st.sampled_from(("before", "after"))), "events": events,
            "update_of": update_of, "when": when}


def add_trigger(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.tables:
        return None
    if not s.trigger_functions:
        add_trigger_function(draw, s)
    t = draw(st.sampled_from(s.tables))
    fn = draw(st.sampled_from([f.name for f in s.trigger_functions]))
    tr = TriggerSpec(_fresh(draw, s, "tr"), t.name, fn, **_trigger_shape(draw, s, t))
    s.triggers.append(tr)
    return f"add trigger {tr.name} on {t.name}"


# ---------------------------------------------------------------------------------------------
# Repair: make a spec valid again after a mutation, the way a user would have to
# ---------------------------------------------------------------------------------------------


def _fk_valid(s: SchemaSpec, t: TableSpec, fk: FkSpec) -> bool:
    ref = s.table(fk.ref_table)
    keys = [k.cols for k in ref.key_constraints() if not k.deferrable] if ref else []
    if ref is None or fk.ref_cols not in keys:
        return False
    return t.types(fk.cols) is not None and t.types(fk.cols) == ref.types(fk.ref_cols)


def _predicate_valid(t: TableSpec, pred: str, cols: tuple[str, ...]) -> bool:
    types = t.types(cols)
    return types is not None and predicate_fits(pred, types)


def repair(s: SchemaSpec) -> None:
    """Drop or adapt everything that references what is gone or no longer fits."""
    for t in s.tables:
        if t.pk and t.types(t.pk.cols) is None:
            t.pk = None
        t.uniques = [u for u in t.uniques if t.types(u.cols) is not None]
        t.checks = [k for k in t.checks if _predicate_valid(t, k.predicate, k.cols)]
    for t in s.tables:
        t.fks = [fk for fk in t.fks if _fk_valid(s, t, fk)]
    kept_indexes = []
    for i in s.indexes:
        t = s.table(i.table)
        types = t.types(tuple(k.col for k in i.keys)) if t else None
        if t is None or types is None or any(
                k.expression and k.expression not in expressions_for(type_)
                for k, type_ in zip(i.keys, types, strict=True)):
            continue
        if i.where and not _predicate_valid(t, *i.where):
            i.where = None
        i.include = tuple(c for c in i.include if t.col(c))
        kept_indexes.append(i)
    s.indexes = kept_indexes
    views, s.views = s.views, []
    for v in views:  # in creation order: a view reads a table or an earlier (kept) view
        names = [c.name for c in s.columns_of(v.source) or []]
        v.cols = tuple(c for c in v.cols if c in names)
        if v.where not in names:
            v.where = None
        if v.cols:
            s.views.append(v)
    functions = {f.name for f in s.trigger_functions}
    kept_triggers = []
    for tr in s.triggers:
        t = s.table(tr.table)
        if t is None or tr.function not in functions:
            continue
        names = [c.name for c in t.columns]
        if "update" not in tr.events or not all(c in names for c in tr.update_of):
            tr.update_of = ()
        if tr.when not in names or "delete" in tr.events:
            tr.when = None
        kept_triggers.append(tr)
    s.triggers = kept_triggers


# ---------------------------------------------------------------------------------------------
# Mutations: each changes one thing in B (or returns None when it does not apply)
# ---------------------------------------------------------------------------------------------


def _pick_table(draw: Draw, s: SchemaSpec, with_columns: bool = False) -> TableSpec | None:
    tables = [t for t in s.tables if t.columns or not with_columns]
    return draw(st.sampled_from(tables)) if tables else None


def m_add_column(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s)
    if t is None:
        return None
    col = new_column(draw, s)
    t.columns.append(col)
    return f"add column {t.name}.{col.name} {col.type}"


def m_drop_column(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    col = draw(st.sampled_from(t.columns))
    t.columns.remove(col)
    return f"drop column {t.name}.{col.name}"


def m_alter_type(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    col = draw(st.sampled_from(t.columns))
    # The plan casts from A's type straight to B's: after several retypes of one column,
    # the last type must still be reachable from the first.
    base = s.origin.get((t.name, col.name), col.type)
    new = draw(retypes(base))
    old = col.type
    col.type = new
    col.default = draw(st.none() | st.sampled_from(defaults_for(new)))
    text = f"alter column {t.name}.{col.name} type {old} -> {new}"
    # Foreign keys on a retyped key column: retype their columns too, or let repair drop them.
    if draw(st.booleans()):
        for other in s.tables:
            for fk in other.fks:
                if fk.ref_table == t.name and col.name in fk.ref_cols:
                    mine = fk.cols[fk.ref_cols.index(col.name)]
                    target = other.col(mine)
                    target_base = s.origin.get((other.name, mine), old)
                    if target is not None and target.type == old and (
                            target_base == new or cast_possible(target_base, new)):
                        target.type = new
                        target.default = None
                        text += f" (and {other.name}.{mine})"
    return text


def m_alter_nullable(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    col = draw(st.sampled_from(t.columns))
    col.nullable = not col.nullable
    return f"alter column {t.name}.{col.name} {'DROP' if col.nullable else 'SET'} NOT NULL"


def m_alter_default(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    col = draw(st.sampled_from(t.columns))
    col.default = draw(st.none() | st.sampled_from(defaults_for(col.type)))
    return f"alter column {t.name}.{col.name} default {col.default}"


def m_drop_table(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s)
    if t is None:
        return None
    s.tables.remove(t)
    return f"drop table {t.name}"


def m_add_table(draw: Draw, s: SchemaSpec) -> str:
    return add_table(draw, s)


def m_primary_key(draw: Draw, s: SchemaSpec) -> str | None:
    """Add, drop or replace (same or new name, other columns) a primary key."""
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    if t.pk is None:
        return add_key(draw, s, t, primary=True)
    old, t.pk = t.pk, None
    if draw(st.booleans()):
        return f"drop primary key {old.name} of {t.name}"
    t.pk = KeySpec(old.name if draw(st.booleans()) else relation_name(draw, s, "pk"),
                   _some_cols(draw, t, 2), draw(st.booleans()))
    return f"replace primary key {old.name}{old.cols} of {t.name} by {t.pk.name}{t.pk.cols}"


def m_unique(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    if not t.uniques or draw(st.booleans()):
        return add_key(draw, s, t, primary=False)
    u = draw(st.sampled_from(t.uniques))
    t.uniques.remove(u)
    if draw(st.booleans()):
        return f"drop unique {u.name} of {t.name}"
    cols = _some_cols(draw, t, 2)
    t.uniques.append(KeySpec(u.name, cols, draw(st.booleans())))
    return f"change unique {u.name} of {t.name} to {t.uniques[-1].cols}"


def m_check(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s, with_columns=True)
    if t is None:
        return None
    if not t.checks or draw(st.booleans()):
        return add_check(draw, s, t)
    k = draw(st.sampled_from(t.checks))
    t.checks.remove(k)
    pred = _draw_predicate(draw, t)
    if draw(st.booleans()) or pred is None:
        return f"drop check {k.name} of {t.name}"
    t.checks.append(CheckSpec(k.name, *pred))
    return f"change check {k.name} of {t.name} to {render_predicate(*pred)}"


def m_foreign_key(draw: Draw, s: SchemaSpec) -> str | None:
    t = _pick_table(draw, s)
    if t is None:
        return None
    if not t.fks or draw(st.booleans()):
        return add_fk(draw, s, t)
    fk = draw(st.sampled_from(t.fks))
    if draw(st.booleans()):
        t.fks.remove(fk)
        return f"drop foreign key {fk.name} of {t.name}"
    fk.on_delete = draw(st.sampled_from(FK_ACTIONS))
    fk.deferrable = draw(st.booleans())
    fk.initially_deferred = fk.deferrable and draw(st.booleans())
    return f"change foreign key {fk.name} of {t.name}: on delete {fk.on_delete}, deferrable"


def m_index(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.indexes or draw(st.booleans()):
        return add_index(draw, s)
    i = draw(st.sampled_from(s.indexes))
    choice = draw(st.integers(0, 3))
    if choice == 0:
        s.indexes.remove(i)
        return f"drop index {i.name}"
    if choice == 1:
        i.unique = not i.unique
        return f"index {i.name}: unique {i.unique}"
    if choice == 2:
        i.keys = tuple(IdxKey(k.col, not k.desc, k.nulls, k.expression) for k in i.keys)
        return f"index {i.name}: flip key order"
    t = s.table(i.table)
    assert t is not None
    i.where = None if i.where else _draw_predicate(draw, t)
    return f"index {i.name}: where {i.where}"


def m_view(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.views or draw(st.booleans()):
        return add_view(draw, s)
    v = draw(st.sampled_from(s.views))
    if draw(st.booleans()):
        s.views.remove(v)
        return f"drop view {v.name}"
    cols = [c.name for c in s.columns_of(v.source) or []]
    v.cols = tuple(draw(st.lists(st.sampled_from(cols), min_size=1, max_size=3, unique=True)))
    v.where = draw(st.none() | st.sampled_from(cols))
    return f"change view {v.name} to {v.cols} where {v.where}"


def m_function(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.functions or draw(st.booleans()):
        return add_function(draw, s)
    fn = draw(st.sampled_from(s.functions))
    choice = draw(st.integers(0, 4))
    if choice == 0:
        s.functions.remove(fn)
        return f"drop function {fn.name}({fn.arg_type})"
    if choice == 1:
        fn.body = draw(st.integers(0, len(FUNCTION_BODIES[fn.arg_type]) - 1))
        fn.layout = draw(st.integers(0, len(BODY_LAYOUTS) - 1))
        return f"function {fn.name}({fn.arg_type}): body {fn.body}"
    if choice == 2:
        fn.volatility = draw(st.sampled_from(("volatile", "stable", "immutable")))
        fn.strict = draw(st.booleans())
        return f"function {fn.name}({fn.arg_type}): {fn.volatility}, strict {fn.strict}"
    if choice == 3:
        fn.arg_name = None if fn.arg_name else "x"
        return f"function {fn.name}({fn.arg_type}): argument name {fn.arg_name}"
    others = [a for a in sorted(FUNCTION_BODIES)
              if (fn.name, a) not in {f.key for f in s.functions}]
    if not others:
        return None
    old = fn.arg_type
    fn.arg_type = draw(st.sampled_from(others))
    fn.body = 0
    return f"function {fn.name}: argument type {old} -> {fn.arg_type}"


def m_trigger_function(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.trigger_functions or draw(st.booleans()):
        return add_trigger_function(draw, s)
    fn = draw(st.sampled_from(s.trigger_functions))
    if draw(st.booleans()):
        s.trigger_functions.remove(fn)
        return f"drop trigger function {fn.name}"
    fn.body = draw(st.integers(0, len(TRIGGER_BODIES) - 1))
    return f"trigger function {fn.name}: body {fn.body}"


def m_trigger(draw: Draw, s: SchemaSpec) -> str | None:
    if not s.triggers or draw(st.booleans()):
        return add_trigger(draw, s)
    tr = draw(st.sampled_from(s.triggers))
    if draw(st.booleans()):
        s.triggers.remove(tr)
        return f"drop trigger {tr.name} on {tr.table}"
    t = s.table(tr.table)
    assert t is not None
    for key, value in _trigger_shape(draw, s, t).items():
        setattr(tr, key, value)
    tr.function = draw(st.sampled_from([f.name for f in s.trigger_functions]))
    return f"change trigger {tr.name} on {tr.table}"


def m_comment(draw: Draw, s: SchemaSpec) -> str | None:
    """Set, change or remove the comment of any object."""
    objects = s.commentable()
    if not objects:
        return None
    obj = draw(st.sampled_from(objects))
    obj.comment = draw(st.sampled_from([c for c in (None, *COMMENTS) if c != obj.comment]))
    return f"comment on {type(obj).__name__.removesuffix('Spec')} {obj.name}: {obj.comment!r}"


MUTATIONS: dict[str, Callable[[Draw, SchemaSpec], str | None]] = {
    "add column": m_add_column,
    "drop column": m_drop_column,
    "alter type": m_alter_type,
    "alter nullable": m_alter_nullable,
    "alter default": m_alter_default,
    "add table": m_add_table,
    "drop table": m_drop_table,
    "primary key": m_primary_key,
    "unique": m_unique,
    "check": m_check,
    "foreign key": m_foreign_key,
    "index": m_index,
    "view": m_view,
    "function": m_function,
    "trigger function": m_trigger_function,
    "trigger": m_trigger,
    "comment": m_comment,
}


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------


@st.composite
def schema_specs(draw: Draw) -> SchemaSpec:
    """Return a random schema: 1-4 tables, indexes, views, functions, triggers."""
    s = SchemaSpec()
    for _ in range(draw(st.integers(1, 4))):
        add_table(draw, s)
    for _ in range(draw(st.integers(0, 3))):
        add_index(draw, s)
    for _ in range(draw(st.integers(0, 2))):
        add_view(draw, s)
    for _ in range(draw(st.integers(0, 2))):
        add_function(draw, s)
    for _ in range(draw(st.integers(0, 2))):
        add_trigger(draw, s)
    repair(s)
    for _ in range(draw(st.integers(0, 3))):
        m_comment(draw, s)
    return s


@dataclass
class SchemaPair:
    """Schema A, schema B derived from it, and what was done to get from A to B."""

    a: SchemaSpec
    b: SchemaSpec
    mutations: list[str]
    kinds: list[str] = field(default_factory=list)  # MUTATIONS keys of the applied changes

    def __repr__(self) -> str:
        # Hypothesis prints this for a falsifying example; the SQL of A and B is in note()s.
        return f"SchemaPair(mutations={self.mutations!r})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))


@st.composite
def schema_pairs(draw: Draw, max_mutations: int = 6) -> SchemaPair:
    """Return (A, B): B is A after 0..max_mutations random changes, repaired to stay valid."""
    a = draw(schema_specs())
    b = copy.deepcopy(a)
    b.retired = a.relation_names()
    b.origin = {(t.name, c.name): c.type for t in a.tables for c in t.columns}
    done: list[str] = []
    kinds: list[str] = []
    for _ in range(draw(st.integers(0, max_mutations))):
        kind = draw(st.sampled_from(list(MUTATIONS)))
        text = MUTATIONS[kind](draw, b)
        repair(b)
        if text is not None:
            done.append(text)
            kinds.append(kind)
    return SchemaPair(a, b, done, kinds)


# ---------------------------------------------------------------------------------------------
# Spec -> model
# ---------------------------------------------------------------------------------------------


def _function_model(fn: FunctionSpec) -> Function:
    expr, returns = FUNCTION_BODIES[fn.arg_type][fn.body]
    arg = quote_ident(fn.arg_name) if fn.arg_name else "$1"
    body = BODY_LAYOUTS[fn.layout].format(e=expr.format(a=arg))
    return Function(name=fn.name, arguments=(Argument(name=fn.arg_name, type=fn.arg_type),),
                    returns=returns, language="sql", body=body,
                    volatility=fn.volatility, strict=fn.strict,  # type: ignore[arg-type]
                    comment=fn.comment)


def to_model(s: SchemaSpec) -> SchemaModel:
    """Return the SchemaModel the spec describes (as a user would write it in YAML)."""
    tables, constraints, indexes, views, functions, triggers = [], [], [], [], [], []
    for t in s.tables:
        tables.append(Table(name=t.name, comment=t.comment, columns=tuple(
            Column(name=c.name, type=c.type, nullable=c.nullable, default=c.default,
                   comment=c.comment)
            for c in t.columns)))
        if t.pk:
            constraints.append(PrimaryKey(table=t.name, name=t.pk.name, columns=t.pk.cols,
                                          deferrable=t.pk.deferrable, comment=t.pk.comment))
        for u in t.uniques:
            constraints.append(Unique(table=t.name, name=u.name, columns=u.cols,
                                      deferrable=u.deferrable, comment=u.comment))
        for k in t.checks:
            constraints.append(Check(table=t.name, name=k.name, comment=k.comment,
                                     expression=render_predicate(k.predicate, k.cols)))
        for fk in t.fks:
            constraints.append(ForeignKey(
                table=t.name, name=fk.name, columns=fk.cols,
                ref_table=QualName(name=fk.ref_table), ref_columns=fk.ref_cols,
                on_delete=fk.on_delete, on_update=fk.on_update,  # type: ignore[arg-type]
                deferrable=fk.deferrable, initially_deferred=fk.initially_deferred,
                comment=fk.comment))
    for i in s.indexes:
        keys = tuple(IndexKey(
            column=None if k.expression else k.col,
            expression=EXPRESSIONS[k.expression][1].format(quote_ident(k.col))
            if k.expression else None,
            order="desc" if k.desc else None,
            nulls=("last" if k.desc else "first") if k.nulls else None) for k in i.keys)
        where = render_predicate(*i.where) if i.where else None
        indexes.append(Index(name=i.name, table=i.table, keys=keys, unique=i.unique,
                             where=where, include=i.include, comment=i.comment))
    for v in s.views:
        query = f"SELECT {', '.join(quote_ident(c) for c in v.cols)} FROM {quote_ident(v.source)}"
        if v.where:
            query += f" WHERE {quote_ident(v.where)} IS NOT NULL"
        views.append(View(name=v.name, query=query, comment=v.comment))
    functions += [_function_model(fn) for fn in s.functions]
    functions += [Function(name=f.name, returns="trigger", language="plpgsql",
                           body=TRIGGER_BODIES[f.body], comment=f.comment)
                  for f in s.trigger_functions]
    for tr in s.triggers:
        triggers.append(Trigger(
            table=tr.table, name=tr.name, timing=tr.timing, events=tr.events,  # type: ignore
            update_of=tr.update_of, function=QualName(name=tr.function), comment=tr.comment,
            when=f"NEW.{quote_ident(tr.when)} IS NOT NULL" if tr.when else None))
    return SchemaModel(tables=tuple(tables), constraints=tuple(constraints),
                       indexes=tuple(indexes), views=tuple(views), functions=tuple(functions),
                       triggers=tuple(triggers))
