"""Remembered tenant states: skip reading schemas whose change stamp has not moved.

After a full read of a schema (digest, fingerprint, access digest), the inventory writes
what it found to zplus_meta.fleet_state together with the stamp (stamps.py) it read
*before* that read, and the context it was read under. A later run whose live stamp is
still that one reuses the row instead of reading the schema again. Why that is safe:
any change committed after the stamp was read adds, removes or rewrites catalog rows, so
the live stamp can never be that stamp again; the row can only be reused while the
schema is exactly as it was when it was read.

The cache is best effort: a run that may not read or write the table (a read-only role,
no zplus_meta yet) reads every schema in full, as without it. `--full-read` ignores it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..metastore import with_table
from ..model import Project
from ..model.role import Role
from ..sqlfiles import read_sql
from .registry import Conn
from .stamps import Stamp, Stamps, context_key, read_stamps
from .state import ABSENT, SchemaState

TABLE = "zplus_meta.fleet_state"


@dataclass(frozen=True)
class CachedState:
    """What a full read found for a schema, and the stamp read just before it."""

    stamp: str
    digest: str | None
    fingerprint: str
    access: str


def read_cache(conn: Conn, schemas: Sequence[str], context: str) -> dict[str, CachedState]:
    """Return schema -> cached state written under `context`; empty when unreadable."""
    if not schemas:
        return {}

    def read() -> dict[str, CachedState]:
        rows = conn.execute(read_sql("zplus_schema.fleet", "state_read"),
                            {"schemas": list(schemas), "context": context}).fetchall()
        return {str(r[0]): CachedState(str(r[1]), None if r[2] is None else str(r[2]),
                                       str(r[3]), str(r[4])) for r in rows}

    return with_table(conn, TABLE, read, {})


def write_cache(conn: Conn, states: Mapping[str, CachedState], context: str) -> bool:
    """Remember `states` (schema -> state); return False when that was not possible."""
    if not states:
        return True

    def write() -> bool:
        with conn.cursor() as cur:
            cur.executemany(read_sql("zplus_schema.fleet", "state_write"), [
                {"schema": schema, "stamp": st.stamp, "context": context,
                 "digest": st.digest, "fingerprint": st.fingerprint, "access": st.access}
                for schema, st in sorted(states.items())])
        return True

    return with_table(conn, TABLE, write, False)


@dataclass
class Recall:
    """What the cache vouches for, with every schema's live stamp and the context."""

    known: dict[str, SchemaState]
    read: Stamps
    context: str

    @property
    def stamps(self) -> dict[str, Stamp]:
        """Return schema -> live stamp."""
        return self.read.by_schema


def recall(conn: Conn, project: Project, schemas: Sequence[str],
           roles: Mapping[str, Role | None], full_read: bool = False) -> Recall:
    """Stamp the schemas and return the cached states whose stamp is still the live one.

    The stamps are read first: whatever is read in full afterwards is remembered under
    them (remember), never under a later stamp.
    """
    read = read_stamps(conn, project, schemas, roles)
    stamps = read.by_schema
    context = context_key(conn, project)
    cached = {} if full_read else read_cache(conn, list(stamps), context)
    known = {s: SchemaState(c.fingerprint, c.digest, c.stamp, c.access)
             for s, c in cached.items() if c.stamp == stamps[s].text}
    return Recall(known, read, context)


def remember(conn: Conn, recalled: Recall, states: Mapping[str, SchemaState],
             access: Mapping[str, str]) -> bool:
    """Write what was read in full under the stamps read before it; False if not written.

    Only schemas the digest vouches for are remembered: one whose fingerprint was read
    without a digest (a name that needs quoting) is read in full every time.
    """
    return write_cache(conn, {
        s: CachedState(recalled.stamps[s].text, st.digest, st.fingerprint, access[s])
        for s, st in states.items()
        if s in recalled.stamps and st.digest is not None and st.fingerprint != ABSENT
        and s in access}, recalled.context)
