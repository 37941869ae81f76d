"""The command group, shared options and the exit-code contract."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import __version__

F = TypeVar("F", bound=Callable[..., Any])

# The exit codes, documented in the README: every command keeps to them.
EXIT_OK, EXIT_ERROR, EXIT_DIFFERENT, EXIT_REFUSED = 0, 1, 2, 3


def root_option(func: F) -> F:
    """Add --root (the folder holding schema/ and policies/) to a command."""
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        envvar="ZPLUS_ROOT", show_default=True,
        help="Project folder containing schema/ and policies/ (env ZPLUS_ROOT).",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zplus-schema")
def cli() -> None:
    """Declarative schema-as-code for schema-per-tenant PostgreSQL."""


