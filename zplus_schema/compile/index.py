"""CREATE INDEX."""

from __future__ import annotations

from ..ident import quote_ident
from ..model import Index, IndexKey
from .context import Target
from .statement import Statement


def key_sql(key: IndexKey) -> str:
    """Return one index key: column or (expression) with collation, opclass and order."""
    text = quote_ident(key.column) if key.column else f"({key.expression})"
    if key.collation:
        text += f" COLLATE {quote_ident(key.collation)}"
    if key.opclass:
        text += f" {key.opclass}"
    if key.order == "desc":
        text += " DESC"
    if key.nulls:
        text += f" NULLS {key.nulls.upper()}"
    return text


def create_index(index: Index, target: Target, *, concurrently: bool = False) -> list[Statement]:
    """Return CREATE [UNIQUE] INDEX [CONCURRENTLY] for one index."""
    unique = "UNIQUE " if index.unique else ""
    conc = "CONCURRENTLY " if concurrently else ""
    using = f" USING {index.method}" if index.method != "btree" else ""
    keys = ", ".join(key_sql(k) for k in index.keys)
    sql = f"CREATE {unique}INDEX {conc}{quote_ident(index.name)} ON {target.q(index.table)}"
    sql += f"{using} ({keys})"
    if index.include:
        sql += f" INCLUDE {target.col_list(index.include)}"
    if index.nulls_not_distinct:
        sql += " NULLS NOT DISTINCT"
    if index.where:
        sql += f" WHERE {index.where}"
    provides = {f"index:{index.name}"}
    if index.unique and index.where is None and len(index.columns) == len(index.keys):
        provides.add(f"key:{index.table}:{','.join(index.columns)}")  # a foreign key may use it
    return [Statement(sql, "index", index.name, frozenset(provides),
                      frozenset({f"table:{index.table}"}))]
