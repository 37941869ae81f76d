"""Schema objects other than tables as YAML: functions, types, sequences, views, extensions."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Domain, EnumType, Extension, Function, MaterializedView, Sequence, View
from .context import ImportContext
from .tables import yaml_default
from .typenames import short_default, short_type
from .yamlemit import Block, Flow

# Bounds of the integer types a sequence may have: (min, max).
_BOUNDS = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def functions_spec(functions: Iterable[Function], ctx: ImportContext) -> Block:
    """Return the functions and procedures, one per name.

    The YAML keys functions by name, so of overloads only the first signature is written;
    the others are noted.
    """
    out = Block()
    for fn in functions:
        if fn.name in out:
            ctx.note(f"function {fn.signature}", f"an overload of {fn.name}: the YAML keys "
                     "functions by name, so only the first signature is imported")
            continue
        out[fn.name] = function_spec(fn)
    return out


def function_spec(fn: Function) -> Block:
    """Return one function with its defaults left out and its body last."""
    spec = Block()
    if fn.kind != "function":
        spec["kind"] = fn.kind
    if fn.returns is not None:
        spec["returns"] = short_type(fn.returns)
    spec["language"] = fn.language
    if fn.arguments:
        spec["arguments"] = [_argument(a.name, a.type, a.mode, a.default) for a in fn.arguments]
    if fn.volatility != "volatile":
        spec["volatility"] = fn.volatility
    if fn.strict:
        spec["strict"] = True
    if fn.security_definer:
        spec["security_definer"] = True
    if fn.config:
        spec["set"] = Flow(fn.config)
    if fn.comment is not None:
        spec["comment"] = fn.comment
    spec["body"] = fn.body
    return spec


def _argument(name: str | None, type_: str, mode: str, default: str | None) -> Flow:
    arg = Flow()
    if name:
        arg["name"] = name
    arg["type"] = short_type(type_)
    if mode != "in":
        arg["mode"] = mode
    if default is not None:
        arg["default"] = default
    return arg


def enums_spec(enums: Iterable[EnumType]) -> Block:
    """Return enums as `name: [values]`, or with their comment in long form."""
    out = Block(align=True)
    for enum in enums:
        values = list(enum.values)
        out[enum.name] = values if enum.comment is None else Flow(
            values=values, comment=enum.comment)
    return out


def domains_spec(domains: Iterable[Domain]) -> Block:
    """Return domains with their named checks."""
    out = Block(align=True)
    for dom in domains:
        spec = Flow(type=short_type(dom.type))
        if not dom.nullable:
            spec["nullable"] = False
        default = yaml_default(short_default(dom.default, dom.type))
        if default is not None:
            spec["default"] = default
        if dom.collation is not None:
            spec["collation"] = dom.collation
        if dom.checks:
            spec["checks"] = Flow(dom.checks)
        if dom.comment is not None:
            spec["comment"] = dom.comment
        out[dom.name] = spec
    return out


def sequences_spec(sequences: Iterable[Sequence]) -> Block:
    """Return sequences with every option at PostgreSQL's default left out."""
    return Block(((s.name, sequence_spec(s)) for s in sequences), align=True)


def sequence_spec(seq: Sequence) -> Flow:
    """Return one sequence; its defaults depend on its type and direction."""
    low, high = _BOUNDS.get(seq.type, (None, None))
    ascending = seq.increment > 0
    default_min = 1 if ascending else low
    default_max = high if ascending else -1
    min_value = seq.min_value if seq.min_value is not None else default_min
    max_value = seq.max_value if seq.max_value is not None else default_max
    spec = Flow()
    if seq.type != "bigint":
        spec["type"] = seq.type
    if seq.start is not None and seq.start != (min_value if ascending else max_value):
        spec["start"] = seq.start
    if seq.increment != 1:
        spec["increment"] = seq.increment
    if min_value != default_min:
        spec["min_value"] = min_value
    if max_value != default_max:
        spec["max_value"] = max_value
    if seq.cache != 1:
        spec["cache"] = seq.cache
    if seq.cycle:
        spec["cycle"] = True
    if seq.owned_by is not None:
        spec["owned_by"] = ".".join(seq.owned_by)
    if seq.comment is not None:
        spec["comment"] = seq.comment
    return spec


def _query(text: str) -> str:
    """Return a view's query; a multi-line one ends in a newline so it reads as a `|` block."""
    return text + "\n" if "\n" in text else text


def views_spec(views: Iterable[View]) -> Block:
    """Return views as `name: query`, or in long form with options and comment."""
    out = Block()
    for view in views:
        if not view.options and view.comment is None:
            out[view.name] = _query(view.query)
            continue
        spec = Block(query=_query(view.query))
        if view.options:
            spec["options"] = Flow(view.options)
        if view.comment is not None:
            spec["comment"] = view.comment
        out[view.name] = spec
    return out


def materialized_views_spec(views: Iterable[MaterializedView]) -> Block:
    """Return materialized views as `name: query`, or with their comment."""
    out = Block()
    for view in views:
        out[view.name] = _query(view.query) if view.comment is None else Block(
            query=_query(view.query), comment=view.comment)
    return out


def extensions_spec(extensions: Iterable[Extension]) -> Block:
    """Return extensions without a version: a declaration without one accepts the live one."""
    return Block(((e.name, Flow()) for e in extensions), align=True)
