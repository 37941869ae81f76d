"""The lint command: run the rules over the definitions (and, with --base, their changes)."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from ..errors import InputError, Location, ZplusError
from ..lint import LintResult, Selection, Severity, lint_loaded, parse_codes
from ..lint.changes import lint_project_change
from ..lint.finding import Finding
from ..lint.registry import RULES
from ..lint.selection import check_codes
from ..load import Loaded, load
from .base import EXIT_ERROR, EXIT_OK, cli, root_option

FORMATS = ("text", "json", "sarif", "github")


@cli.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--select", default=None, metavar="CODES",
              help="Comma-separated codes or prefixes to run (default: the project's "
                   "lint.select, else every rule).")
@click.option("--ignore", default=None, metavar="CODES",
              help="Comma-separated codes or prefixes to leave out.")
@click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="error",
              show_default=True, help="Exit 1 when a finding is at least this severe.")
@click.option("--base", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=None, help="Also lint the changes from the definitions under DIR "
                                 "(e.g. the base branch) to these (ZS2xx rules).")
def lint(root: Path, fmt: str, select: str | None, ignore: str | None, fail_on: str,
         base: Path | None) -> int:
    """Check the definitions against the lint rules (docs/lint-rules.md)."""
    loaded = load(root)
    selection = _selection(loaded, select, ignore)
    result = lint_loaded(loaded, selection)
    if base is not None:
        changes = lint_project_change(_load_base(base), loaded, selection)
        result.findings = sorted(result.findings + changes.findings, key=Finding.sort_key)
        result.suppressed += changes.suppressed
    _relocate(result, root)
    sys.stdout.write(_render(result, fmt))
    return EXIT_ERROR if result.failed(Severity(fail_on)) else EXIT_OK


def _load_base(base: Path) -> Loaded:
    """Load the --base definitions, saying which side a problem is on."""
    try:
        return load(base)
    except InputError as exc:
        raise ZplusError(f"--base {base}: the definitions there do not load\n{exc.render()}",
                         hint="point --base at a project root of the same layout") from exc


def _selection(loaded: Loaded, select: str | None, ignore: str | None) -> Selection:
    """Return the rules to run: --select over the project's lint.select, plus --ignore."""
    chosen = parse_codes(select)
    if not chosen:
        check_codes(loaded.lint.select, RULES, "lint.select in schema/project.yaml")
        chosen = loaded.lint.select
    return Selection(chosen, parse_codes(ignore))


def _relocate(result: LintResult, root: Path) -> None:
    """Make file paths relative to the current directory, as editors and GitHub want them."""
    def shown(loc: Location | None) -> Location | None:
        if loc is None:
            return None
        path = root / loc.file
        with contextlib.suppress(ValueError):  # outside the current directory: keep it
            path = path.resolve().relative_to(Path.cwd().resolve())
        return Location(Path(os.path.normpath(path)), loc.line)

    result.findings = [replace(f, location=shown(f.location)) for f in result.findings]
    result.suppressed = [(replace(f, location=shown(f.location)),
                          replace(s, location=shown(s.location) or s.location))
                         for f, s in result.suppressed]


def _render(result: LintResult, fmt: str) -> str:
    from ..lint.output import render_github, render_json, render_text
    from ..lint.sarif import render_sarif

    renderers = {"text": render_text, "json": render_json, "sarif": render_sarif,
                 "github": render_github}
    return renderers[fmt](result)
