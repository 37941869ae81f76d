"""What the spec builders share: the schema being imported, its neighbours, the notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ForeignKey, QualName, SchemaModel
from .notes import Note


@dataclass
class ImportContext:
    """The imported schema's model, the models of schemas it references, and notes so far.

    `reachable` is the schema the project can name besides its own (the system schema
    of a tenant import); references anywhere else do not validate and are noted.
    """

    schema: str
    model: SchemaModel
    others: dict[str, SchemaModel] = field(default_factory=dict)
    reachable: str | None = None
    notes: list[Note] = field(default_factory=list)

    def note(self, what: str, reason: str, table: str | None = None) -> None:
        """Record an object imported with a difference or left out."""
        self.notes.append(Note(what, reason, table))

    def model_of(self, schema: str | None) -> SchemaModel | None:
        """Return the model of the own schema (None) or of a referenced one, if read."""
        return self.model if schema is None else self.others.get(schema)

    def check_reach(self, name: QualName, what: str, table: str | None) -> None:
        """Note a reference into a schema the project cannot name."""
        if name.schema_name is not None and name.schema_name != self.reachable:
            self.note(what, f"references {name}, outside the project: `validate` rejects "
                      "names in schemas other than the system schema (import the schema "
                      f"--as tenant with system schema {name.schema_name}, or move it)",
                      table)

    def references_pk(self, fk: ForeignKey) -> bool:
        """Tell whether a foreign key references its target's primary key."""
        target = self.model_of(fk.ref_table.schema_name)
        pk = target.primary_key(fk.ref_table.name) if target else None
        return pk is not None and pk.columns == fk.ref_columns
