"""Index and key columns: what lookups an index or a constraint can serve."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Index, IndexKey, PrimaryKey, SchemaModel, Unique

# Methods whose leading columns serve equality lookups (a foreign key's, for instance).
LOOKUP_METHODS = ("btree", "hash")


@dataclass(frozen=True)
class KeySource:
    """An index or a PK/unique constraint (backed by a btree index) on one table."""

    kind: str  # "index", "primary key", "unique constraint"
    name: str
    keys: tuple[IndexKey, ...]
    unique: bool
    method: str = "btree"
    partial: bool = False
    include: tuple[str, ...] = ()
    index: Index | None = None

    @property
    def columns(self) -> tuple[str | None, ...]:
        """Return the key columns in order; None stands for an expression key."""
        return tuple(k.column for k in self.keys)

    def describe(self) -> str:
        """Return e.g. `unique constraint tenants_slug_key (slug)`."""
        cols = ", ".join(k.column or f"({k.expression})" for k in self.keys)
        return f"{self.kind} {self.name} ({cols})"


def key_sources(model: SchemaModel, table: str) -> list[KeySource]:
    """Return the indexes and key constraints of one table."""
    found: list[KeySource] = []
    for con in model.constraints:
        if con.table == table and isinstance(con, PrimaryKey | Unique):
            kind = "primary key" if isinstance(con, PrimaryKey) else "unique constraint"
            keys = tuple(IndexKey(column=c) for c in con.columns)
            found.append(KeySource(kind, con.name, keys, unique=True))
    found += [index_source(idx) for idx in model.indexes if idx.table == table]
    return found


def index_source(idx: Index) -> KeySource:
    """Return an index as a key source."""
    return KeySource("index", idx.name, idx.keys, idx.unique, idx.method,
                     idx.where is not None, idx.include, idx)


def serves_lookup(source: KeySource, columns: tuple[str, ...]) -> bool:
    """Return True when the source's leading keys are exactly `columns`, in any order."""
    if source.partial or source.method not in LOOKUP_METHODS:
        return False
    if source.method == "hash" and len(columns) != 1:
        return False
    lead = source.columns[: len(columns)]
    return len(lead) == len(columns) and set(lead) == set(columns)
