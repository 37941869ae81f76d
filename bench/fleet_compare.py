"""Compare the fleet commands of two source trees on one database, in the same run.

Starts a throwaway PostgreSQL with the server's defaults, creates N tenants as
bench/fleet.py does, then runs R rounds, alternating which tree goes first, of
`drift --all-tenants` and `apply --all-tenants --jobs 4` (the customers change, undone
after each measurement, untimed) with this tree and with BASELINE (another checkout, e.g.
a git worktree of main), and psql running the same statements. Prints per-round ratios.

    python bench/fleet_compare.py --baseline /path/to/main [--tenants 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from bench.fleet import (  # noqa: E402
    clean_env,
    cli,
    fleet_statements,
    project_copy,
    psql,
    psql_script,
    setup,
    timed,
    undo_change,
)
from zplus_schema.server import ThrowawayServer  # noqa: E402


def env_of(tree: Path) -> dict[str, str]:
    """Return the environment that runs the CLI of `tree`."""
    env = clean_env()
    env["PYTHONPATH"] = str(tree)
    return env


def run_in(tree: Path, argv: Sequence[str], env: dict[str, str]) -> None:
    """Run a process in `tree`: `python -m` imports from its working directory first."""
    done = subprocess.run(list(argv), env=env, cwd=tree, capture_output=True, text=True,
                          timeout=7200, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{argv[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}")


def per_round(a: list[float], b: list[float]) -> str:
    """Return the ratios a/b of each round."""
    return ", ".join(f"{x / y:.2f}" for x, y in zip(a, b, strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print its figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the other tree")
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    trees = {"baseline": args.baseline.resolve(), "this": REPO}
    times: dict[str, list[float]] = {}
    with ThrowawayServer(fast=False) as server, tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        root, changed = project_copy(scratch / "p"), project_copy(scratch / "c", change=True)
        dsn = setup(server, args.tenants, 0, 2)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        statements = fleet_statements(changed, dsn)
        script = psql_script(scratch / "change.sql", statements)
        apply_args = ("apply", "--all-tenants", "--jobs", "4", "--allow-hazard", "builds_index")
        for i in range(args.repeat):
            order = list(trees) if i % 2 == 0 else list(trees)[::-1]
            for name in order:
                times.setdefault(f"drift {name}", []).append(timed(partial(
                    run_in, trees[name], cli(root, dsn, "drift", "--all-tenants"),
                    env_of(trees[name]))))
            for name in [*order, "psql"]:
                argv_ = (psql(server, dsn, "-f", str(script)) if name == "psql"
                         else cli(changed, dsn, *apply_args))
                tree = trees["this" if name == "psql" else name]
                times.setdefault(f"apply {name}", []).append(timed(partial(
                    run_in, tree, argv_, env_of(tree))))
                undo_change(server, dsn, list(statements), scratch)
    for key, values in times.items():
        print(f"{key}: median {statistics.median(values):.2f} s, min {min(values):.2f} s, "
              f"rounds {', '.join(f'{v:.2f}' for v in values)}")
    print("drift baseline / this:", per_round(times["drift baseline"], times["drift this"]))
    print("apply baseline / this:", per_round(times["apply baseline"], times["apply this"]))
    for name in trees:
        print(f"apply {name} / psql:", per_round(times[f"apply {name}"], times["apply psql"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
