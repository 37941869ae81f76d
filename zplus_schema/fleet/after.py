"""After a fleet apply: the ledger's fingerprint_after, and the applied tenants remembered.

A tenant's ledger row is written in its own transaction (so it exists exactly when the
change does); the fingerprint after can only be read once that has committed. Tenants of
one group started from equal schemas and ran the same statements, so one of them, the
representative, is introspected (with its access digest) for the group, and each of the
others is checked to be exactly "its state before the run plus its own transaction":

- its stamps, read with the run's stamps snapshot and each tenant's own transaction id
  (stamps.py `Since`), show no catalog row written since that snapshot by any other
  transaction (`alien` = 0), and the shared part has not moved;
- per catalog, its row count changed by as much as the representative's (a row deleted
  by someone else leaves no row version behind, but changes the count);
- its tenant role's attributes hash as the representative's.

A tenant that passes gets the representative's fingerprint in its ledger row, and its new
stamp is remembered with that fingerprint and access digest (statecache.py), so the next
run need not read it. Any other tenant is introspected on its own for its ledger row and
not remembered: the next run reads it in full. The representative itself must pass too.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from ..model import Project
from ..sqlfiles import read_sql
from .access import access_digests
from .chunk import TenantOutcome
from .inventory import Conn
from .stamps import Since, Stamp, Stamps, context_key, read_stamps
from .state import fingerprints_each
from .statecache import CachedState, write_cache

GroupKey = tuple[str | None, str, tuple[str, ...]]


@dataclass(frozen=True)
class Before:
    """The stamps read just before the run, on one server (runner._unchanged)."""

    stamps: Stamps
    project: Project


def record_after(conn: Conn, applied: list[TenantOutcome], before: Before | None) -> None:
    """Fill in the ledger's fingerprint_after for one server's applied tenants, and
    remember those whose state after the run is vouched for."""
    groups: dict[GroupKey, list[TenantOutcome]] = {}
    for o in applied:
        t = o.tenant
        groups.setdefault((t.fingerprint, t.access, t.record.modules), []).append(o)
    reps = [m[0].tenant.record.schema for m in groups.values()]
    prints = fingerprints_each(conn, reps)
    vouched = _vouched(conn, groups, before) if before else {}
    alone = [o.tenant.record.schema for o in applied
             if o.tenant.record.schema not in vouched and before is not None]
    prints.update(fingerprints_each(conn, [s for s in alone if s not in prints]))
    after: dict[str, str | None] = {}
    for members in groups.values():
        rep = prints.get(members[0].tenant.record.schema)
        for o in members:
            schema = o.tenant.record.schema
            after[schema] = rep if schema in vouched or before is None else prints.get(schema)
    _write_ledger(conn, applied, after)
    if before and vouched:
        _remember(conn, groups, vouched, prints, before)


def _vouched(conn: Conn, groups: dict[GroupKey, list[TenantOutcome]],
             before: Before) -> dict[str, Stamp]:
    """Return schema -> stamp now, for the tenants whose state is their group's.

    A tenant whose schema did not exist before the run started from the shared part
    alone: all its rows must then be its own transaction's.
    """
    was = {o.tenant.record.schema: st for members in groups.values() for o in members
           if o.xid is not None and (st := before.stamps.before(o.tenant.record.schema))}
    outcomes = [o for members in groups.values() for o in members
                if o.tenant.record.schema in was]
    if not outcomes:
        return {}
    since = Since(before.stamps.snapshot, {o.tenant.record.schema: o.xid for o in outcomes
                                           if o.xid is not None})
    try:
        now = read_stamps(conn, before.project, list(since.xids),
                          {o.tenant.record.schema: o.tenant.role for o in outcomes},
                          since).by_schema
    except psycopg.Error:
        if conn.broken:
            raise
        return {}
    for o in outcomes:
        if (st := now.get(o.tenant.record.schema)) is not None and st.alien:
            o.notes.append(f"another session changed schema {o.tenant.record.schema} (or "
                           "objects outside the tenants) while this run planned or applied "
                           "it: check it with drift")
    out: dict[str, Stamp] = {}
    for members in groups.values():
        rep = members[0].tenant.record.schema
        if not _clean(rep, now, was):
            continue
        delta, role = _delta(was[rep], now[rep]), _role_part(now[rep])
        for o in members:
            s = o.tenant.record.schema
            if (_clean(s, now, was) and _delta(was[s], now[s]) == delta
                    and _role_part(now[s]) == role):
                out[s] = now[s]
    return out


def _clean(schema: str, now: dict[str, Stamp], before: dict[str, Stamp]) -> bool:
    """Return True when only the tenant's own transaction wrote its rows since the run's
    snapshot, and nothing outside the tenants moved."""
    st = now.get(schema)
    return (st is not None and schema in before and st.alien == 0
            and st.shared == before[schema].shared)


def _delta(old: Stamp, new: Stamp) -> dict[str, int]:
    a, b = old.counts(), new.counts()
    return {k: b.get(k, 0) - a.get(k, 0) for k in sorted(set(a) | set(b))
            if b.get(k, 0) != a.get(k, 0)}


def _role_part(stamp: Stamp) -> str:
    return next((item for item in stamp.own.split() if item.startswith("R")), "")


def _write_ledger(conn: Conn, applied: list[TenantOutcome],
                  after: dict[str, str | None]) -> None:
    with conn.pipeline(), conn.transaction():  # one round trip for all the rows
        for o in applied:
            live = after.get(o.tenant.record.schema)
            if live is None:
                o.notes.append(f"schema {o.tenant.record.schema} could not be read after "
                               "the apply: its ledger row has no fingerprint_after")
            elif o.ledger_id is not None:
                conn.execute(read_sql("zplus_schema.fleet", "ledger_after"), (live, o.ledger_id))


def _remember(conn: Conn, groups: dict[GroupKey, list[TenantOutcome]],
              vouched: dict[str, Stamp], prints: dict[str, str], before: Before) -> None:
    """Remember the vouched tenants' new stamps with their group's fingerprint and access."""
    reps = [m[0].tenant.record.schema for m in groups.values()
            if m[0].tenant.record.schema in vouched and m[0].tenant.record.schema in prints]
    try:
        access = access_digests(conn, before.project, reps)
    except psycopg.Error:
        if conn.broken:
            raise
        return
    states: dict[str, CachedState] = {}
    for members in groups.values():
        rep = members[0].tenant.record.schema
        if rep not in access:
            continue
        for o in members:
            s = o.tenant.record.schema
            if s in vouched:
                states[s] = CachedState(vouched[s].text, None, prints[rep], access[rep])
    write_cache(conn, states, context_key(conn, before.project))
