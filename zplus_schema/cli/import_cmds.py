"""`zplus-schema import`: adopt an existing schema as YAML definitions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import click
import psycopg

from ..errors import InputError, ZplusError
from ..importer import ImportOptions, ImportResult, import_schema, script_database, verify_import
from .base import EXIT_ERROR, EXIT_OK, cli
from .engine_cmds import connect

Conn = psycopg.Connection[tuple[object, ...]]


@contextmanager
def _dsn_database(dsn: str) -> Iterator[Conn]:
    with connect(dsn) as conn:
        yield conn


def _source(dsn: str | None, sql_file: Path | None) -> AbstractContextManager[Conn]:
    """Return the database to import from: --dsn, or --sql loaded into a throwaway server."""
    if (dsn is None) == (sql_file is None):
        raise ZplusError("give exactly one of --dsn and --sql",
                         hint="--dsn imports from a live database; --sql FILE loads the "
                              "script into a throwaway PostgreSQL first")
    if sql_file is not None:
        return script_database(sql_file)
    assert dsn is not None
    return _dsn_database(dsn)


@cli.command(name="import")
@click.option("--dsn", envvar="ZPLUS_DSN", default=None,
              help="Database to import from (env ZPLUS_DSN).")
@click.option("--sql", "sql_file", type=click.Path(dir_okay=False, path_type=Path),
              help="SQL script to load into a throwaway PostgreSQL and import from.")
@click.option("--schema", "schema", required=True, help="Schema to import, e.g. public.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Project root to write (schema/project.yaml, schema/<group>/...).")
@click.option("--layout", type=click.Choice(["table", "single"]), default="table",
              show_default=True, help="One file per table, or one objects.yaml.")
@click.option("--as", "role", type=click.Choice(["system", "tenant"]), default="system",
              show_default=True, help="Write the schema as the system schema or as the "
                                      "tenant template.")
@click.option("--force", is_flag=True, help="Replace the YAML files of the group folder.")
@click.option("--no-verify", is_flag=True,
              help="Skip planning the written root against the source.")
def import_cmd(dsn: str | None, sql_file: Path | None, schema: str, out: Path, layout: str,
               role: str, force: bool, no_verify: bool) -> int:
    """Write an existing schema as YAML definitions that plan empty against it."""
    options = ImportOptions(schema, out, "single" if layout == "single" else "table",
                            "tenant" if role == "tenant" else "system", force)
    source = click.get_current_context().get_parameter_source("dsn")
    if sql_file is not None and source == click.core.ParameterSource.ENVIRONMENT:
        dsn = None  # an explicit --sql wins over a ZPLUS_DSN left in the environment
    with _source(dsn, sql_file) as conn:
        result = import_schema(conn, options)
        _summary(result, out)
        return EXIT_OK if no_verify else _verify(conn, result, out)


def _summary(result: ImportResult, out: Path) -> None:
    """Print what was written and what was not imported."""
    counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in result.counts.items())
    click.echo(f"imported schema {result.schema} as {result.role} into {out}: "
               f"{counts or 'no objects'}")
    click.echo(f"  system_schema: {result.system_schema}"
               + (f", tenant_schema_prefix: {result.tenant_prefix!r}"
                  if result.tenant_prefix is not None else ""))
    click.echo(f"  wrote {len(result.files)} file(s) under {out / 'schema'}")
    if result.dependencies:
        where = ("written to schema/system/" if result.dependencies_written
                 else "expected in the existing schema/system/ definitions")
        click.echo(f"  referenced in {result.system_schema}, {where}: "
                   + ", ".join(result.dependencies))
    if result.notes:
        click.echo(f"not imported, or imported with a difference ({len(result.notes)}):")
        for note in result.notes:
            click.echo(f"  {note.render()}")


def _verify(conn: Conn, result: ImportResult, out: Path) -> int:
    """Validate the written root and plan it against the source; report what differs."""
    try:
        differences = verify_import(conn, out, result.target)
    except InputError as exc:
        click.echo(f"error: the imported definitions do not validate:\n{exc.render()}",
                   err=True)
        return EXIT_ERROR
    except ZplusError as exc:
        click.echo(f"warning: could not plan the import against its source: {exc.render()}",
                   err=True)
        return EXIT_OK
    if not differences:
        click.echo(f"verified: `plan --target {result.target}` of {out} against the source "
                   "is empty")
        return EXIT_OK
    click.echo(f"warning: `plan --target {result.target}` is not empty "
               f"({len(differences)} object(s) differ; see the notes above):", err=True)
    for line in differences:
        click.echo(f"  {line}", err=True)
    return EXIT_OK
