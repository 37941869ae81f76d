"""`zplus-schema tenants ...`: create, list, show, suspend/resume, modules, data, backup, move."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..apply import HazardsNotAllowed
from ..fleet import load_config
from ..fleet.tenant_context import TenantFleet, TenantRefused
from ..load import load
from ..plan import Hazard
from .base import EXIT_DIFFERENT, EXIT_OK, EXIT_REFUSED, F, cli, root_option


def _fleet_options(func: F) -> F:
    func = click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                        help="Servers file (default: ROOT/zplus.yaml).")(func)
    func = click.option("--dsn", envvar="ZPLUS_DSN", default=None,
                        help="The registry server (env ZPLUS_DSN); overrides zplus.yaml.")(func)
    return root_option(func)


def _runs(func: Callable[..., int]) -> Callable[..., int]:
    """Open the fleet for a command, close it after; a refusal exits 3 with one line + hint."""
    @functools.wraps(func)
    def wrapper(root: Path, dsn: str | None, config: Path | None, **kwargs: Any) -> int:
        fleet = TenantFleet(load(root), load_config(root, dsn, config))
        try:
            return func(fleet, **kwargs)
        except (TenantRefused, HazardsNotAllowed) as exc:
            click.echo(f"refused: {exc.render()}", err=True)
            return EXIT_REFUSED
        finally:
            fleet.close()
    return wrapper


def _echo(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


@cli.group()
def tenants() -> None:
    """Manage tenants: lifecycle, modules, reference data, backups, moves."""


@tenants.command("create")
@_fleet_options
@click.argument("slug")
@click.option("--name", required=True, help="Display name of the tenant.")
@click.option("--modules", default="", help="Comma-separated modules to enable.")
@click.option("--server", default=None, help="Server (zplus.yaml name) for the schema.")
@_runs
def create_cmd(fleet: TenantFleet, slug: str, name: str, modules: str,
               server: str | None) -> int:
    """Register a tenant and build its schema, modules and reference data (all or nothing)."""
    from ..fleet.tenants import create_tenant

    names = [m.strip() for m in modules.split(",") if m.strip()]
    _echo(create_tenant(fleet, slug, name, names, server).lines)
    return EXIT_OK


@tenants.command("list")
@_fleet_options
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--no-check", is_flag=True, help="Registry only: skip the live drift check.")
@_runs
def list_cmd(fleet: TenantFleet, fmt: str, no_check: bool) -> int:
    """List tenants: slug, status, server, modules, schema fingerprint, in sync or drifted."""
    from ..fleet.tenant_report import render_table, tenant_states

    states = tenant_states(fleet, None, not no_check)
    if fmt == "json":
        click.echo(json.dumps([s.as_json() for s in states], indent=2))
    else:
        sys.stdout.write(render_table(states))
    return EXIT_OK


@tenants.command("show")
@_fleet_options
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_runs
def show_cmd(fleet: TenantFleet, slug: str, fmt: str) -> int:
    """Show one tenant with its modules, fingerprint and any drift."""
    from ..fleet.tenant_report import render_show, tenant_states
    from ..fleet.tenants import check_slug

    check_slug(slug)
    (state,) = tenant_states(fleet, [slug])
    if fmt == "json":
        click.echo(json.dumps(state.as_json(), indent=2))
    else:
        sys.stdout.write(render_show(state))
    return EXIT_OK


def _status_command(name: str, status: str, doc: str) -> None:
    @tenants.command(name, help=doc)
    @_fleet_options
    @click.argument("slug")
    @_runs
    def command(fleet: TenantFleet, slug: str) -> int:
        from ..fleet.tenants import set_status

        _echo(set_status(fleet, slug, status).lines)
        return EXIT_OK


_status_command("suspend", "suspended", "Suspend a tenant (status suspended; data untouched).")
_status_command("resume", "active", "Resume a suspended tenant (status active).")


@tenants.command("enable-module")
@_fleet_options
@click.argument("slug")
@click.argument("module")
@_runs
def enable_cmd(fleet: TenantFleet, slug: str, module: str) -> int:
    """Enable a module: its tables (via the engine plan) and permissions, in one transaction."""
    from ..fleet.tenants import enable_module

    _echo(enable_module(fleet, slug, module).lines)
    return EXIT_OK


@tenants.command("disable-module")
@_fleet_options
@click.argument("slug")
@click.argument("module")
@click.option("--drop-data", is_flag=True,
              help="Also drop the module's tables (needs --allow-hazard deletes_data).")
@click.option("--allow-hazard", "allow", multiple=True,
              type=click.Choice([h.value for h in Hazard]), help="Allow a hazard (repeatable).")
@_runs
def disable_cmd(fleet: TenantFleet, slug: str, module: str, drop_data: bool,
                allow: tuple[str, ...]) -> int:
    """Disable a module; its tables and data are kept unless --drop-data is allowed."""
    from ..fleet.tenants import disable_module

    hazards = frozenset(Hazard(h) for h in allow)
    _echo(disable_module(fleet, slug, module, drop_data, hazards).lines)
    return EXIT_OK


@tenants.command("sync-data")
@_fleet_options
@click.argument("slugs", nargs=-1)
@click.option("--check", is_flag=True, help="Only report drift; exit 2 when there is some.")
@_runs
def sync_data_cmd(fleet: TenantFleet, slugs: tuple[str, ...], check: bool) -> int:
    """Upsert declared reference data (module catalogue, roles, permissions) by name."""
    from ..fleet.tenants import check_slug, sync_data

    for slug in slugs:
        check_slug(slug)
    result = sync_data(fleet, list(slugs) or None, check)
    for target, lines in result.items():
        verb = "drifted" if check else "updated"
        click.echo(f"{target}: {f'{len(lines)} row(s) {verb}' if lines else 'in sync'}")
        _echo([f"  {line}" for line in lines])
    drifted = any(result.values())
    return EXIT_DIFFERENT if check and drifted else EXIT_OK


@tenants.command("backup")
@_fleet_options
@click.argument("slug")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Archive to write (pg_dump -Fc); its registry rows go to OUT.json.")
@_runs
def backup_cmd(fleet: TenantFleet, slug: str, out: Path) -> int:
    """Back up a tenant's schema and registry rows; verify the archive reads back."""
    from ..fleet.backup import backup_tenant

    done = backup_tenant(fleet, slug, out)
    click.echo(f"backup of {slug} written and verified: {done.file} (+ {done.sidecar.name})")
    return EXIT_OK


@tenants.command("restore")
@_fleet_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_slug", default=None, help="Restore under this slug instead.")
@click.option("--server", default=None, help="Server (zplus.yaml name) to restore onto.")
@_runs
def restore_cmd(fleet: TenantFleet, file: Path, as_slug: str | None,
                server: str | None) -> int:
    """Restore a tenant backup and register it; refused if the slug or schema exists."""
    from ..fleet.tenant_restore import restore_tenant

    _echo(restore_tenant(fleet, file, as_slug, server).lines)
    return EXIT_OK


@tenants.command("drop")
@_fleet_options
@click.argument("slug")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup archive to write first (default: SLUG-TIMESTAMP.dump).")
@click.option("--no-backup", is_flag=True, help="Drop without a backup (needs --yes).")
@click.option("--yes", is_flag=True, help="Confirm dropping without a backup.")
@_runs
def drop_cmd(fleet: TenantFleet, slug: str, out: Path | None, no_backup: bool,
             yes: bool) -> int:
    """Drop a tenant (schema and registry rows) once a verified backup is written."""
    from ..fleet.tenant_restore import drop_tenant

    _echo(drop_tenant(fleet, slug, out, no_backup, yes).lines)
    return EXIT_OK


@tenants.command("move")
@_fleet_options
@click.argument("slug")
@click.option("--to-server", "to_server", required=True,
              help="Server (zplus.yaml name) to move the tenant's schema to.")
@_runs
def move_cmd(fleet: TenantFleet, slug: str, to_server: str) -> int:
    """Copy a tenant to another server, verify every table, switch, then drop the old copy."""
    from ..fleet.move import move_tenant

    _echo(move_tenant(fleet, slug, to_server).lines)
    return EXIT_OK
