"""ZS102: an index duplicates a key constraint or another index (same leading columns)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Index, IndexKey
from .. import anchors
from ..finding import Hit, Severity
from ..keys import KeySource, index_source, key_sources
from ..rule import Rule
from ..subject import Subject


def _same(a: tuple[IndexKey, ...], b: tuple[IndexKey, ...]) -> bool:
    """Return True when two key lists sort the same (one column scans either way)."""
    if len(a) == 1:
        strip = {"order": None, "nulls": None}
        return a[0].model_copy(update=strip) == b[0].model_copy(update=strip)
    return a == b


def covered_by(index: Index, other: KeySource) -> bool:
    """Return True when `other` serves every lookup `index` serves, and enforces as much."""
    if other.index is index or other.method != "btree" or other.partial:
        return False
    if index.unique and not (other.unique and len(other.keys) == len(index.keys)):
        return False  # a unique index on fewer columns enforces more than a longer key
    n = len(index.keys)
    return len(other.keys) >= n and _same(index.keys, other.keys[:n])


def _candidate(index: Index) -> bool:
    # Partial, covering, expression and non-btree indexes serve lookups others cannot.
    return (index.method == "btree" and index.where is None and not index.include
            and all(k.column is not None for k in index.keys))


def check(s: Subject) -> Iterator[Hit]:
    """Report each index whose lookups another index or a PK/unique key already serves."""
    for index in s.model.indexes:
        if not _candidate(index):
            continue
        for other in key_sources(s.visible, index.table):
            if not covered_by(index, other):
                continue
            if other.index is not None and covered_by(other.index, index_source(index)) \
                    and index.name < other.name:
                continue  # two identical indexes: the one later by name is reported
            how = "duplicates" if len(other.keys) == len(index.keys) else "is a prefix of"
            yield Hit(f"index {index.name} {how} {other.describe()}, which serves the same "
                      "lookups; drop it", f"index {index.name}", anchors.index(index))
            break


RULE = Rule(
    code="ZS102",
    name="redundant-index",
    severity=Severity.WARNING,
    summary="Index duplicating a unique constraint or another index",
    why="Every index slows down writes and takes disk and cache; one whose columns are the "
        "leading columns of a primary key, a unique constraint or another btree index serves "
        "no lookup the other does not. The seed adds such an index for `tenants.slug`, "
        "`users.email`, `products.sku`, `employees.employee_id` and "
        "`attendance_records(employee_id, date)`, each already UNIQUE.",
    bad="""
tables:
  tenants:
    comment: Customer organisations
    columns:
      id:   {type: uuid, primary_key: true}
      slug: {type: varchar(100), nullable: false, unique: true}
    indexes:
      idx_tenants_slug: {columns: [slug]}
""",
    good="""
tables:
  tenants:
    comment: Customer organisations
    columns:
      id:   {type: uuid, primary_key: true}
      slug: {type: varchar(100), nullable: false, unique: true}   # its index serves lookups
""",
    check=check,
)
