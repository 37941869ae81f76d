"""Versioned migration files for golang-migrate: generate the next pair, verify the folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..migrations import generate, verify
from .base import EXIT_DIFFERENT, EXIT_OK, F, cli, root_option

DEFAULT_DIR = Path("infra/db/migrations")


def dir_option(func: F) -> F:
    """Add --dir: the folder holding system/ and tenant/ (relative paths: under --root)."""
    return click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
                        default=DEFAULT_DIR, show_default=True,
                        help="Migrations folder with system/ and tenant/ (relative to --root)."
                        )(func)


def _base(root: Path, folder: Path) -> Path:
    return folder if folder.is_absolute() else root / folder


@cli.group()
def migrations() -> None:
    """Versioned SQL files (golang-migrate layout) generated from the YAML."""


@migrations.command("generate")
@click.argument("name")
@root_option
@dir_option
def generate_cmd(name: str, root: Path, folder: Path) -> int:
    """Write the next NNN_NAME.up.sql/.down.sql for system and tenant where the YAML changed."""
    result = generate(root, _base(root, folder), name)
    for pair in result.written:
        click.echo(f"wrote {pair.up}")
        click.echo(f"wrote {pair.down}")
    if not result.written:
        click.echo("no changes: the migration files already match the YAML")
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    return EXIT_OK


@migrations.command("verify")
@root_option
@dir_option
def verify_cmd(root: Path, folder: Path) -> int:
    """Exit 0 when replaying every up file gives the YAML's schemas, 2 (with the SQL) if not."""
    result = verify(root, _base(root, folder))
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    if result.in_sync:
        click.echo(f"in sync: {counts} migration(s) replayed give the YAML's schemas")
        return EXIT_OK
    click.echo(f"differ: after {counts} migration(s), the YAML still needs:", err=True)
    sys.stdout.write(result.difference_sql())
    click.echo("hint: run `zplus-schema migrations generate NAME` to write them", err=True)
    return EXIT_DIFFERENT
