"""Upsert and compare declared rows by natural key, never touching undeclared rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from ..sqlfiles import read_sql

Conn = psycopg.Connection[tuple[object, ...]]
KEY = "name"


@dataclass(frozen=True)
class Table:
    """A reference table: its schema, name and the columns the declaration sets."""

    schema: str
    name: str
    columns: tuple[str, ...]

    @property
    def ident(self) -> sql.Identifier:
        """Return the quoted qualified name."""
        return sql.Identifier(self.schema, self.name)


def _cols(names: Sequence[str], prefix: str | None = None) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(prefix, n) if prefix else sql.Identifier(n)
                              for n in names)


def _upsert(table: Table) -> sql.Composed:
    """INSERT .. ON CONFLICT (name) DO UPDATE only when a declared column differs.

    The WHERE keeps unchanged rows unchanged, so a sync in sync writes nothing (no audit
    rows, no updated_at bump).
    """
    every = (KEY, *table.columns)
    return sql.SQL(
        "INSERT INTO {t} AS cur ({cols}) VALUES ({vals}) ON CONFLICT ({key}) DO UPDATE "
        "SET ({set}) = ROW({excl}) WHERE ({cur}) IS DISTINCT FROM ({excl}) RETURNING cur.{key}"
    ).format(t=table.ident, cols=_cols(every), vals=sql.SQL(", ").join(
        sql.Placeholder(c) for c in every), key=sql.Identifier(KEY),
        set=_cols(table.columns), excl=_cols(table.columns, "excluded"),
        cur=_cols(table.columns, "cur"))


def sync_rows(conn: Conn, table: Table, rows: list[dict[str, Any]]) -> list[str]:
    """Insert or update each declared row; return `table: name` for each one written."""
    query = _upsert(table)
    written = []
    for row in rows:
        if conn.execute(query, row).fetchone() is not None:
            written.append(f"{table.name}: {row[KEY]}")
    return written


def table_drift(conn: Conn, table: Table, rows: list[dict[str, Any]]) -> list[str]:
    """Return `table: name missing|differs (columns)` for each declared row out of sync."""
    if not rows:
        return []
    query = sql.SQL("SELECT {cols} FROM {t} WHERE {key} = ANY(%s)").format(
        cols=_cols((KEY, *table.columns)), t=table.ident, key=sql.Identifier(KEY))
    live = {str(r[0]): r[1:] for r in conn.execute(query, ([r[KEY] for r in rows],))}
    out = []
    for row in rows:
        have = live.get(row[KEY])
        if have is None:
            out.append(f"{table.name}: {row[KEY]} missing")
            continue
        differ = [c for c, v in zip(table.columns, have, strict=True)
                  if _plain(row[c]) != v]
        if differ:
            out.append(f"{table.name}: {row[KEY]} differs ({', '.join(differ)})")
    return out


def _plain(value: Any) -> Any:
    return value.obj if isinstance(value, Jsonb) else value


def _links_query(schema: str, name: str) -> sql.Composed:
    return sql.SQL(read_sql("zplus_schema.fleet", name)).format(schema=sql.Identifier(schema))


def sync_links(conn: Conn, schema: str, links: list[tuple[str, str]]) -> list[str]:
    """Grant each declared (role, permission) pair that is missing; return what was added."""
    if not links:
        return []
    rows = conn.execute(_links_query(schema, "refdata_links_insert"),
                        ([r for r, _ in links], [p for _, p in links])).fetchall()
    return [f"role_permissions: {r[0]} -> {r[1]}" for r in rows]


def link_drift(conn: Conn, schema: str, links: list[tuple[str, str]]) -> list[str]:
    """Return `role_permissions: ROLE -> PERMISSION missing` for each declared grant absent."""
    if not links:
        return []
    rows = conn.execute(_links_query(schema, "refdata_links_missing"),
                        ([r for r, _ in links], [p for _, p in links])).fetchall()
    return [f"role_permissions: {r[0]} -> {r[1]} missing" for r in rows]
