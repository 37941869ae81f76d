"""Functions, including trigger functions."""

from __future__ import annotations

from typing import Literal

from .base import Node

ArgMode = Literal["in", "out", "inout", "variadic"]
Volatility = Literal["immutable", "stable", "volatile"]


class Argument(Node):
    """One function argument."""

    name: str | None = None
    type: str
    mode: ArgMode = "in"
    default: str | None = None


class Function(Node):
    """CREATE FUNCTION or PROCEDURE; `config` holds SET clauses as sorted (name, value) pairs."""

    name: str
    kind: Literal["function", "procedure"] = "function"
    arguments: tuple[Argument, ...] = ()
    returns: str | None = None  # None for a procedure
    language: str = "sql"
    body: str
    volatility: Volatility = "volatile"
    security_definer: bool = False
    strict: bool = False
    config: tuple[tuple[str, str], ...] = ()
    comment: str | None = None

    @property
    def signature(self) -> str:
        """Return `name(type, ...)` over the input arguments: PostgreSQL's identity."""
        types = [a.type for a in self.arguments if a.mode in ("in", "inout", "variadic")]
        return f"{self.name}({', '.join(types)})"

    @property
    def key(self) -> str:
        """Return the signature: overloads are distinct functions."""
        return self.signature
