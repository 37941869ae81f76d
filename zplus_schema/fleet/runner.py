"""Apply a fleet plan: tenants in parallel across servers, canaries first, failures isolated.

Work is cut into chunks of one server's tenants; up to `jobs` threads each take a chunk,
open their own connection and apply its tenants one transaction each (see chunk.py). A
tenant that fails is retried, then reported; the others carry on. With a canary count, that
many tenants are applied first and the run stops there if any of them failed.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from threading import Event

import psycopg

from ..apply import ApplyOptions, check_hazards
from ..apply.ledger import ensure_ledger
from ..errors import ZplusError
from ..model import Project
from ..plan.document import Plan
from .after import Before, record_after
from .chunk import ChunkContext, TenantOutcome, Work, first_line, run_chunk
from .grouping import FleetPlan
from .inventory import open_server
from .servers import FleetConfig
from .stamps import Stamp, Stamps, read_stamps

INTERRUPTED = "interrupted (Ctrl-C): re-run to finish"


@dataclass(frozen=True)
class RunOptions:
    """How to run the fleet: apply options, parallelism, canaries and retries."""

    apply: ApplyOptions
    jobs: int = 1
    canary: int = 0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry, doubled for each further one
    chunk: int = 250  # most tenants per connection and per fingerprint read
    # Read the stamps again just before the run (a plan made earlier, or elsewhere). A
    # run that plans and applies in one go under the fleet lock checks against the
    # inventory's stamps instead, after the run (after.py).
    recheck: bool = True


def work_of(fleet: FleetPlan) -> list[Work]:
    """Return the tenants that need changes, with their plans, groups in plan order."""
    return [Work(t, g.plan_for(t)) for g in fleet.groups if not g.empty for t in g.tenants]


def check_fleet_hazards(fleet: FleetPlan, allow: ApplyOptions) -> None:
    """Refuse the run when a group's plan has hazards that were not allowed."""
    # Shown for the group's first tenant: the template's names are placeholders.
    check_hazards(Plan(targets=[g.plan_for(g.tenants[0]) for g in fleet.groups]), allow.allow)


def run_fleet(config: FleetConfig, fleet: FleetPlan, opts: RunOptions,
              report: Callable[[TenantOutcome], None]) -> list[TenantOutcome]:
    """Apply the fleet plan; return one outcome per tenant (applied/noop/failed/skipped)."""
    check_fleet_hazards(fleet, opts.apply)
    done = [TenantOutcome(t, "failed", error=t.error or fleet.unreachable.get(
        t.record.server, "server unreachable")) for t in fleet.stranded]
    # Tenants not reached were listed with the plan (one line per server): not again here.
    noop = [TenantOutcome(t, "noop") for g in fleet.groups if g.empty for t in g.tenants]
    for o in noop:
        report(o)
    done += noop
    work = work_of(fleet)
    work, refused = _prepare_servers(config, work)
    for o in refused:
        report(o)
    done += refused
    before = (_stamps_before(config, work, fleet.project) if opts.recheck
              else _stamps_planned(fleet))
    applied = _apply_work(config, work, opts, report, fleet.project, before)
    _record_after(config, [o for o in applied if o.outcome == "applied"], before)
    return done + applied


def _apply_work(config: FleetConfig, work: list[Work], opts: RunOptions,
                report: Callable[[TenantOutcome], None], project: Project | None,
                before: dict[str, Before]) -> list[TenantOutcome]:
    """Apply the canaries, then (unless one failed) the rest."""
    canary, rest = work[:opts.canary], work[opts.canary:]
    ctx = ChunkContext(opts.apply, opts.retries, opts.backoff, Event(), report,
                       project=project, unchanged=_unchanged(work, before))
    first = _run(config, canary, opts, ctx)
    if ctx.stop.is_set():
        return first + _fail(rest, ctx, INTERRUPTED, "skipped")
    if any(o.outcome == "failed" for o in first):
        return first + _fail(rest, ctx, "a canary failed", "skipped")
    return first + _run(config, rest, opts, ctx)


def _stamps_before(config: FleetConfig, work: list[Work],
                   project: Project | None) -> dict[str, Before]:
    """Read the stamps of the work's schemas just before the run: one query a server."""
    if project is None:
        return {}
    by_server: dict[str, list[Work]] = {}
    for w in work:
        by_server.setdefault(w.tenant.record.server, []).append(w)
    out: dict[str, Before] = {}
    for name, items in by_server.items():
        try:
            with open_server(config.server(name)) as conn:
                out[name] = Before(read_stamps(
                    conn, project, [w.plan.schema_name for w in items],
                    {w.plan.schema_name: w.tenant.role for w in items}), project)
        except (ZplusError, psycopg.Error):
            continue  # the chunks read these schemas in full, or fail them
    return out


def _stamps_planned(fleet: FleetPlan) -> dict[str, Before]:
    """Return the inventory's stamps, per server, as the state before the run."""
    if fleet.project is None:
        return {}
    out: dict[str, Before] = {}
    for name, read in fleet.reads.items():
        stamps = {t.record.schema: Stamp.parse(t.stamp) for g in fleet.groups
                  for t in g.tenants if t.stamp is not None and t.record.server == name}
        out[name] = Before(Stamps(stamps, read.snapshot, read.shared), fleet.project)
    return out


def _unchanged(work: list[Work], before: dict[str, Before]) -> frozenset[str]:
    """Return the schemas whose change stamp is still the inventory's.

    Those are as planned without reading them again; the others are read in full by
    their chunk (chunk.py), which tells "changed" from "already as desired".
    """
    out: set[str] = set()
    for w in work:
        read = before.get(w.tenant.record.server)
        st = read.stamps.by_schema.get(w.plan.schema_name) if read else None
        if st is not None and w.tenant.stamp is not None and st.text == w.tenant.stamp:
            out.add(w.plan.schema_name)
    return frozenset(out)


def _record_after(config: FleetConfig, applied: list[TenantOutcome],
                  before: dict[str, Before]) -> None:
    """Fill in the ledger's fingerprint_after, per server (after.py); a failure is a note."""
    by_server: dict[str, list[TenantOutcome]] = {}
    for o in applied:
        by_server.setdefault(o.tenant.record.server, []).append(o)
    for name, outcomes in by_server.items():
        try:
            with open_server(config.server(name)) as conn:
                record_after(conn, outcomes, before.get(name))
        except (ZplusError, psycopg.Error) as exc:
            for o in outcomes:
                o.notes.append(f"fingerprint_after not recorded: {first_line(exc)}")


def _prepare_servers(config: FleetConfig,
                     work: list[Work]) -> tuple[list[Work], list[TenantOutcome]]:
    """Create the ledger on every server with work; a server failing here fails its tenants."""
    failed: dict[str, str] = {}
    for name in sorted({w.tenant.record.server for w in work}):
        try:
            with open_server(config.server(name)) as conn:
                ensure_ledger(conn)
        except ZplusError as exc:
            failed[name] = exc.message
        except Exception as exc:  # any server error fails only its tenants
            failed[name] = f"server {name}: {first_line(exc)}"
    keep = [w for w in work if w.tenant.record.server not in failed]
    lost = [TenantOutcome(w.tenant, "failed", error=failed[w.tenant.record.server])
            for w in work if w.tenant.record.server in failed]
    return keep, lost


def chunks(work: list[Work], jobs: int, size: int) -> list[list[Work]]:
    """Cut the work into per-server chunks, small enough to keep `jobs` threads busy."""
    by_server: dict[str, list[Work]] = {}
    for w in work:
        by_server.setdefault(w.tenant.record.server, []).append(w)
    per = max(1, min(size, math.ceil(len(work) / max(1, jobs))))
    return [items[i:i + per] for items in by_server.values()
            for i in range(0, len(items), per)]


def _run(config: FleetConfig, work: list[Work], opts: RunOptions,
         ctx: ChunkContext) -> list[TenantOutcome]:
    """Run the chunks on up to `jobs` threads; Ctrl-C stops the run cleanly.

    On Ctrl-C the running statements are cancelled (their tenants roll back: each tenant
    is one transaction), no tenant is started any more, and the outcomes so far are
    returned, the rest `skipped`, so the summary still shows what was done.
    """
    if not work:
        return []
    pool = ThreadPoolExecutor(max_workers=max(1, opts.jobs), thread_name_prefix="fleet")
    parts = chunks(work, opts.jobs, opts.chunk)
    futures = [pool.submit(_chunk, config, items, ctx) for items in parts]
    try:
        for f in futures:
            f.result()
    except KeyboardInterrupt:
        ctx.stop.set()
        for conn in list(ctx.active):
            with contextlib.suppress(psycopg.Error):  # it may have just closed
                conn.cancel_safe()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [o for f, items in zip(futures, parts, strict=True)
            for o in (_fail(items, ctx, INTERRUPTED, "skipped") if f.cancelled()
                      else f.result())]


def _chunk(config: FleetConfig, items: list[Work], ctx: ChunkContext) -> list[TenantOutcome]:
    """Apply one chunk on its own connection; a lost connection fails what is left."""
    if ctx.stop.is_set():
        return _fail(items, ctx, INTERRUPTED, "skipped")
    try:
        server = config.server(items[0].tenant.record.server)
        conn = open_server(server, ctx.opts.lock_timeout)
    except ZplusError as exc:
        return _fail(items, ctx, exc.message)
    seen: list[TenantOutcome] = []

    def report(o: TenantOutcome) -> None:
        seen.append(o)
        ctx.report(o)

    ctx.active.add(conn)
    try:
        with conn:
            return run_chunk(conn, items, replace(ctx, report=report))
    except Exception as exc:  # a broken connection fails only this chunk
        finished = {id(o.tenant) for o in seen}
        left = [w for w in items if id(w.tenant) not in finished]
        return seen + _fail(left, ctx, f"server {items[0].tenant.record.server}: "
                                       f"{first_line(exc)}")
    finally:
        ctx.active.discard(conn)


def _fail(items: list[Work], ctx: ChunkContext, error: str,
          outcome: str = "failed") -> list[TenantOutcome]:
    out = [TenantOutcome(w.tenant, outcome, error=error) for w in items]
    for o in out:
        ctx.report(o)
    return out


__all__ = ["RunOptions", "TenantOutcome", "Work", "chunks", "run_fleet", "work_of"]
