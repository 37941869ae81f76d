"""The live state of tenant schemas: fingerprints, read with as few introspections as can be.

Schemas whose catalog digests are equal (digest.py) have equal models, grants and tenant
roles, so one of them, the representative, is introspected and fingerprinted for all. The
representative is digested again after it was read: if it changed in between, its
fingerprint might not be that of the others, and each of them is introspected instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import psycopg

from ..introspect import introspect
from ..model import fingerprint
from ..model.role import Role
from ..sqlfiles import read_sql
from .digest import digests
from .registry import Conn

ABSENT = "absent"


@dataclass(frozen=True)
class SchemaState:
    """A schema's fingerprint ("absent" when missing) and digest (None: not digested)."""

    fingerprint: str
    digest: str | None
    stamp: str | None = None  # change stamp read before this state (stamps.py)
    access: str | None = None  # access digest when already known (from the cache)


def read_states(conn: Conn, schemas: Sequence[str],
                roles: Mapping[str, Role | None]) -> dict[str, SchemaState]:
    """Return schema -> state: one digest query, one introspection per distinct digest."""
    found = digests(conn, schemas, roles)
    by_digest: dict[str, list[str]] = {}
    plain = [s for s in schemas if found[s] is None]
    for s in schemas:
        d = found[s]
        if d is not None and d != ABSENT:
            by_digest.setdefault(d, []).append(s)
    reps = {d: members[0] for d, members in by_digest.items()}
    prints = fingerprints(conn, [*plain, *reps.values()])
    again = digests(conn, list(reps.values()), roles) if reps else {}
    out = {s: SchemaState(ABSENT, ABSENT) for s in schemas if found[s] == ABSENT}
    out.update({s: SchemaState(prints[s], None) for s in plain})
    for d, members in by_digest.items():
        if again[reps[d]] == d:
            out.update({s: SchemaState(prints[reps[d]], d) for s in members})
        else:  # changed while read: no fingerprint can be vouched for by the digest
            out.update({s: SchemaState(f, None)
                        for s, f in fingerprints(conn, members).items()})
    return out


def fingerprints(conn: Conn, schemas: Sequence[str]) -> dict[str, str]:
    """Return schema -> live fingerprint ("absent" when missing), in one introspection."""
    if not schemas:
        return {}
    rows = conn.execute(read_sql("zplus_schema.fleet", "present_schemas"),
                        (list(schemas),)).fetchall()
    present = sorted({str(r[0]) for r in rows})
    live = introspect(conn, present) if present else {}
    # Equal schemas share one model object: fingerprint each distinct model once.
    by_model: dict[int, str] = {}
    out = dict.fromkeys(schemas, ABSENT)
    for name in present:
        model = live[name].model
        if id(model) not in by_model:
            by_model[id(model)] = fingerprint(model)
        out[name] = by_model[id(model)]
    return out


def fingerprints_each(conn: Conn, schemas: Sequence[str]) -> dict[str, str]:
    """Return fingerprints read together; one by one when a locked table blocks that
    (a schema that cannot be read is left out)."""
    if not schemas:
        return {}
    try:
        return fingerprints(conn, schemas)
    except psycopg.Error:
        if conn.broken or len(schemas) == 1:
            return {}
    out: dict[str, str] = {}
    for s in schemas:
        out.update(fingerprints_each(conn, [s]))
    return out
