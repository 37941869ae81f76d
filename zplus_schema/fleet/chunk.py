"""Apply a chunk of one server's tenants on one connection, each in its own transaction.

Per chunk: take each schema's advisory lock (the key apply/executor.py uses); schemas
whose change stamp moved since the inventory (runner.py checks the stamps just before the
run) are read again, in one digest query, and skipped if they changed since the plan
(introspecting only those whose digest moved); then apply tenant by
tenant: settings, statements and the ledger row in one pipelined transaction, so a tenant
is at its old state or its new one, with a ledger row saying so, whatever happens to the
process. A failed tenant is rolled back and retried with backoff. After the run,
after.py fills in the ledger's fingerprint_after.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from threading import Event

import psycopg
from psycopg import sql

from ..apply import ApplyOptions
from ..apply.executor import apply_target
from ..apply.ledger import LedgerEntry, insert, record
from ..model import Project
from ..plan.document import Plan, TargetPlan
from .access import access_digests
from .digest import digests
from .inventory import Conn, FleetTenant
from .state import fingerprints_each

SCHEMA_LOCK = "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext(%s))"
SCHEMA_UNLOCK = "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext(%s))"
ACCESS_CHANGED = "access changed"  # stands for the fingerprint: equal to no real one


@dataclass(frozen=True)
class Work:
    """One tenant to apply, with its re-targeted plan."""

    tenant: FleetTenant
    plan: TargetPlan


@dataclass
class TenantOutcome:
    """What happened to one tenant."""

    tenant: FleetTenant
    outcome: str  # applied | noop | failed | skipped
    statements: int = 0
    seconds: float = 0.0
    attempts: int = 0
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    ledger_id: int | None = None
    xid: int | None = None  # the transaction that applied it (after.py checks who else wrote)


@dataclass(frozen=True)
class ChunkContext:
    """What every chunk needs: options, retry policy, the stop flag and the reporter."""

    opts: ApplyOptions
    retries: int
    backoff: float
    stop: Event
    report: Callable[[TenantOutcome], None]
    active: set[Conn] = field(default_factory=set)  # connections to cancel on Ctrl-C
    project: Project | None = None  # for the access digests of tenants that moved
    # schemas whose change stamp was still the inventory's just before the run started
    unchanged: frozenset[str] = frozenset()


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's message."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def run_chunk(conn: Conn, items: list[Work], ctx: ChunkContext) -> list[TenantOutcome]:
    """Apply a chunk's tenants; every tenant gets exactly one outcome, reported once."""
    out: list[TenantOutcome] = []
    locked: list[Work] = []
    try:
        for w, ok in zip(items, _try_locks(conn, items), strict=True):
            if ok:
                locked.append(w)
            else:
                out.append(_done(ctx, TenantOutcome(
                    w.tenant, "failed", error=f"another zplus-schema run is applying to "
                                              f"schema {w.plan.schema_name}")))
        out += _apply_locked(conn, locked, ctx)
    finally:
        if not conn.broken and locked:
            with conn.pipeline():
                for w in locked:
                    conn.execute(SCHEMA_UNLOCK, (f"zplus-schema:{w.plan.schema_name}",))
    return out


def _try_locks(conn: Conn, items: list[Work]) -> list[bool]:
    """Try every schema's lock in one round trip (pipelined); return which were taken."""
    with conn.pipeline():
        cursors = [conn.execute(SCHEMA_LOCK, (f"zplus-schema:{w.plan.schema_name}",))
                   for w in items]
    return [bool((row := cur.fetchone()) and row[0]) for cur in cursors]


def _done(ctx: ChunkContext, outcome: TenantOutcome) -> TenantOutcome:
    ctx.report(outcome)
    return outcome


def _apply_locked(conn: Conn, items: list[Work], ctx: ChunkContext) -> list[TenantOutcome]:
    moved = [w for w in items if w.plan.schema_name not in ctx.unchanged]
    before = {w.plan.schema_name: w.tenant.fingerprint for w in items
              if w.plan.schema_name in ctx.unchanged and w.tenant.fingerprint is not None}
    before.update(_live(conn, moved, ctx.project) if moved else {})
    out: list[TenantOutcome] = []
    for w in items:
        if ctx.stop.is_set():
            out.append(_done(ctx, TenantOutcome(w.tenant, "skipped",
                                                error="interrupted (Ctrl-C): re-run to finish")))
            continue
        live = before.get(w.plan.schema_name)
        if live != w.plan.fingerprint_live:
            out.append(_done(ctx, _stale(w, live)))
            continue
        out.append(_done(ctx, apply_one(conn, w, ctx)))
    return out


def _live(conn: Conn, items: list[Work], project: Project | None) -> dict[str, str]:
    """Return schema -> fingerprint now, for (locked) schemas whose stamp moved.

    A schema whose digest is still the one the inventory read is still as planned (equal
    digests, equal models and access): that takes one query for the chunk. Only the
    others (changed, or never digested) are introspected, to tell "changed" from "already
    as desired", and their access digests read again: a tenant whose grants or role
    changed since the plan counts as changed even when its objects did not.
    """
    try:
        now = digests(conn, [w.plan.schema_name for w in items],
                      {w.plan.schema_name: w.tenant.role for w in items})
    except psycopg.Error:
        if conn.broken:
            return {}
        now = {}
    out = {w.plan.schema_name: w.tenant.fingerprint for w in items
           if w.tenant.fingerprint is not None and w.tenant.digest is not None
           and now.get(w.plan.schema_name) == w.tenant.digest}
    moved = [w for w in items if w.plan.schema_name not in out]
    out.update(fingerprints_each(conn, [w.plan.schema_name for w in moved]))
    same = [w for w in moved if out.get(w.plan.schema_name) == w.tenant.fingerprint]
    if project is not None and same:
        try:
            access = access_digests(conn, project, [w.plan.schema_name for w in same])
        except psycopg.Error:  # not readable now: such a tenant is not applied
            access = {}
        for w in same:
            if access.get(w.plan.schema_name) is None:
                del out[w.plan.schema_name]
            elif access[w.plan.schema_name] != w.tenant.access:
                out[w.plan.schema_name] = ACCESS_CHANGED
    return out


def _stale(w: Work, live: str | None) -> TenantOutcome:
    if live is not None and live == w.plan.fingerprint_desired:
        # Another run got there first (e.g. a single-target apply): nothing left to do.
        return TenantOutcome(w.tenant, "noop", notes=["already as desired"])
    why = ("its schema could not be read" if live is None else
           f"schema {w.plan.schema_name} changed since the plan was made")
    return TenantOutcome(w.tenant, "failed", error=f"{why}; re-run to plan it again")


def apply_one(conn: Conn, w: Work, ctx: ChunkContext) -> TenantOutcome:
    """Apply one tenant with retries; return its outcome (with its ledger row's id)."""
    outcome = TenantOutcome(w.tenant, "failed", len(w.plan.steps))
    started, t0 = datetime.now(UTC), time.perf_counter()
    plan_hash = Plan(targets=[w.plan]).content_hash()
    for attempt in range(ctx.retries + 1):
        outcome.attempts = attempt + 1
        try:
            outcome.ledger_id, outcome.xid = _attempt(conn, w, ctx.opts, plan_hash, started)
            outcome.outcome, outcome.error = "applied", None
            outcome.seconds = time.perf_counter() - t0
            return outcome
        except psycopg.Error as exc:
            outcome.error = first_line(exc)
        if conn.broken or attempt == ctx.retries or ctx.stop.is_set():
            break
        time.sleep(ctx.backoff * 2 ** attempt)
    outcome.seconds = time.perf_counter() - t0
    if not conn.broken:
        _record_failure(conn, w, outcome, plan_hash, started)
    return outcome


def _attempt(conn: Conn, w: Work, opts: ApplyOptions, plan_hash: str,
             started: datetime) -> tuple[int | None, int | None]:
    """Run the tenant's statements and its ledger row in one transaction; return the
    ledger row's id and the transaction's id (None when split into several)."""
    if not all(s.transactional for s in w.plan.steps):
        # CONCURRENTLY steps cannot share a transaction: the executor splits the plan.
        result = apply_target(conn, Plan(targets=[w.plan]), w.plan, opts)
        if result.outcome == "failed":
            raise psycopg.OperationalError(result.error or "failed")
        return result.ledger_id, None
    # Pipelined: BEGIN, the settings, the statements, the ledger row and COMMIT go out
    # together, in one round trip; the ledger row's id is read once COMMIT has synced.
    # Still one transaction: an error in any of them rolls all of them back.
    with conn.pipeline(), conn.transaction():
        _settings(conn, w.plan.schema_name, opts)
        for step in w.plan.steps:
            conn.execute(step.sql)  # the plan SQL is the reviewed artifact
        cur = insert(conn, _entry(w, "applied", plan_hash, started, None))
        xid = conn.execute("SELECT pg_catalog.txid_current()")
    row, own = cur.fetchone(), xid.fetchone()
    return (int(str(row[0])) if row else None), (int(str(own[0])) if own else None)


def _settings(conn: Conn, schema: str, opts: ApplyOptions) -> None:
    path = sql.SQL(", ").join(sql.Identifier(s) for s in dict.fromkeys(
        (schema, opts.system_schema))).as_string(conn)
    conn.execute("SELECT pg_catalog.set_config('lock_timeout', %s, true), "
                 "pg_catalog.set_config('statement_timeout', %s, true), "
                 "pg_catalog.set_config('check_function_bodies', 'off', true), "
                 "pg_catalog.set_config('search_path', %s, true)",
                 (opts.lock_timeout, opts.statement_timeout, path))


def _entry(w: Work, outcome: str, plan_hash: str, started: datetime,
           error: str | None) -> LedgerEntry:
    finished = datetime.now(UTC)
    return LedgerEntry(
        target=w.plan.target, schema_name=w.plan.schema_name, started_at=started,
        finished_at=finished, duration_ms=int((finished - started).total_seconds() * 1000),
        plan_hash=plan_hash, fingerprint_before=w.plan.fingerprint_live,
        fingerprint_after=None,  # read after the commit: after.py
        outcome=outcome, statements=len(w.plan.steps), error=error,
        sql="\n".join(s.sql.rstrip() + ";" for s in w.plan.steps))


def _record_failure(conn: Conn, w: Work, outcome: TenantOutcome, plan_hash: str,
                    started: datetime) -> None:
    try:
        record(conn, _entry(w, "failed", plan_hash, started, outcome.error))
    except psycopg.Error as exc:
        outcome.notes.append(f"could not write the ledger: {first_line(exc)}")
