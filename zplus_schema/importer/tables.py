"""A table as YAML: columns in their short forms, then indexes, triggers and policies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Column, Index, IndexKey, Policy, Table, Trigger
from .constraints import Placed, place_constraints
from .context import ImportContext
from .typenames import short_default, short_type
from .yamlemit import Block, Flow

# The order keys are written in, as the README's examples write them.
_COLUMN_KEYS = ("type", "primary_key", "nullable", "unique", "default", "identity",
                "generated", "collation", "check", "references", "on_delete", "on_update",
                "comment")


def table_spec(table: Table, ctx: ImportContext) -> Block:
    """Return the YAML mapping of one table and everything written under it."""
    placed = place_constraints(table, ctx)
    spec = Block()
    _put(spec, "comment", table.comment)
    _put(spec, "partition_by", table.partition_by)
    _put(spec, "partition_of", table.partition_of)
    _put(spec, "partition_bound", table.partition_bound)
    if table.rls_forced and not table.rls_enabled:
        ctx.note(f"table {table.name}", "row level security is forced but not enabled, "
                 "which the YAML cannot say; imported as not enabled", table.name)
    elif table.rls_enabled:
        spec["row_level_security"] = "forced" if table.rls_forced else "enabled"
    if table.columns:
        in_pk = set(placed.primary_key)
        spec["columns"] = Block(
            ((c.name, column_spec(c, placed.on_column.get(c.name, {}), c.name in in_pk))
             for c in table.columns), align=True)
    _table_constraints(spec, placed)
    _put(spec, "indexes", _aligned(
        (i.name, index_spec(i)) for i in ctx.model.indexes if i.table == table.name))
    _put(spec, "triggers", _aligned(
        (t.name, trigger_spec(t, ctx)) for t in ctx.model.triggers if t.table == table.name))
    _put(spec, "policies", _aligned(
        (p.name, policy_spec(p)) for p in ctx.model.policies if p.table == table.name))
    return spec


def _put(spec: dict[str, Any], key: str, value: Any) -> None:
    """Set `key` unless the value is empty: absent keys take their defaults."""
    if value is not None and value != {} and value != []:
        spec[key] = value


def _aligned(items: Iterable[tuple[str, Any]]) -> Block:
    """Return a block mapping whose one-line entries line their values up."""
    return Block(items, align=True)


def _table_constraints(spec: Block, placed: Placed) -> None:
    _put(spec, "primary_key", placed.primary_key)
    _put(spec, "unique", placed.unique)
    _put(spec, "checks", Block(placed.checks))
    _put(spec, "foreign_keys", placed.foreign_keys)
    _put(spec, "exclusions", Block(placed.exclusions))


def column_spec(col: Column, short: dict[str, Any], in_pk: bool) -> str | Flow:
    """Return a column as `type` alone, or its long form with only non-default keys.

    Key columns are NOT NULL by definition, so `nullable: false` is left out there.
    """
    keys: dict[str, Any] = dict(short)
    keys["type"] = short_type(col.type)
    if not col.nullable and not in_pk and not short.get("primary_key"):
        keys["nullable"] = False
    keys["default"] = yaml_default(short_default(col.default, col.type))
    keys["identity"] = col.identity
    keys["generated"] = col.generated
    keys["collation"] = col.collation
    keys["comment"] = col.comment
    spec = Flow((k, keys[k]) for k in _COLUMN_KEYS if keys.get(k) is not None)
    return spec["type"] if list(spec) == ["type"] else spec


def yaml_default(default: str | None) -> str | int | float | bool | None:
    """Return number and boolean defaults as YAML numbers and booleans, SQL text otherwise.

    Only where the loader turns the value back into exactly this text (3 -> "3",
    0.5 -> "0.5", true -> "true").
    """
    if default is None or default in ("true", "false"):
        return None if default is None else default == "true"
    for kind in (int, float):
        try:
            number = kind(default)
        except ValueError:
            continue
        if str(number) == default:
            return number
    return default


def index_spec(index: Index) -> Flow:
    """Return an index: its keys (plain column names where possible) and its options."""
    spec = Flow(columns=[_index_key(k) for k in index.keys])
    if index.unique:
        spec["unique"] = True
    if index.method != "btree":
        spec["method"] = index.method
    _put(spec, "include", list(index.include))
    _put(spec, "where", index.where)
    if index.nulls_not_distinct:
        spec["nulls_not_distinct"] = True
    _put(spec, "comment", index.comment)
    return spec


def _index_key(key: IndexKey) -> str | Flow:
    data = key.model_dump(exclude_none=True)
    if list(data) == ["column"]:
        return str(data["column"])
    return Flow(data)


def trigger_spec(trigger: Trigger, ctx: ImportContext) -> Flow:
    """Return a trigger with its defaults (row level, no arguments) left out."""
    ctx.check_reach(trigger.function, f"trigger {trigger.name} on {trigger.table}",
                    trigger.table)
    spec = Flow(timing=trigger.timing, events=list(trigger.events))
    _put(spec, "update_of", list(trigger.update_of))
    if trigger.level != "row":
        spec["level"] = trigger.level
    _put(spec, "when", trigger.when)
    spec["function"] = str(trigger.function)
    _put(spec, "arguments", list(trigger.arguments))
    _put(spec, "comment", trigger.comment)
    return spec


def policy_spec(policy: Policy) -> Flow:
    """Return a policy with its defaults (all commands, permissive, public) left out."""
    spec = Flow()
    if policy.command != "all":
        spec["command"] = policy.command
    if not policy.permissive:
        spec["permissive"] = False
    if list(policy.roles) != ["public"]:
        spec["roles"] = list(policy.roles)
    _put(spec, "using", policy.using)
    _put(spec, "with_check", policy.with_check)
    _put(spec, "comment", policy.comment)
    return spec
