"""The zplus-schema command line: parse options, call the layers, render. Nothing more."""

from __future__ import annotations

import click
import psycopg

from ..errors import ZplusError
from ..server import ServerError
from . import engine_cmds, lint_cmds, schema_cmds
from . import import_cmds as import_cmds  # registers `zplus-schema import`
from . import migration_cmds as migration_cmds  # registers `zplus-schema migrations`
from . import report_cmds as report_cmds  # registers `zplus-schema report`
from . import tenant_cmds as tenant_cmds  # registers `zplus-schema tenants`
from .base import EXIT_ERROR, EXIT_OK, cli

__all__ = ["cli", "engine_cmds", "lint_cmds", "main", "schema_cmds"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; print user errors without a traceback and return the exit code."""
    try:
        code = cli.main(args=argv, prog_name="zplus-schema", standalone_mode=False)
    except ZplusError as exc:
        click.echo(f"error: {exc.render()}", err=True)
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except ServerError as exc:
        click.echo(f"error: cannot start a throwaway PostgreSQL: {exc}", err=True)
        return EXIT_ERROR
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        click.echo(f"error: PostgreSQL: {first}", err=True)
        return EXIT_ERROR
    except OSError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_ERROR
    return code if isinstance(code, int) else EXIT_OK
