"""Row-level security policies."""

from __future__ import annotations

from typing import Literal

from .base import Node

Command = Literal["all", "select", "insert", "update", "delete"]


class Policy(Node):
    """CREATE POLICY name ON table [AS RESTRICTIVE] FOR cmd TO roles USING (..) WITH CHECK (..)."""

    table: str
    name: str
    command: Command = "all"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)  # sorted role names; "public" means every role
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """Return (table, policy name): policy names are per table."""
        return (self.table, self.name)
