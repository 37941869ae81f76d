"""The base of every model object: frozen, strict about unknown fields, keyed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Node(BaseModel):
    """A frozen pydantic model; equality is field equality, so two sources compare directly."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class QualName(Node):
    """A possibly schema-qualified name; `schema_name=None` means the object's own schema."""

    schema_name: str | None = None
    name: str

    def __str__(self) -> str:
        return f"{self.schema_name}.{self.name}" if self.schema_name else self.name
