"""Roles and memberships: CREATE ROLE when missing, ALTER ROLE, GRANT/REVOKE membership.

Roles are never dropped: one that leaves the definitions stays (it may own objects or
hold privileges in other databases of the cluster) and is reported as unmanaged.
"""

from __future__ import annotations

from ..compile.security import (
    alter_role_sql,
    create_role_sql,
    grant_membership_sql,
    revoke_membership_sql,
    role_comment_sql,
)
from ..diff import Add, Alter, Drop, diff_collection
from ..ident import quote_ident
from ..model.role import Membership, Role
from ..model.security import TargetSecurity
from .step import Hazard, Step

AUTH = (Hazard.CHANGES_AUTHORIZATION,)


def _role_steps(old: Role | None, new: Role) -> list[Step]:
    steps = []
    if old is None:
        steps.append(Step(create_role_sql(new), "role", new.name, "create", AUTH))
    elif (sql := alter_role_sql(old, new)) is not None:
        steps.append(Step(sql, "role", new.name, "alter", AUTH))
    if new.comment != (old.comment if old else None):
        steps.append(Step(role_comment_sql(new), "role", new.name, "comment", order=1))
    return steps


def _membership_steps(old: Membership | None, new: Membership | None) -> list[Step]:
    m = new or old
    assert m is not None
    key = f"{m.role} to {m.member}"
    if new is None:
        return [Step(revoke_membership_sql(m), "membership", key, "revoke", AUTH)]
    if old is None or new.admin_option:
        return [Step(grant_membership_sql(new), "membership", key, "grant", AUTH)]
    sql = f"REVOKE ADMIN OPTION FOR {quote_ident(m.role)} FROM {quote_ident(m.member)}"
    return [Step(sql, "membership", key, "revoke", AUTH)]


def plan_roles(live: TargetSecurity, desired: TargetSecurity) -> list[Step]:
    """Return the steps that make the target's roles and memberships as declared."""
    steps: list[Step] = []
    for ch in diff_collection("roles", live.roles, desired.roles):
        if isinstance(ch, Add | Alter):
            old = ch.old if isinstance(ch, Alter) else None
            assert isinstance(ch.new, Role) and (old is None or isinstance(old, Role))
            steps += _role_steps(old, ch.new)
    for ch in diff_collection("memberships", live.memberships, desired.memberships):
        old = ch.old if isinstance(ch, Alter | Drop) else None
        new = ch.new if isinstance(ch, Add | Alter) else None
        assert old is None or isinstance(old, Membership)
        assert new is None or isinstance(new, Membership)
        steps += _membership_steps(old, new)
    return steps
