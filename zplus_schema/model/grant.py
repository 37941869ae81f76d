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
