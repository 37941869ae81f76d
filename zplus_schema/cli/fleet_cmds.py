"""`--all-tenants` for plan, apply and drift: the whole fleet, grouped, in parallel.

The engine commands keep their single-target behaviour; `fleet_options` adds the fleet
options to them and hands the run over to the fleet layer when --all-tenants is given.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..apply import ApplyOptions, HazardsNotAllowed
from ..errors import ZplusError
from ..fleet import load_config
from ..fleet.grouping import FleetPlan, plan_fleet
from ..fleet.inventory import take_inventory
from ..fleet.lock import FleetBusy, fleet_lock
from ..fleet.progress import Progress
from ..fleet.report import RENDERERS, render_fleet_drift, render_fleet_json
from ..fleet.runner import RunOptions, run_fleet
from ..fleet.summary import EXIT_PARTIAL, exit_code, problem_lines, summary_table
from ..load import Loaded, load
from ..plan import Hazard, PlanOptions
from .base import EXIT_DIFFERENT, EXIT_OK, EXIT_REFUSED, F

FLEET_ONLY = ("all_tenants", "only", "config", "full_read", "jobs", "canary", "retries",
              "wait")


def fleet_options(command: str) -> Callable[[F], F]:
    """Add --all-tenants, --only, --config (and, for apply, --jobs ...) to a command."""
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> Any:
            fleet = {k: kwargs.pop(k) for k in FLEET_ONLY if k in kwargs}
            if fleet["all_tenants"]:
                return HANDLERS[command](**kwargs, **fleet)
            _single_target_checks(command, kwargs, fleet)
            return func(**kwargs)

        for option in reversed(_options(command)):
            wrapper = option(wrapper)
        return wrapper  # type: ignore[return-value]
    return decorate


def _options(command: str) -> list[Callable[[Any], Any]]:
    opts = [click.option("--all-tenants", is_flag=True,
                         help="Every tenant in the registry, on every server (zplus.yaml)."),
            click.option("--only", default=None, metavar="SLUG,...",
                         help="With --all-tenants: only these tenants."),
            click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                         default=None, help="Servers file (default: zplus.yaml in --root)."),
            click.option("--full-read", is_flag=True,
                         help="With --all-tenants: read every schema in full, even those "
                              "whose change stamp says they are as last read.")]
    if command == "apply":
        opts += [click.option("--jobs", type=click.IntRange(1, 64), default=4,
                              show_default=True, help="Tenants applied at the same time."),
                 click.option("--canary", type=click.IntRange(0), default=0,
                              help="Apply this many tenants first; stop if one fails."),
                 click.option("--retries", type=click.IntRange(0), default=2,
                              show_default=True, help="Retries of a failing tenant."),
                 click.option("--wait", is_flag=True,
                              help="Wait for a running fleet apply instead of refusing.")]
    return opts


def _single_target_checks(command: str, kwargs: dict[str, Any], fleet: dict[str, Any]) -> None:
    used = [f"--{k.replace('_', '-')}" for k in ("only", "config", "full_read")
            if fleet.get(k)]
    if used:
        raise ZplusError(f"{', '.join(used)} only work with --all-tenants")
    if command != "plan" and not kwargs.get("targets"):
        raise ZplusError(f"{command} needs --target or --all-tenants",
                         hint="e.g. --target tenant:acme, or --all-tenants")
    if command != "plan" and not kwargs.get("dsn"):
        raise ZplusError(f"{command} --target needs --dsn (or ZPLUS_DSN)")


def _refuse_single_target_options(kwargs: dict[str, Any]) -> None:
    for key, flag in (("targets", "--target"), ("modules", "--modules"),
                      ("plan_file", "--plan"), ("from_git", "--from-git"),
                      ("from_dir", "--from-dir")):
        if kwargs.get(key):
            raise ZplusError(f"{flag} cannot be combined with --all-tenants",
                             hint="tenants and their modules come from the registry")


def _fleet_plan(kwargs: dict[str, Any], loaded: Loaded | None = None) -> FleetPlan:
    _refuse_single_target_options(kwargs)
    loaded = loaded or load(kwargs["root"])
    config = load_config(kwargs["root"], kwargs.get("dsn"), kwargs.get("config"))
    only = _slugs(kwargs.get("only"))
    inventory = take_inventory(config, loaded.project, only,
                               kwargs.get("lock_timeout") or "10s",
                               full_read=bool(kwargs.get("full_read")))
    options = PlanOptions(concurrently=bool(kwargs.get("concurrently")))
    return plan_fleet(config, loaded, inventory, options)


def _slugs(text: str | None) -> list[str] | None:
    return None if text is None else [s.strip() for s in text.split(",") if s.strip()]


def _unreachable_lines(fleet: FleetPlan) -> None:
    for server, reason in sorted(fleet.unreachable.items()):
        n = sum(1 for t in fleet.stranded if t.record.server == server)
        click.echo(f"error: {reason} ({n} tenant(s) not reached)", err=True)
    for t in fleet.stranded:
        if t.error:
            click.echo(f"error: {t.label}: {t.error}", err=True)


def fleet_plan_cmd(**kwargs: Any) -> int:
    """Show the plan of every tenant, once per group of identical tenants."""
    fleet = _fleet_plan(kwargs)
    fmt = kwargs.get("fmt") or "text"
    if kwargs.get("out") is not None:
        kwargs["out"].write_text(render_fleet_json(fleet), encoding="utf-8")
        click.echo(f"wrote {kwargs['out']}", err=True)
    sys.stdout.write(RENDERERS.get(fmt, RENDERERS["text"])(fleet))
    _unreachable_lines(fleet)
    if fleet.stranded:
        return EXIT_PARTIAL
    return EXIT_DIFFERENT if kwargs.get("detailed_exitcode") and not fleet.empty else EXIT_OK


def fleet_drift_cmd(**kwargs: Any) -> int:
    """Exit 0 when every tenant matches the definitions, 2 when some drifted."""
    fleet = _fleet_plan(kwargs)
    sys.stdout.write(render_fleet_drift(fleet))
    _unreachable_lines(fleet)
    if fleet.stranded:
        return EXIT_PARTIAL
    return EXIT_OK if fleet.empty else EXIT_DIFFERENT


def fleet_apply_cmd(**kwargs: Any) -> int:
    """Apply every tenant under the fleet lock; exit 0, 4 (some failed), 1 or 3 (refused)."""
    _refuse_single_target_options(kwargs)
    loaded = load(kwargs["root"])
    config = load_config(kwargs["root"], kwargs.get("dsn"), kwargs.get("config"))
    system = loaded.project.settings.system_schema
    opts = RunOptions(
        ApplyOptions(frozenset(Hazard(h) for h in kwargs.get("allow", ())),
                     kwargs["lock_timeout"], kwargs["statement_timeout"],
                     bool(kwargs.get("dry_run")), system),
        jobs=kwargs["jobs"], canary=kwargs["canary"], retries=kwargs["retries"],
        recheck=False)  # planned just now, under the fleet lock: after.py checks
    try:
        with fleet_lock(config, system, kwargs["wait"]):
            fleet = _fleet_plan(kwargs, loaded)
            click.echo(render_fleet_drift(fleet).rstrip("\n"), err=True)
            if opts.apply.dry_run:
                sys.stdout.write(render_fleet_drift(fleet))
                return EXIT_PARTIAL if fleet.stranded else EXIT_OK
            progress = Progress(fleet.tenant_count - len(fleet.stranded))
            outcomes = run_fleet(config, fleet, opts, progress.tick)
    except (HazardsNotAllowed, FleetBusy) as exc:
        click.echo(f"refused: {exc.render()}", err=True)
        return EXIT_REFUSED
    sys.stdout.write(summary_table(outcomes))
    for line in problem_lines(outcomes):
        click.echo(line, err=True)
    return exit_code(outcomes)


HANDLERS: dict[str, Callable[..., int]] = {
    "plan": fleet_plan_cmd, "apply": fleet_apply_cmd, "drift": fleet_drift_cmd}
