"""Benchmark fleet runs on one server with many tenants (all modules), against floors.

Starts a throwaway PostgreSQL with the server's default settings (durability on, no tuning:
not the tests' fast settings), creates the Zplus system schema and N registered tenants,
then measures, in the same run and alternating with each baseline:

  (c) provisioning: K registered tenants without a schema created by `apply --all-tenants
      --only THEM` (the engine path: one plan for the group, each tenant in its own
      transaction),
      against psql running the compiled tenant scripts for K other schemas, one
      transaction each; figure: tenants/s and the ratio of the times.
  (a) `drift --all-tenants` with nothing to do (after one untimed run has read the fleet
      and remembered it: the usual case), and with `--full-read` (every schema read in
      full, as a first run does), against `psql -c` of one catalog query (process start
      included in all); `pg_dump --schema-only` fails on this database at server defaults.
  (b) `apply --all-tenants` of "add a column and an index to customers", against psql
      running the same statements for all N schemas in one script (one transaction per
      schema, as the fleet does); both are undone (untimed) before the next measurement.
      The statements come from the fleet's own plan, made in-process first, which also
      remembers the normalized model: each timed apply is an apply after its plan, as in
      a pipeline that plans, then applies. The undo changes every tenant by hand, so an
      untimed drift reads the fleet again before each apply; `apply --full-read` is timed
      as well.

The CLI runs as a subprocess (`python -m zplus_schema.cli`), as a user would run it, so its
times include interpreter start and loading the YAML. Run from the repository root:

    python bench/fleet.py [--tenants 1000] [--repeat 3] [--jobs 4] [--create 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # for tests/ when run as `python bench/...`

from tests.fleetutil import project_copy  # noqa: E402
from tests.zplus import system_sql, tenant_sql, zplus  # noqa: E402
from zplus_schema.fleet import load_config  # noqa: E402
from zplus_schema.fleet.grouping import plan_fleet  # noqa: E402
from zplus_schema.fleet.inventory import take_inventory  # noqa: E402
from zplus_schema.load import load  # noqa: E402
from zplus_schema.server import ThrowawayServer  # noqa: E402

DBNAME = "zplus_bench"
BATCH = 25
# A tenant's schema name (prefix + slug), so the compiled script carries its tenant role and
# grants; cloning replaces the schema name (also the role's), then the slug (its comment).
PLACEHOLDER_SLUG = "zplusbenchplaceholder"
PLACEHOLDER = "tenant_" + PLACEHOLDER_SLUG
# The one-query baseline of (a): every column definition of every tenant table.
CATALOG_QUERY = ("SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c "
                 "ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = "
                 "c.relnamespace WHERE n.nspname LIKE 'tenant%'")
Conn = psycopg.Connection[tuple[Any, ...]]


def timed(fn: Callable[[], object]) -> float:
    """Return the wall-clock seconds `fn` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(argv: Sequence[str], expect: int = 0, env: dict[str, str] | None = None) -> None:
    """Run a process; fail loudly (with its stderr) if it exits otherwise than `expect`."""
    done = subprocess.run(list(argv), env=env, capture_output=True, text=True, timeout=7200,
                          stdin=subprocess.DEVNULL)
    if done.returncode != expect:
        raise SystemExit(f"{argv[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}")


def cli(root: Path, dsn: str, *argv: str) -> list[str]:
    """Return the argv of `zplus-schema ARGV --root ROOT --dsn DSN` in a fresh interpreter."""
    return [sys.executable, "-m", "zplus_schema.cli", *argv, "--root", str(root), "--dsn", dsn]


def clean_env() -> dict[str, str]:
    """Return the environment without PG* variables, with the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PYTHONPATH"] = str(REPO)
    return env


def register_rows(conn: Conn, slugs: Sequence[str], modules: Sequence[str]) -> None:
    """Register tenants with every module, in one transaction (as sandbox.py does)."""
    project = zplus().project
    with conn.transaction():
        for name in modules:
            module = project.module(name)
            conn.execute("INSERT INTO public.modules (name, display_name, version) VALUES "
                         "(%s, %s, %s) ON CONFLICT (name) DO NOTHING",
                         (name, module.display_name if module else name,
                          module.version if module and module.version else "0"))
        for slug in slugs:
            row = conn.execute("INSERT INTO public.tenants (slug, name) VALUES (%s, %s) "
                               "RETURNING id", (slug, slug)).fetchone()
            assert row is not None
            conn.execute("INSERT INTO public.tenant_schemas (tenant_id, schema_name, "
                         "database_name) VALUES (%s, %s, current_database())",
                         (row[0], "tenant_" + slug))
            conn.execute("INSERT INTO public.tenant_modules (tenant_id, module_id) "
                         "SELECT %s, id FROM public.modules", (row[0],))


def clone_tenants(dsn: str, schemas: Sequence[str], jobs: int) -> None:
    """Create tenant schemas from one compiled script with the schema name substituted."""
    template = tenant_sql(PLACEHOLDER, list(zplus().project.module_names))
    shares = [list(schemas[i::jobs]) for i in range(jobs)]

    def load_share(share: list[str]) -> None:
        with psycopg.connect(dsn) as conn:
            for first in range(0, len(share), BATCH):
                for schema in share[first:first + BATCH]:
                    conn.execute(template.replace(PLACEHOLDER, schema).replace(
                        PLACEHOLDER_SLUG, schema.removeprefix("tenant_")))
                conn.commit()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for done in [pool.submit(load_share, s) for s in shares if s]:
            done.result()


def psql_script(path: Path, per_schema: dict[str, list[str]]) -> Path:
    """Write a psql script running each schema's statements in its own transaction."""
    parts = []
    for statements in per_schema.values():
        parts.append("BEGIN;\n" + "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
                     + "COMMIT;\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def psql(server: ThrowawayServer, dsn: str, *args: str) -> list[str]:
    """Return the argv of the server's own psql, quiet, stopping at the first error."""
    return [str(server.run_bin_dir / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn,
            *args]


def fleet_statements(root: Path, dsn: str) -> dict[str, list[str]]:
    """Return schema -> the statements `apply --all-tenants` would run (from its plan)."""
    loaded = load(root)
    config = load_config(root, dsn)
    fleet = plan_fleet(config, loaded, take_inventory(config, loaded.project))
    return {t.record.schema: [s.sql for s in g.plan_for(t).steps]
            for g in fleet.groups for t in g.tenants if not g.empty}


def undo_change(server: ThrowawayServer, dsn: str, schemas: Sequence[str],
                scratch: Path) -> None:
    """Drop the benchmark's column and index again in every schema (untimed)."""
    script = psql_script(scratch / "undo.sql", {s: [
        sql.SQL("DROP INDEX IF EXISTS {}.idx_customers_loyalty_tier").format(
            sql.Identifier(s)).as_string(None),
        sql.SQL("ALTER TABLE {}.customers DROP COLUMN IF EXISTS loyalty_tier").format(
            sql.Identifier(s)).as_string(None)] for s in schemas})
    run(psql(server, dsn, "-f", str(script)), env=clean_env())


def stats(values: list[float]) -> str:
    """Return `median (min)` in seconds."""
    return f"{statistics.median(values):.2f} s (min {min(values):.2f} s)"


def ratio(a: list[float], b: list[float]) -> str:
    """Return the ratio of medians and the per-round ratios."""
    rounds = ", ".join(f"{x / y:.2f}" for x, y in zip(a, b, strict=True))
    return f"{statistics.median(a) / statistics.median(b):.2f} (per round {rounds})"


def measure_create(server: ThrowawayServer, dsn: str, root: Path, k: int, repeat: int,
                   scratch: Path) -> list[str]:
    """(c): K tenants provisioned by the fleet apply vs the compiled scripts in psql.

    Each round provisions K new tenants both ways, in alternating order; the psql ones
    are dropped again (untimed), the engine's stay (they are registered tenants).
    """
    modules = list(zplus().project.module_names)
    engine: list[float] = []
    floor: list[float] = []
    for i in range(repeat):
        slugs = [f"c{i}{j:03d}" for j in range(k)]
        with psycopg.connect(dsn, autocommit=True) as conn:
            register_rows(conn, slugs, modules)
        # As a `tenants create` would: only the new tenants (--only), the rest untouched;
        # creating a tenant grants its role its access (changes_authorization is the point).
        argv = cli(root, dsn, "apply", "--all-tenants", "--only", ",".join(slugs), "--jobs", "4",
                   "--allow-hazard", "changes_authorization")
        others = [f"tenant_p{i}{j:03d}" for j in range(k)]
        script = psql_script(scratch / "create.sql", {s: [tenant_sql(s, modules)]
                                                      for s in others})
        steps = [(engine, partial(run, argv, env=clean_env())),
                 (floor, partial(run, psql(server, dsn, "-f", str(script)), env=clean_env()))]
        for bucket, fn in steps if i % 2 == 0 else steps[::-1]:
            bucket.append(timed(fn))
        with psycopg.connect(dsn, autocommit=True) as conn:
            for schema in others:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    rate = [k / t for t in engine]
    return [f"(c) provisioning {k} tenants (all modules), {repeat} rounds:",
            f"    apply --all-tenants --only <them> (registered, no schema yet): "
            f"{stats(engine)}, {statistics.median(rate):.1f} tenants/s (median)",
            f"    psql, compiled scripts, one transaction each: {stats(floor)}, "
            f"{k / statistics.median(floor):.1f} tenants/s",
            f"    ratio engine / psql: {ratio(engine, floor)}"]


def pg_dump_works(server: ThrowawayServer, dsn: str) -> str | None:
    """Return why `pg_dump --schema-only` fails on this database, or None if it works.

    With initdb's max_locks_per_transaction (64), pg_dump cannot lock ~24,000 tables.
    """
    done = subprocess.run([str(server.run_bin_dir / "pg_dump"), "--schema-only", "-f",
                           os.devnull, "-d", dsn], env=clean_env(), capture_output=True,
                          text=True, timeout=3600, stdin=subprocess.DEVNULL)
    return None if done.returncode == 0 else done.stderr.strip().splitlines()[0]


def measure_drift(server: ThrowawayServer, dsn: str, root: Path, repeat: int) -> list[str]:
    """(a): drift --all-tenants with nothing to do vs one catalog query (and pg_dump).

    One untimed drift first: it reads every schema and remembers what it found with each
    schema's change stamp (zplus_meta.fleet_state), as any earlier run would have. `drift`
    is then the usual case, nothing changed since; `drift --full-read` reads every schema
    in full, as a first run (or one after a change to every tenant) does.
    """
    env = clean_env()
    dump_error = pg_dump_works(server, dsn)
    run(cli(root, dsn, "drift", "--all-tenants"), env=env)
    timings: dict[str, list[float]] = {"drift": [], "full": [], "query": [], "pg_dump": []}
    steps = [("drift", lambda: run(cli(root, dsn, "drift", "--all-tenants"), env=env)),
             ("query", lambda: run(psql(server, dsn, "-c", CATALOG_QUERY), env=env)),
             ("full", lambda: run(cli(root, dsn, "drift", "--all-tenants", "--full-read"),
                                  env=env))]
    if dump_error is None:
        steps.append(("pg_dump", lambda: run([str(server.run_bin_dir / "pg_dump"),
                                              "--schema-only", "-f", os.devnull, "-d", dsn],
                                             env=env)))
    for i in range(repeat):
        for name, fn in steps if i % 2 == 0 else steps[::-1]:
            timings[name].append(timed(fn))
    drift, query, dump = timings["drift"], timings["query"], timings["pg_dump"]
    lines = ["(a) drift --all-tenants, nothing to do:", f"    drift: {stats(drift)}",
             f"    drift --full-read: {stats(timings['full'])}",
             f"    psql -c one catalog query ({CATALOG_QUERY}): {stats(query)}",
             f"    ratio drift / one catalog query: {ratio(drift, query)}",
             f"    ratio drift --full-read / one catalog query: {ratio(timings['full'], query)}"]
    if dump:
        lines += [f"    pg_dump --schema-only: {stats(dump)}",
                  f"    ratio drift / pg_dump: {ratio(drift, dump)}"]
    else:
        lines.append(f"    pg_dump --schema-only: fails here: {dump_error}")
    return lines


def measure_apply(server: ThrowawayServer, dsn: str, roots: tuple[Path, Path], repeat: int,
                  jobs: int, scratch: Path) -> list[str]:
    """(b): apply --all-tenants of the customers change vs psql running the same SQL.

    Each undo changes every tenant by hand, so before each `apply` an untimed `drift`
    (with the unchanged project) reads the fleet again, as a run between two deploys
    would; `apply --full-read` is timed too, reading every schema in full itself.
    """
    root, changed = roots
    statements = fleet_statements(changed, dsn)
    script = psql_script(scratch / "change.sql", statements)
    env = clean_env()
    argv = cli(changed, dsn, "apply", "--all-tenants", "--jobs", str(jobs), "--allow-hazard",
               "builds_index")
    times: dict[str, list[float]] = {"apply": [], "full": [], "psql": []}

    def warm_apply() -> float:
        run(cli(root, dsn, "drift", "--all-tenants"), env=env)
        return timed(lambda: run(argv, env=env))

    steps: list[tuple[str, Callable[[], float]]] = [
        ("apply", warm_apply),
        ("psql", lambda: timed(lambda: run(psql(server, dsn, "-f", str(script)), env=env))),
        ("full", lambda: timed(lambda: run([*argv, "--full-read"], env=env)))]
    for i in range(repeat):
        for name, fn in steps if i % 2 == 0 else steps[::-1]:
            times[name].append(fn())
            undo_change(server, dsn, list(statements), scratch)
    return [f"(b) apply --all-tenants, add a column and an index to customers "
            f"({len(statements)} schemas, --jobs {jobs}):",
            f"    apply: {stats(times['apply'])}",
            f"    apply --full-read: {stats(times['full'])}",
            f"    psql, same statements: {stats(times['psql'])}",
            f"    ratio apply / psql: {ratio(times['apply'], times['psql'])}",
            f"    ratio apply --full-read / psql: {ratio(times['full'], times['psql'])}"]


def setup(server: ThrowawayServer, n: int, k: int, jobs: int) -> str:
    """Create the database, the system schema and N-K registered cloned tenants."""
    with psycopg.connect(server.dsn(), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))
    dsn = server.dsn(DBNAME)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(system_sql())
        slugs = [f"t{i:04d}" for i in range(n - k)]
        register_rows(conn, slugs, list(zplus().project.module_names))
    clone_tenants(dsn, ["tenant_" + s for s in slugs], jobs)
    return dsn


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fleet benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tenants", type=int, default=1000, help="tenants (default 1000)")
    parser.add_argument("--create", type=int, default=20,
                        help="tenants provisioned by apply --all-tenants per round of (c), "
                             "out of --tenants (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of (a), (b), (c)")
    parser.add_argument("--jobs", type=int, default=4, help="apply --jobs (default 4)")
    parser.add_argument("--load-jobs", type=int, default=2, help="connections for cloning")
    args = parser.parse_args(argv)
    with ThrowawayServer(fast=False) as server, tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        root = project_copy(scratch / "project")
        changed = project_copy(scratch / "changed", change=True)
        started = time.perf_counter()
        dsn = setup(server, args.tenants, args.create * args.repeat, args.load_jobs)
        print(f"PostgreSQL {server.version}, server defaults (fast=False); "
              f"{args.tenants - args.create * args.repeat} cloned tenants in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        lines = measure_create(server, dsn, root, args.create, args.repeat, scratch)
        print("\n".join(lines), flush=True)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
            load_avg = os.getloadavg()
        print(f"load average before (a)/(b): {load_avg[0]:.2f}", flush=True)
        print("\n".join(measure_drift(server, dsn, root, args.repeat)), flush=True)
        print("\n".join(measure_apply(server, dsn, (root, changed), args.repeat, args.jobs,
                                       scratch)),
              flush=True)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
