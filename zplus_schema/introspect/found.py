"""What the readers find: model objects and unmanaged objects, per schema."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Node, QualName


@dataclass(frozen=True)
class Unmanaged:
    """An object in an introspected schema that the model cannot represent."""

    schema: str
    kind: str
    name: str


@dataclass
class Found:
    """Objects read so far: schema -> model collection name -> objects, plus unmanaged."""

    objects: dict[str, dict[str, list[Node]]] = field(default_factory=dict)
    unmanaged: list[Unmanaged] = field(default_factory=list)

    def add(self, schema: str, collection: str, obj: Node) -> None:
        """Record `obj` for the SchemaModel field `collection` of `schema`."""
        self.objects.setdefault(schema, {}).setdefault(collection, []).append(obj)

    def report(self, schema: str, kind: str, name: str) -> None:
        """Record an object the model cannot represent."""
        self.unmanaged.append(Unmanaged(schema, kind, name))


def qualname(schema: str | None, name: str, own: str) -> QualName:
    """Return a QualName: schema_name None when `schema` is the object's own schema."""
    return QualName(schema_name=None if schema in (None, own) else schema, name=name)
