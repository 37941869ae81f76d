"""Benchmark catalog introspection against `pg_dump --schema-only` on many tenant schemas.

Starts a throwaway PostgreSQL with the server's default settings (durability on, no tuning),
creates the Zplus system schema and N tenant schemas with every module, then times, in the
same run and alternating:

  (a) introspect() of all tenant schemas in one call,
  (b) `pg_dump --schema-only` of the whole database (the pg_dump of the server's bin dir),
  (c) introspect() of one tenant schema and of the system schema (per-call overhead).

Machines are shared and noisy: the figure to report is the ratio introspect / pg_dump, both
measured in the same run. Run from the repository root:

    python bench/introspect.py [--schemas 200] [--repeat 3] [--jobs 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, LiteralString

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # for tests/zplus.py when run as `python bench/...`

from tests.zplus import system_sql, tenant_sql, zplus  # noqa: E402
from zplus_schema.introspect import QUERIES, introspect  # noqa: E402
from zplus_schema.introspect.queries import load_query  # noqa: E402
from zplus_schema.server import ThrowawayServer  # noqa: E402

DBNAME = "zplus_bench"
BATCH = 25  # tenant scripts per transaction while loading

# Catalog counts of the benchmark database (user schemas only).
_USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
_COUNTS: dict[str, LiteralString] = {
    "schemas": "SELECT count(*) FROM pg_namespace n WHERE " + _USER_NS,
    "tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p') AND " + _USER_NS,
    "indexes": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('i', 'I') AND " + _USER_NS,
    "sequences": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind = 'S' AND " + _USER_NS,
    "views": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('v', 'm') AND " + _USER_NS,
    "constraints": "SELECT count(*) FROM pg_constraint k"
    " JOIN pg_namespace n ON n.oid = k.connamespace WHERE " + _USER_NS,
    "triggers": "SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid"
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT g.tgisinternal AND " + _USER_NS,
    "functions": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
    " WHERE " + _USER_NS,
    "pg_class rows (all)": "SELECT count(*) FROM pg_class",
}


@dataclass
class QueryLog:
    """What introspection sent to the server: one entry per execute(), with its duration."""

    entries: list[tuple[str, float]] = field(default_factory=list)

    def clear(self) -> None:
        self.entries.clear()

    @property
    def sql_seconds(self) -> float:
        return sum(seconds for _, seconds in self.entries)


def counting_cursor(log: QueryLog) -> type[psycopg.Cursor[Any]]:
    """Return a cursor class recording each execute() (server time plus transfer) in log.

    psycopg's client-side cursor receives the whole result inside execute(); turning rows
    into Python objects happens in fetch*(), so execute() time is the SQL side of the cost.
    """

    class CountingCursor(psycopg.Cursor[Any]):
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return super().execute(query, params, **kwargs)
            finally:
                text = query if isinstance(query, str) else repr(query)
                log.entries.append((_query_name(text), time.perf_counter() - start))

    return CountingCursor


def _query_name(text: str) -> str:
    """Return the sql/<name>.sql a query text comes from, else its first line."""
    for name in ("settings", *QUERIES):
        if text == load_query(name):
            return f"sql/{name}.sql"
    return text.strip().splitlines()[0][:60] if text.strip() else "(empty)"


@dataclass
class Timings:
    """Wall-clock seconds per measured operation, one entry per round."""

    runs: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.runs.setdefault(name, []).append(seconds)

    def median(self, name: str) -> float:
        return statistics.median(self.runs[name])

    def min(self, name: str) -> float:
        return min(self.runs[name])


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _load_batches(dsn: str, scripts: Sequence[str]) -> None:
    """Run tenant scripts on one connection, BATCH scripts per transaction."""
    with psycopg.connect(dsn) as conn:
        for first in range(0, len(scripts), BATCH):
            for script in scripts[first : first + BATCH]:
                conn.execute(script)
            conn.commit()


def load_database(dsn: str, tenants: Sequence[str], jobs: int) -> float:
    """Create the system schema and the tenant schemas (all modules); return seconds taken.

    Tenant scripts run on `jobs` connections at once: they only reference the system
    schema's functions (no foreign key to it), so they take no conflicting locks.
    """
    start = time.perf_counter()
    modules = list(zplus().project.module_names)
    with psycopg.connect(dsn) as conn:
        conn.execute(system_sql())
    scripts = [tenant_sql(schema, modules) for schema in tenants]
    shares = [scripts[i::jobs] for i in range(jobs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in [pool.submit(_load_batches, dsn, share) for share in shares if share]:
            done.result()
    return time.perf_counter() - start


def catalog_counts(conn: psycopg.Connection[Any], tenants: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, query in _COUNTS.items():
        row = conn.execute(query).fetchone()
        counts[name] = int(row[0]) if row else 0
    row = conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname = %s",
        (tenants[0],),
    ).fetchone()
    counts["tables per tenant"] = int(row[0]) if row else 0
    return counts


def pg_dump_argv(server: ThrowawayServer, dsn: str) -> list[str]:
    return [str(server.run_bin_dir / "pg_dump"), "--schema-only", "-f", os.devnull, "-d", dsn]


def run_pg_dump(argv: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    subprocess.run(argv, check=True, env=env, stdin=subprocess.DEVNULL, timeout=3600)


def describe_machine(conn: psycopg.Connection[Any], server: ThrowawayServer) -> list[str]:
    row = conn.execute("SELECT version()").fetchone()
    settings = conn.execute(
        "SELECT name, current_setting(name) FROM pg_settings WHERE name IN ('shared_buffers',"
        " 'work_mem', 'fsync', 'synchronous_commit', 'full_page_writes', 'jit',"
        " 'max_connections') ORDER BY name"
    ).fetchall()
    changed = conn.execute(
        "SELECT name FROM pg_settings WHERE source NOT IN ('default', 'override',"
        " 'environment variable', 'client', 'session')"
        " ORDER BY name"
    ).fetchall()
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"machine: {platform.machine()}, nproc {os.cpu_count()}, memory {mem_gib:.1f} GiB,"
        f" Python {platform.python_version()}, psycopg {psycopg.__version__}",
        f"server: {row[0] if row else '?'}",
        f"server bin dir: {server.run_bin_dir}",
        "settings: " + ", ".join(f"{n}={v}" for n, v in settings),
        "settings set by initdb's postgresql.conf or the command line: "
        + ", ".join(str(r[0]) for r in changed),
    ]


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def report(t: Timings, n: int, repeat: int) -> list[str]:
    dump_med, dump_min = t.median("pg_dump"), t.min("pg_dump")
    rows = [
        ("(a) introspect, all tenant schemas", "introspect_all"),
        ("(b) pg_dump --schema-only", "pg_dump"),
        ("(c) introspect, one tenant schema", "introspect_one"),
        ("(c) introspect, system schema", "introspect_system"),
    ]
    lines = [
        f"{'operation':<38} {'median':>12} {'min':>12} {'median/pg_dump':>15} {'min/pg_dump':>12}",
    ]
    for label, key in rows:
        med, low = t.median(key), t.min(key)
        lines.append(
            f"{label:<38} {fmt(med):>12} {fmt(low):>12} {med / dump_med:>15.3f}"
            f" {low / dump_min:>12.3f}"
        )
    lines.append(
        f"{'(a) per tenant schema':<38} {fmt(t.median('introspect_all') / n):>12}"
        f" {fmt(t.min('introspect_all') / n):>12}"
    )
    paired = [a / b for a, b in zip(t.runs["introspect_all"], t.runs["pg_dump"], strict=True)]
    lines.append(
        f"(a)/(b) per round (adjacent runs): {', '.join(f'{r:.3f}' for r in paired)};"
        f" median {statistics.median(paired):.3f}"
    )
    lines.append(f"({repeat} rounds; ratios of medians and of minima)")
    return lines


def measure(
    conn: psycopg.Connection[Any],
    log: QueryLog,
    tenants: list[str],
    system: str,
    dump_argv: list[str],
    repeat: int,
) -> tuple[Timings, list[float], int]:
    """Run the rounds; return timings, the SQL seconds of each (a) run and the query count."""
    t = Timings()
    sql_seconds: list[float] = []
    queries: set[int] = set()

    def intro_all() -> None:
        introspect(conn, tenants)

    # Warm-up (not counted): caches, catalog pages, psycopg prepared types, imports.
    introspect(conn, tenants)
    run_pg_dump(dump_argv)
    for rnd in range(repeat):
        # Alternate the order of (a) and (b) so drift in machine load hits both alike.
        order: Iterable[str] = ("a", "b") if rnd % 2 == 0 else ("b", "a")
        for step in order:
            if step == "a":
                log.clear()
                t.add("introspect_all", timed(intro_all))
                sql_seconds.append(log.sql_seconds)
                queries.add(len(log.entries))
            else:
                t.add("pg_dump", timed(lambda: run_pg_dump(dump_argv)))
        for key, names in (("introspect_one", tenants[:1]), ("introspect_system", [system])):
            log.clear()
            t.add(key, timed(partial(introspect, conn, names)))
            queries.add(len(log.entries))
        print(
            f"  round {rnd + 1}/{repeat}: introspect all {fmt(t.runs['introspect_all'][-1])},"
            f" pg_dump {fmt(t.runs['pg_dump'][-1])}",
            flush=True,
        )
    if len(queries) != 1:
        print(f"warning: query count varies between calls: {sorted(queries)}")
    return t, sql_seconds, max(queries)


def per_query(conn: psycopg.Connection[Any], log: QueryLog, tenants: list[str]) -> list[str]:
    log.clear()
    introspect(conn, tenants)
    entries = sorted(log.entries, key=lambda e: -e[1])
    return [f"  {seconds * 1000:8.1f} ms  {text}" for text, seconds in entries]


def profile(conn: psycopg.Connection[Any], tenants: list[str], top: int = 25) -> str:
    prof = cProfile.Profile()
    prof.runcall(introspect, conn, tenants)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--schemas", type=int, default=200, help="tenant schemas (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument("--profile", action="store_true", help="cProfile one (a) call at the end")
    parser.add_argument(
        "--jobs", type=int, default=min(4, os.cpu_count() or 1), help="connections loading tenants"
    )
    args = parser.parse_args(argv)
    if min(args.schemas, args.repeat, args.jobs) < 1:
        parser.error("--schemas, --repeat and --jobs must be at least 1")

    wall = time.perf_counter()
    project = zplus().project
    system = project.settings.system_schema
    width = max(4, len(str(args.schemas)))
    tenants = [f"tenant_{i:0{width}d}" for i in range(1, args.schemas + 1)]

    with ThrowawayServer(fast=False) as server:
        with psycopg.connect(server.dsn(), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))
        dsn = server.dsn(DBNAME)
        print(f"server up (PostgreSQL {server.version}, default settings); loading ...", flush=True)
        load_seconds = load_database(dsn, tenants, args.jobs)
        print(f"loaded system + {len(tenants)} tenant schemas in {load_seconds:.1f} s", flush=True)

        log = QueryLog()
        with psycopg.connect(dsn, autocommit=True, cursor_factory=counting_cursor(log)) as conn:
            # Steady state for both contenders: fresh stats and no autovacuum mid-measurement.
            vacuum_seconds = timed(lambda: conn.execute("VACUUM ANALYZE"))
            machine = describe_machine(conn, server)
            counts = catalog_counts(conn, tenants)
            dump_argv = pg_dump_argv(server, dsn)
            print(f"VACUUM ANALYZE {vacuum_seconds:.1f} s; measuring ...", flush=True)
            t, sql_seconds, n_queries = measure(conn, log, tenants, system, dump_argv, args.repeat)
            slowest = per_query(conn, log, tenants)
            prof_text = profile(conn, tenants) if args.profile else ""

    print()
    print("\n".join(machine))
    print(f"database: system schema {system!r} + {len(tenants)} tenant schemas, all modules")
    for name, value in counts.items():
        print(f"  {name:<22} {value:>8}")
    print(f"load {load_seconds:.1f} s ({args.jobs} connections, {BATCH} tenants per transaction)")
    print()
    print("\n".join(report(t, len(tenants), args.repeat)))
    all_med = t.median("introspect_all")
    sql_med = statistics.median(sql_seconds)
    print()
    print(
        f"queries per introspect() call: {n_queries}"
        f" (settings + {len(QUERIES)} catalog queries expected: {len(QUERIES) + 1})"
    )
    print(
        f"(a) split, median: SQL (execute incl. transfer) {fmt(sql_med)} ({sql_med / all_med:.0%}),"
        f" Python (row objects, model building) {fmt(all_med - sql_med)}"
        f" ({1 - sql_med / all_med:.0%})"
    )
    print("(a) per query, one extra call, slowest first:")
    print("\n".join(slowest))
    verdict = "MET" if t.median("introspect_all") < t.median("pg_dump") else "NOT MET"
    print()
    print(
        f"goal 'introspection faster than pg_dump --schema-only': {verdict}"
        f" (ratio of medians {t.median('introspect_all') / t.median('pg_dump'):.3f})"
    )
    if prof_text:
        print()
        print(prof_text)
    print(f"whole benchmark: {time.perf_counter() - wall:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
