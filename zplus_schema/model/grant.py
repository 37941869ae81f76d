"""Object privileges, one row per (object, column, grantee, privilege), as aclexplode says."""

from __future__ import annotations

from typing import Literal

from .base import Node

ObjectType = Literal["schema", "table", "column", "sequence", "function"]

# What PostgreSQL accepts per object type (lower case, in its own order).
PRIVILEGES: dict[str, tuple[str, ...]] = {
    "schema": ("usage", "create"),
    "table": ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    "column": ("select", "insert", "update", "references"),
    "sequence": ("usage", "select", "update"),
    "function": ("execute",),
}
PUBLIC = "public"  # the pseudo-role every role belongs to


class Grant(Node):
    """One privilege on one object (schema-relative name) held by one grantee.

    `name` is "" for the schema itself, `table` for a table or sequence, the identity
    signature `f(integer, text)` for a function; `column` is set for a column privilege.
    """

    object_type: ObjectType
    name: str
    column: str | None = None
    grantee: str
    privilege: str
    grant_option: bool = False

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Return what identifies the privilege; the grant option is its value."""
        return (self.object_type, self.name, self.column or "", self.grantee, self.privilege)


DefaultKind = Literal["tables", "sequences", "functions"]
DEFAULT_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "tables": PRIVILEGES["table"], "sequences": PRIVILEGES["sequence"],
    "functions": PRIVILEGES["function"],
}


class DefaultPrivilege(Node):
    """ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT privilege ON kind TO grantee.

    For objects the migrating role creates later in the target schema: they get the
    privilege as they are created, even outside the tool.
    """

    object_type: DefaultKind
    grantee: str
    privilege: str
    grant_option: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        """Return (kind, grantee, privilege); the grant option is its value."""
        return (self.object_type, self.grantee, self.privilege)
