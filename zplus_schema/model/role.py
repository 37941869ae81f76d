"""Database roles and role memberships. Roles are cluster-wide, not part of a schema."""

from __future__ import annotations

from .base import Node

# Attributes that lift a role above ordinary privileges: declared only with a reason.
POWERFUL_ATTRIBUTES = ("superuser", "createdb", "createrole", "bypassrls", "replication")


class Role(Node):
    """CREATE ROLE name [LOGIN] [NOINHERIT] [CONNECTION LIMIT n] ...; never a password."""

    name: str
    login: bool = False
    inherit: bool = True
    connection_limit: int = -1
    superuser: bool = False
    createdb: bool = False
    createrole: bool = False
    bypassrls: bool = False
    replication: bool = False
    comment: str | None = None

    @property
    def key(self) -> str:
        """Return the role name, unique in the cluster."""
        return self.name

    @property
    def powers(self) -> tuple[str, ...]:
        """Return the powerful attributes this role has (superuser, bypassrls, ...)."""
        return tuple(a for a in POWERFUL_ATTRIBUTES if getattr(self, a))


class Membership(Node):
    """GRANT role TO member [WITH ADMIN OPTION]."""

    role: str
    member: str
    admin_option: bool = False

    @property
    def key(self) -> tuple[str, str]:
        """Return (role, member): one membership per pair."""
        return (self.role, self.member)
