"""Table columns."""

from __future__ import annotations

from typing import Literal

from .base import Node

Identity = Literal["always", "by default"]


class Column(Node):
    """One column; expressions are SQL text as the user (or pg_get_expr) wrote them."""

    name: str
    type: str
    nullable: bool = True
    default: str | None = None
    identity: Identity | None = None
    generated: str | None = None
    collation: str | None = None
    comment: str | None = None
