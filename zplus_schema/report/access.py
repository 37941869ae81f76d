"""Effective access: direct grants plus what members inherit through role membership."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .catalog import MemberRow
from .model import PUBLIC, Access


def inheritors(members: Iterable[MemberRow]) -> dict[str, set[str]]:
    """Return, per role, every role that inherits its privileges (transitively).

    A membership without inheritance (NOINHERIT member, or PostgreSQL 16's INHERIT FALSE
    grant) stops the chain: such members must SET ROLE to use the privileges.
    """
    direct: dict[str, set[str]] = defaultdict(set)
    for m in members:
        if m.inherit:
            direct[m.role].add(m.member)
    closure: dict[str, set[str]] = {}
    for role in list(direct):
        seen: set[str] = set()
        stack = list(direct[role])
        while stack:
            member = stack.pop()
            if member in seen or member == role:
                continue
            seen.add(member)
            stack.extend(direct.get(member, ()))
        closure[role] = seen
    return closure


def expand(grants: Iterable[Access], heirs: dict[str, set[str]]) -> list[Access]:
    """Return the grants plus one inherited Access per member of each grantee, sorted.

    PUBLIC is not expanded: every role has what PUBLIC has, and the report says so once.
    """
    out: set[Access] = set()
    for g in grants:
        out.add(g)
        if g.role == PUBLIC:
            continue
        for member in heirs.get(g.role, ()):
            out.add(Access(member, g.privilege, g.column, g.role, g.grantable))
    return sorted(out, key=Access.sort_key)
