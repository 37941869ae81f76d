"""Commands against live databases: plan, apply, drift, diff."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import psycopg

from ..apply import ApplyOptions, HazardsNotAllowed, StalePlan, TargetBusy, apply_plan
from ..errors import ZplusError
from ..live.dbdiff import diff_databases
from ..live.planner import PlanRequest, make_plan
from ..load import load
from ..plan import Hazard, Plan, PlanOptions
from ..plan.render import RENDERERS, render_text
from .base import EXIT_DIFFERENT, EXIT_ERROR, EXIT_OK, EXIT_REFUSED, F, cli, root_option
from .fleet_cmds import fleet_options

Conn = psycopg.Connection[tuple[object, ...]]


def connect(dsn: str, lock_timeout: str = "10s") -> Conn:
    """Open an autocommit connection, or raise one clear line saying why not.

    The session's lock_timeout also bounds catalog reads: introspection functions such as
    pg_get_expr take ACCESS SHARE locks, and a table held by a long transaction must make
    the run fail with a message, not hang.
    """
    try:
        conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        conn.execute("SELECT pg_catalog.set_config('lock_timeout', %s, false)", (lock_timeout,))
        return conn
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or ["connection failed"])[-1]
        raise ZplusError(f"cannot connect to {_safe(dsn)}: {first}",
                         hint="check host, port, database, user and password (or PGPASSFILE)"
                         ) from exc


def _safe(dsn: str) -> str:
    """Return the DSN without its password."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "the given DSN"
    info.pop("password", None)
    return " ".join(f"{k}={v}" for k, v in info.items())


def dsn_option(func: F) -> F:
    """Add --dsn (or ZPLUS_DSN) to a command."""
    return click.option("--dsn", envvar="ZPLUS_DSN", default=None,
                        help="libpq connection string or URI (env ZPLUS_DSN).")(func)


def target_options(func: F) -> F:
    """Add --target (repeatable), --modules and --concurrently."""
    func = click.option("--concurrently", is_flag=True,
                        help="Build and drop indexes on existing tables CONCURRENTLY.")(func)
    func = click.option("--modules", default=None,
                        help="Modules of a tenant target (default: from the registry, "
                             "else all).")(func)
    return click.option("--target", "targets", multiple=True,
                        metavar="system|tenant:SLUG|schema:NAME",
                        help="Schema to plan (repeatable).")(func)


def _request(targets: tuple[str, ...], modules: str | None, concurrently: bool) -> PlanRequest:
    mods = None if modules is None else [m.strip() for m in modules.split(",") if m.strip()]
    return PlanRequest(targets, mods, PlanOptions(concurrently=concurrently))


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


@cli.command()
@fleet_options("plan")
@root_option
@click.option("--dsn", envvar="ZPLUS_DSN", default=None,
              help="Database to plan against (env ZPLUS_DSN); with --from-git/--from-dir, "
                   "the registry to count tenants per module set.")
@click.option("--target", "targets", multiple=True, metavar="system|tenant:SLUG|schema:NAME",
              help="Schema to plan (repeatable).")
@click.option("--modules", default=None,
              help="Modules of a tenant target (default: from the registry, else all).")
@click.option("--concurrently", is_flag=True,
              help="Build and drop indexes on existing tables CONCURRENTLY.")
@click.option("--from-git", "from_git", metavar="REV",
              help="Offline: plan the working tree against the definitions at git REV.")
@click.option("--from-dir", "from_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Offline: plan the working tree against the project in DIR.")
@click.option("--format", "fmt", type=click.Choice(["text", "sql", "json", "markdown"]),
              default=None, help="Output format (default: text; markdown when offline).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the plan document (JSON, for apply --plan) to this file.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when the plan has changes.")
def plan(root: Path, dsn: str | None, targets: tuple[str, ...], modules: str | None,
         concurrently: bool, from_git: str | None, from_dir: Path | None, fmt: str | None,
         out: Path | None, detailed_exitcode: bool) -> int:
    """Show what apply would do to make the targets match the definitions."""
    if from_git or from_dir:
        return _offline(root, from_git, from_dir, dsn, fmt or "markdown", out,
                        detailed_exitcode)
    if dsn is None or not targets:
        raise ZplusError("plan needs --dsn and --target (or --from-git/--from-dir)",
                         hint="e.g. plan --dsn postgresql://... --target system")
    loaded = load(root)
    with connect(dsn) as conn:
        the_plan = make_plan(conn, loaded, _request(targets, modules, concurrently))
    _write_plan(the_plan, fmt or "text", out)
    return EXIT_DIFFERENT if detailed_exitcode and not the_plan.empty else EXIT_OK


def _write_plan(the_plan: Plan, fmt: str, out: Path | None) -> None:
    if out is not None:
        _emit(the_plan.to_json(), out)
    if fmt == "text":
        sys.stdout.write(render_text(the_plan, color=sys.stdout.isatty()))
    elif out is None or fmt != "json":
        sys.stdout.write(RENDERERS[fmt](the_plan))


def _offline(root: Path, rev: str | None, base_dir: Path | None, dsn: str | None, fmt: str,
             out: Path | None, detailed_exitcode: bool) -> int:
    from ..live.offline import offline_plan, render_offline_markdown, temp_checkout

    if rev and base_dir:
        raise ZplusError("give one of --from-git and --from-dir")
    if rev:
        tmp, base_root = temp_checkout(root, rev)
        with tmp:
            result = offline_plan(root, base_root, rev, dsn)
    else:
        assert base_dir is not None
        result = offline_plan(root, base_dir, str(base_dir), dsn)
    if fmt == "markdown":
        if out is not None:
            _emit(result.as_plan().to_json(), out)
        sys.stdout.write(render_offline_markdown(result))
    else:
        _write_plan(result.as_plan(), fmt, out)
    changed = not result.as_plan().empty
    return EXIT_DIFFERENT if detailed_exitcode and changed else EXIT_OK


@cli.command()
@fleet_options("apply")
@root_option
@dsn_option
@target_options
@click.option("--plan", "plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Apply exactly this reviewed plan (refused if a target changed since).")
@click.option("--allow-hazard", "allow", multiple=True,
              type=click.Choice([h.value for h in Hazard]), help="Allow a hazard (repeatable).")
@click.option("--lock-timeout", default="5s", show_default=True)
@click.option("--statement-timeout", default="60s", show_default=True)
@click.option("--dry-run", is_flag=True, help="Check everything, change nothing.")
def apply(root: Path, dsn: str, targets: tuple[str, ...], modules: str | None,
          concurrently: bool, plan_file: Path | None, allow: tuple[str, ...],
          lock_timeout: str, statement_timeout: str, dry_run: bool) -> int:
    """Apply the plan: one transaction per target, locked, time-limited, recorded."""
    loaded = load(root)
    if plan_file is not None:
        try:
            the_plan = Plan.from_json(plan_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ZplusError(f"{plan_file}: not a valid plan: {exc}") from exc
        wanted = set(targets)
        the_plan.targets = [t for t in the_plan.targets if t.target in wanted] or the_plan.targets
    else:
        with connect(dsn, lock_timeout) as conn:
            the_plan = make_plan(conn, loaded, _request(targets, modules, concurrently))
    opts = ApplyOptions(frozenset(Hazard(h) for h in allow), lock_timeout, statement_timeout,
                        dry_run, loaded.project.settings.system_schema)
    try:
        results = apply_plan(lambda: connect(dsn, lock_timeout), the_plan, opts)
    except (HazardsNotAllowed, StalePlan, TargetBusy) as exc:
        click.echo(f"refused: {exc.render()}", err=True)
        return EXIT_REFUSED
    failed = False
    for r in results:
        line = f"{r.target}: {r.outcome} ({r.statements} statement(s), {r.seconds:.2f}s)"
        if r.error:
            line += f": {r.error}"
        click.echo(line, err=r.outcome == "failed")
        for note in r.notes:
            click.echo(f"  warning: {note}", err=True)
        failed = failed or r.outcome == "failed"
    return EXIT_ERROR if failed else EXIT_OK


@cli.command()
@fleet_options("drift")
@root_option
@dsn_option
@target_options
def drift(root: Path, dsn: str, targets: tuple[str, ...], modules: str | None,
          concurrently: bool) -> int:
    """Exit 0 when the targets match the definitions, 2 (with a summary) when they drifted."""
    loaded = load(root)
    with connect(dsn) as conn:
        the_plan = make_plan(conn, loaded, _request(targets, modules, concurrently))
    for t in the_plan.targets:
        if t.empty:
            click.echo(f"{t.target}: in sync")
            continue
        objects = sorted({s.object for s in t.steps})
        click.echo(f"{t.target}: drifted ({len(objects)} object(s) differ)")
        for obj in objects:
            actions = sorted({s.action for s in t.steps if s.object == obj})
            click.echo(f"  {obj}: {', '.join(actions)}")
    return EXIT_OK if the_plan.empty else EXIT_DIFFERENT


@cli.command()
@click.argument("from_dsn")
@click.argument("to_dsn")
@click.option("--schema", "schemas", multiple=True, help="Schema to compare (default: all).")
@click.option("--format", "fmt", type=click.Choice(["sql", "json"]), default="sql",
              show_default=True)
@click.option("--unsafe", is_flag=True, help="Include statements that delete data.")
def diff(from_dsn: str, to_dsn: str, schemas: tuple[str, ...], fmt: str, unsafe: bool) -> int:
    """Print the SQL that turns database FROM into database TO."""
    with connect(from_dsn) as src, connect(to_dsn) as dst:
        the_plan = diff_databases(src, dst, list(schemas))
    destructive = sorted({s.object for t in the_plan.targets for s in t.steps
                          if Hazard.DELETES_DATA.value in s.hazards})
    if destructive and not unsafe:
        click.echo("refused: the difference deletes data: " + ", ".join(destructive), err=True)
        click.echo("    hint: review it and re-run with --unsafe to include those statements",
                   err=True)
        return EXIT_REFUSED
    sys.stdout.write(RENDERERS[fmt](the_plan))
    return EXIT_OK if the_plan.empty else EXIT_DIFFERENT


COMMANDS: list[Callable[..., Any]] = [plan, apply, drift, diff]
