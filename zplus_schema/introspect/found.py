"""What the readers find: model objects and unmanaged objects, per schema."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Node


@dataclass(frozen=True)
class Unmanaged:
    """An object in an introspected schema that the model cannot represent."""

    schema: str
    kind: str
    name: str


@dataclass
class Found:
    """Objects read so far: schema -> model collection name -> objects, plus unmanaged.

    `attnames` maps a relation's oid to its column names by attnum (tables and materialized
    views of the schemas read), for the readers that get column numbers from the catalog.
    """

    objects: dict[str, dict[str, list[Node]]] = field(default_factory=dict)
    unmanaged: list[Unmanaged] = field(default_factory=list)
    attnames: dict[int, dict[int, str]] = field(default_factory=dict)

    def add(self, schema: str, collection: str, obj: Node) -> None:
        """Record `obj` for the SchemaModel field `collection` of `schema`."""
        collections = self.objects.get(schema)
        if collections is None:
            collections = self.objects[schema] = {}
        objs = collections.get(collection)
        if objs is None:
            collections[collection] = [obj]
        else:
            objs.append(obj)

    def report(self, schema: str, kind: str, name: str) -> None:
        """Record an object the model cannot represent."""
        self.unmanaged.append(Unmanaged(schema, kind, name))

    def column_names(self, relid: int, attnums: list[int]) -> tuple[str, ...]:
        """Return the names of columns `attnums` of relation `relid`, in that order."""
        names = self.attnames[relid]
        return tuple(names[n] for n in attnums)


def other_schema(schema: str | None, own: str) -> str | None:
    """Return `schema`, or None when it is the object's own schema (QualName.schema_name)."""
    return None if schema in (None, own) else schema
