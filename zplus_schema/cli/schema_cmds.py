"""Commands over the definitions: validate, compile, sandbox, json-schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import ZplusError
from ..ident import identifier_problem, slug_problem
from ..load import Loaded, load
from ..model import ModuleCycleError, Project, UnknownModuleError, resolve_modules
from .base import cli, root_option


@cli.command()
@root_option
def validate(root: Path) -> None:
    """Load every definition and the reference data, and check their cross-references."""
    from ..fleet.refdata import load_refdata

    loaded = load(root)
    data = load_refdata(root, loaded.project)
    text = summary(loaded)
    if data.actions or data.roles:
        text += (f"; reference data: {len(data.roles)} roles, {len(data.actions)} actions, "
                 f"{sum(len(r) for _, r in data.resources)} resources")
    click.echo(text)


def summary(loaded: Loaded) -> str:
    """Return a one-paragraph count of what the project defines."""
    p = loaded.project
    parts = [f"system ({p.settings.system_schema}): {len(p.system.tables)} tables",
             f"tenant template: {len(p.tenant.tables)} tables"]
    parts += [f"module {m.name}: {len(m.objects.tables)} tables" for m in p.modules]
    sec = p.security
    if sec.declared:
        rules = len(sec.system_grants) + len(sec.tenant_grants)
        role = f", tenant roles {sec.tenant_role.prefix}<slug>" if sec.tenant_role else ""
        execute = "" if sec.public_execute == "default" else \
            f", functions.public_execute {sec.public_execute}"
        parts.append(f"policies: {len(sec.roles)} roles{role}, {rules} grant rules{execute}")
    return "ok: " + "; ".join(parts)


@cli.group(name="compile")
def compile_group() -> None:
    """Print the SQL that creates a schema from the definitions."""


@compile_group.command(name="system")
@root_option
def compile_system(root: Path) -> None:
    """Print the SQL of the system schema (loads into an empty database)."""
    from ..compile.scripts import system_script

    sys.stdout.write(system_script(load(root).project))


@compile_group.command(name="tenant")
@root_option
@click.option("--schema", "schema_name", help="Target schema name, e.g. tenant_acme.")
@click.option("--tenant", "slug", help="Tenant slug; the schema is the prefix + slug.")
@click.option("--modules", default=None,
              help="Comma-separated modules (dependencies are added). Default: all.")
def compile_tenant(root: Path, schema_name: str | None, slug: str | None,
                   modules: str | None) -> None:
    """Print the SQL of one tenant schema (loads into a database with the system schema)."""
    from ..compile.scripts import tenant_script

    project = load(root).project
    schema = tenant_schema_name(project.settings.tenant_schema_prefix, schema_name, slug)
    resolved = modules_with_deps(project, parse_modules(modules, project.module_names))
    sys.stdout.write(tenant_script(project, schema, resolved))


def modules_with_deps(project: Project, names: list[str]) -> list[str]:
    """Return the modules and their dependencies, or a user error naming the bad one."""
    try:
        return resolve_modules(project, names)
    except UnknownModuleError as exc:
        raise ZplusError(f"unknown module {exc}",
                         hint=f"modules: {', '.join(project.module_names)}") from exc
    except ModuleCycleError as exc:
        raise ZplusError(f"circular module dependency: {exc}") from exc


def parse_modules(text: str | None, known: tuple[str, ...]) -> list[str]:
    """Return the module list of a --modules option (None: all; empty string: none)."""
    if text is None:
        return list(known)
    return [m.strip() for m in text.split(",") if m.strip()]


def tenant_schema_name(prefix: str, schema: str | None, slug: str | None) -> str:
    """Return the target schema from --schema or --tenant, validated as data."""
    if (schema is None) == (slug is None):
        raise ZplusError("give exactly one of --schema NAME or --tenant SLUG",
                         hint="e.g. --tenant acme or --schema tenant_acme")
    if slug is not None:
        if problem := slug_problem(slug):
            raise ZplusError(problem, hint="use lower-case letters, digits and _")
        return prefix + slug
    assert schema is not None
    if problem := identifier_problem(schema):
        raise ZplusError(problem, hint="schema names are plain lower-case identifiers")
    return schema


@cli.command()
@root_option
@click.option("--tenant", "tenants", multiple=True, metavar="SLUG[:MOD,MOD]",
              help="Tenant to create (repeatable); modules after a colon. Default: the "
                   "seed's demo (all modules), acme (crm,pos) and xyz (none).")
def sandbox(root: Path, tenants: tuple[str, ...]) -> None:
    """Plan and apply everything on a throwaway local PostgreSQL, then check for drift."""
    from ..sandbox import run_sandbox

    loaded = load(root)
    project = loaded.project
    wanted = {slug: modules_with_deps(project, mods)
              for slug, mods in parse_tenants(tenants, project.module_names).items()}
    click.echo(summary(loaded))
    report = run_sandbox(loaded, wanted, echo=click.echo)
    click.echo(f"system schema {project.settings.system_schema}: "
               f"{report.system_tables} tables ({report.system_statements} statements applied)")
    for t in report.tenants:
        click.echo(f"tenant {t.slug}: schema {t.schema}, {t.tables} tables, modules "
                   f"{', '.join(t.modules) or 'none'} ({t.statements} statements, "
                   f"{t.seconds * 1000:.0f} ms)")
    for line in report.drift:
        click.echo(f"drift {line}")
    click.echo("throwaway server stopped")


def parse_tenants(specs: tuple[str, ...], modules: tuple[str, ...]) -> dict[str, list[str]]:
    """Return slug -> modules from `--tenant slug[:mod,mod]` options, slugs validated."""
    if not specs:
        defaults = {"demo": list(modules), "acme": ["crm", "pos"], "xyz": []}
        return {slug: [m for m in mods if m in modules] for slug, mods in defaults.items()}
    result: dict[str, list[str]] = {}
    for spec in specs:
        slug, _, mods = spec.partition(":")
        if problem := slug_problem(slug):
            raise ZplusError(problem, hint="use lower-case letters, digits and _")
        result[slug] = parse_modules(mods, modules) if mods else []
    return result


@cli.command(name="json-schema")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def json_schema(out: Path | None) -> None:
    """Write the JSON Schema of the YAML object files, for editor completion."""
    from ..load.jsonschema import objects_json_schema

    text = json.dumps(objects_json_schema(), indent=2, sort_keys=True) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
