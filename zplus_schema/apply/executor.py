"""Apply a plan: one transaction per target, locked, time-limited, verified, recorded."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from ..errors import ZplusError
from ..live.planner import live_fingerprint
from ..plan.document import Plan, PlanStep, TargetPlan
from ..plan.step import Hazard
from .ledger import LedgerEntry, ensure_ledger, record

Conn = psycopg.Connection[tuple[object, ...]]


class HazardsNotAllowed(ZplusError):
    """The plan has hazards the caller did not allow."""


class StalePlan(ZplusError):
    """The live schema changed since the plan was made."""


class TargetBusy(ZplusError):
    """Another run holds the target's advisory lock."""


@dataclass(frozen=True)
class ApplyOptions:
    """How to run: allowed hazards, time limits, and whether to only check."""

    allow: frozenset[Hazard] = frozenset()
    lock_timeout: str = "5s"
    statement_timeout: str = "60s"
    dry_run: bool = False
    system_schema: str = "public"


@dataclass
class TargetResult:
    """What happened to one target."""

    target: str
    outcome: str  # applied | noop | failed | dry_run
    statements: int = 0
    seconds: float = 0.0
    error: str | None = None
    ledger_id: int | None = None
    fingerprint_after: str | None = None
    notes: list[str] = field(default_factory=list)


def check_hazards(plan: Plan, allow: frozenset[Hazard]) -> None:
    """Refuse the whole plan when any statement has a hazard that was not allowed."""
    missing: dict[str, list[str]] = {}
    for t in plan.targets:
        for s in t.steps:
            for h in s.hazards:
                if Hazard(h) not in allow:
                    missing.setdefault(h, []).append(f"{t.target}: {s.object}")
    if missing:
        lines = [f"{h} ({len(objs)}): {', '.join(sorted(set(objs))[:5])}"
                 + (" ..." if len(set(objs)) > 5 else "") for h, objs in sorted(missing.items())]
        flags = " ".join(f"--allow-hazard {h}" for h in sorted(missing))
        raise HazardsNotAllowed("the plan has hazards that were not allowed:\n    "
                                + "\n    ".join(lines),
                                hint=f"review them, then re-run with {flags}")


def _lock(conn: Conn, schema: str) -> None:
    row = conn.execute("SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext(%s))",
                       (f"zplus-schema:{schema}",)).fetchone()
    if not row or not row[0]:
        raise TargetBusy(f"another zplus-schema run is applying to schema {schema}",
                         hint="wait for it to finish (see zplus_meta.ledger), then re-run")


def _unlock(conn: Conn, schema: str) -> None:
    conn.execute("SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtext(%s))",
                 (f"zplus-schema:{schema}",))


def _settings(conn: Conn, tp: TargetPlan, opts: ApplyOptions) -> None:
    for name, value in (("lock_timeout", opts.lock_timeout),
                        ("statement_timeout", opts.statement_timeout),
                        ("check_function_bodies", "off"),
                        ("search_path", _path(tp.schema_name, opts.system_schema))):
        conn.execute("SELECT pg_catalog.set_config(%s, %s, true)", (name, value))


def _path(schema: str, system: str) -> str:
    parts = [sql.Identifier(schema).as_string(None)]
    if system != schema:
        parts.append(sql.Identifier(system).as_string(None))
    return ", ".join(parts)


def _run_concurrent(conn: Conn, step: PlanStep) -> None:
    """Run a CONCURRENTLY step; a failed earlier build leaves an INVALID index to drop first."""
    if step.action == "create" and step.object.startswith("index "):
        name = step.object.split(" ", 1)[1]
        row = conn.execute(
            "SELECT i.indisvalid FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c"
            " ON c.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relname = %s AND n.nspname = ANY(pg_catalog.current_schemas(false))",
            (name,)).fetchone()
        if row is not None and not row[0]:
            conn.execute(sql.SQL("DROP INDEX CONCURRENTLY IF EXISTS {}").format(
                sql.Identifier(name)))
    conn.execute(step.sql)  # the plan SQL is the reviewed artifact


def _execute(conn: Conn, tp: TargetPlan, opts: ApplyOptions) -> None:
    """Run the steps in plan order: transactional runs in one transaction each.

    A step that cannot run inside a transaction (CREATE INDEX CONCURRENTLY, an enum value
    the same plan then uses) ends the transaction before it and runs on its own; the rest
    continues in a new transaction. Plans without such steps are one transaction.
    """
    batch: list[PlanStep] = []
    for step in tp.steps:
        if step.transactional:
            batch.append(step)
            continue
        _run_batch(conn, batch, tp, opts)
        batch = []
        for name, value in (("lock_timeout", opts.lock_timeout), ("statement_timeout", "0"),
                            ("search_path", _path(tp.schema_name, opts.system_schema))):
            conn.execute("SELECT pg_catalog.set_config(%s, %s, false)", (name, value))
        _run_concurrent(conn, step)
    _run_batch(conn, batch, tp, opts)


def _run_batch(conn: Conn, batch: list[PlanStep], tp: TargetPlan, opts: ApplyOptions) -> None:
    if not batch:
        return
    with conn.transaction():
        _settings(conn, tp, opts)
        for step in batch:
            conn.execute(step.sql)


def apply_target(conn: Conn, plan: Plan, tp: TargetPlan, opts: ApplyOptions) -> TargetResult:
    """Apply one target's steps under its advisory lock; record the outcome in the ledger."""
    result = TargetResult(tp.target, "noop", len(tp.steps))
    _lock(conn, tp.schema_name)
    try:
        return _apply_locked(conn, plan, tp, opts, result)
    finally:
        _unlock(conn, tp.schema_name)


def _apply_locked(conn: Conn, plan: Plan, tp: TargetPlan, opts: ApplyOptions,
                  result: TargetResult) -> TargetResult:
    started, t0 = datetime.now(UTC), time.perf_counter()
    before = "unknown"
    try:
        before = live_fingerprint(conn, tp.schema_name)
        if before != tp.fingerprint_live:
            raise StalePlan(
                f"{tp.target}: schema {tp.schema_name} changed since the plan was made "
                f"(planned against {tp.fingerprint_live[:12]}, live is {before[:12]})",
                hint="make a new plan and review it again")
        if opts.dry_run or tp.empty:
            result.outcome = "dry_run" if opts.dry_run else "noop"
            result.fingerprint_after = before
            return result
        ensure_ledger(conn)
        _execute(conn, tp, opts)
        result.outcome = "applied"
        result.fingerprint_after = live_fingerprint(conn, tp.schema_name)
    except psycopg.Error as exc:
        result.outcome = "failed"
        result.error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    result.seconds = time.perf_counter() - t0
    try:
        ensure_ledger(conn)
        result.ledger_id = record(conn, LedgerEntry(
            target=tp.target, schema_name=tp.schema_name, started_at=started,
            finished_at=datetime.now(UTC), duration_ms=int(result.seconds * 1000),
            plan_hash=plan.content_hash(), fingerprint_before=before,
            fingerprint_after=result.fingerprint_after, outcome=result.outcome,
            statements=len(tp.steps), error=result.error,
            sql="\n".join(s.sql.rstrip() + ";" for s in tp.steps)))
    except psycopg.Error as exc:
        result.notes.append(f"could not write the ledger: {exc}")
    return result


def apply_plan(connect: Callable[[], Conn], plan: Plan, opts: ApplyOptions) -> list[TargetResult]:
    """Apply every target of a plan, each on its own connection and in its own transaction."""
    check_hazards(plan, opts.allow)
    results = []
    for tp in plan.targets:
        with connect() as conn:
            results.append(apply_target(conn, plan, tp, opts))
    return results
