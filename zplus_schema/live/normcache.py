"""Remember what the scratch schema made of a model, so a fleet run normalizes once.

Normalizing (normalize.py) loads a model into a rolled-back scratch schema twice and reads
it back: about a second for a tenant template. The result depends on the model, on this
code, on the server version and on what the model refers to outside its schema (system
schema functions and types, extensions). A fleet run knows the last exactly: the shared
part of its change stamps (fleet/stamps.py) moves with any change outside the tenant
schemas. Under that key the result is remembered in memory and, when the table exists and
may be written, in zplus_meta.normalized, so the next run (a `plan` then an `apply`, or
`tenants create` after `tenants create`) reuses it.

zplus_meta must be writable by the migrator alone, as for the ledger: plans are built
from what this table holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import psycopg

from ..codedigest import code_digest
from ..metastore import with_table
from ..model import SchemaModel
from ..sqlfiles import read_sql

Conn = psycopg.Connection[tuple[object, ...]]
TABLE = "zplus_meta.normalized"
_MEMORY: dict[str, SchemaModel] = {}


@dataclass(frozen=True)
class NormCache:
    """Normalized models valid under one context (server, code, outside state, target)."""

    conn: Conn
    context: str

    def key(self, kind: str, model: SchemaModel) -> str:
        """Return the key of `model` normalized as `kind` ("desired" or "live")."""
        h = hashlib.sha256(f"{kind}\0{self.context}\0".encode())
        h.update(model.model_dump_json().encode())
        return h.hexdigest()

    def get(self, kind: str, model: SchemaModel) -> SchemaModel | None:
        """Return the remembered normalization of `model`, or None."""
        key = self.key(kind, model)
        if key not in _MEMORY:
            row = with_table(self.conn, TABLE, lambda: self.conn.execute(
                read_sql("zplus_schema.live", "normalized_get"), {"key": key}).fetchone(),
                None)
            if row is None:
                return None  # not remembered, or not readable by this role: normalize
            _MEMORY[key] = SchemaModel.model_validate_json(str(row[0]))
        return _MEMORY[key]

    def put(self, kind: str, model: SchemaModel, normalized: SchemaModel) -> None:
        """Remember `normalized` for `model` (in memory; in the table when writable)."""
        key = self.key(kind, model)
        _MEMORY[key] = normalized
        with_table(self.conn, TABLE, lambda: self.conn.execute(
            read_sql("zplus_schema.live", "normalized_put"),
            {"key": key, "model": normalized.model_dump_json()}), None)


def norm_cache(conn: Conn, outside: str, system_schema: str, target_schema: str) -> NormCache:
    """Return the cache for normalizing into `target_schema` while outside state is
    `outside` (the shared part of the change stamps)."""
    rows = conn.execute(read_sql("zplus_schema.live", "target_extensions"),
                        {"target": target_schema}).fetchall()
    h = hashlib.sha256(code_digest().encode())
    h.update(f"\0{conn.info.server_version}\0{system_schema}\0{outside}\0".encode())
    h.update(repr([tuple(r) for r in rows]).encode())
    return NormCache(conn, h.hexdigest())
