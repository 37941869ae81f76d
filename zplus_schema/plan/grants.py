"""Object privileges: GRANT what is declared and missing, REVOKE what is extra."""

from __future__ import annotations

from ..compile.context import Target
from ..compile.security import default_privilege_statements, grant_statements
from ..diff import Add, Alter, Drop, diff_collection
from ..model import SchemaModel
from ..model.grant import PUBLIC, DefaultPrivilege, Grant
from .step import Hazard, Step

AUTH = (Hazard.CHANGES_AUTHORIZATION,)


def _still_there(g: Grant, desired: SchemaModel) -> bool:
    """Return True when the object outlives the plan; a dropped one takes its ACL along."""
    if g.object_type in ("schema", "function", "sequence"):
        names = {f.signature for f in desired.functions} | {s.name for s in desired.sequences}
        return g.object_type == "schema" or g.name in names
    table = desired.table(g.name)
    if table is None:
        views = {v.name for v in desired.views} | {m.name for m in desired.materialized_views}
        return g.name in views
    return g.column is None or table.column(g.column) is not None


def _steps(grants: list[Grant], target: Target, action: str,
           default_acl: frozenset[str] = frozenset(), **kw: bool) -> list[Step]:
    out = []
    for st in grant_statements(grants, target, revoke=action == "revoke", **kw):
        # The statement key starts with the object type, name and grantee it is about.
        object_type, name, grantee = st.key.split("\x00")[:3]
        kind = "table" if object_type == "column" else object_type
        what = f"{kind} {name or '(schema)'} to {grantee}"
        if kind == "function" and grantee == PUBLIC and name in default_acl:
            what += " (PostgreSQL's default)"  # not a GRANT someone ran: no ACL of its own
        out.append(Step(st.sql, "grant", what, action, AUTH))
    return out


def _regrant_columns(revoked: list[Grant], desired: tuple[Grant, ...],
                     adding: list[Grant]) -> list[Grant]:
    """Return the desired column grants a table-level REVOKE takes away with it.

    PostgreSQL's REVOKE of a table privilege also revokes that privilege on every column,
    so the declared column grants of the same privilege and grantee are granted again.
    """
    hit = {(g.name, g.grantee, g.privilege) for g in revoked if g.object_type == "table"}
    have = {g.key for g in adding}
    return [g for g in desired if g.object_type == "column" and g.key not in have
            and (g.name, g.grantee, g.privilege) in hit]


def plan_grants(live: tuple[Grant, ...], desired: tuple[Grant, ...], target: Target,
                model: SchemaModel, default_acl: frozenset[str] = frozenset()) -> list[Step]:
    """Return GRANT / REVOKE steps turning the live grants into the desired ones.

    `default_acl`: functions whose PUBLIC EXECUTE is PostgreSQL's default (for the label).
    """
    add: list[Grant] = []
    revoke: list[Grant] = []
    give_option: list[Grant] = []
    take_option: list[Grant] = []
    for ch in diff_collection("grants", live, desired):
        if isinstance(ch, Add):
            assert isinstance(ch.new, Grant)
            add.append(ch.new)
        elif isinstance(ch, Drop):
            assert isinstance(ch.old, Grant)
            if _still_there(ch.old, model):
                revoke.append(ch.old)
        elif isinstance(ch, Alter):
            assert isinstance(ch.new, Grant)
            (give_option if ch.new.grant_option else take_option).append(ch.new)
    add += _regrant_columns(revoke, desired, add)
    return (_steps(revoke, target, "revoke", default_acl) + _steps(take_option, target, "revoke",
                                                      option_only=True)
            + _steps(add + give_option, target, "grant"))


def plan_default_privileges(live: tuple[DefaultPrivilege, ...],
                            desired: tuple[DefaultPrivilege, ...],
                            target: Target) -> list[Step]:
    """Return ALTER DEFAULT PRIVILEGES steps turning the live defaults into the desired."""
    add: list[DefaultPrivilege] = []
    revoke: list[DefaultPrivilege] = []
    for ch in diff_collection("default_privileges", live, desired):
        if isinstance(ch, Drop | Alter):
            assert isinstance(ch.old, DefaultPrivilege)
            revoke.append(ch.old)  # a changed grant option: revoke, then grant as declared
        if isinstance(ch, Add | Alter):
            assert isinstance(ch.new, DefaultPrivilege)
            add.append(ch.new)
    steps = []
    for action, items in (("revoke", revoke), ("grant", add)):
        for st in default_privilege_statements(items, target, revoke=action == "revoke"):
            kind, grantee = st.key.split("\x00")
            steps.append(Step(st.sql, "default privileges", f"{kind} to {grantee}", action,
                              AUTH))
    return steps
