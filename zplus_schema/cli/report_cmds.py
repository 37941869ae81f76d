"""`zplus-schema report access`: the auditor's report of roles, grants, RLS and policies."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import ZplusError
from ..report import Report, Settings, build_report
from ..report.model import SEVERITIES
from .base import EXIT_DIFFERENT, EXIT_ERROR, EXIT_OK, cli, root_option
from .engine_cmds import connect

FORMATS = ("markdown", "html", "json")


@cli.group()
def report() -> None:
    """Reports for reviewers and auditors."""


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ZplusError(f"cannot write {out}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {out}", err=True)


def _live_settings(root: Path, system: str | None, prefix: str | None,
                   role_prefix: str) -> Settings:
    """Return the schema names to report on: options, else the project's, else defaults."""
    if (system is None or prefix is None) and (root / "schema" / "project.yaml").is_file():
        from ..load import load

        project = load(root).project.settings
        system, prefix = system or project.system_schema, prefix or project.tenant_schema_prefix
    return Settings(system or "public", prefix or "tenant_", role_prefix)


def _head(root: Path, dsn: str | None, from_yaml: bool, settings: Settings) -> Report:
    if from_yaml:
        from ..report.yamlsource import report_from_yaml

        return report_from_yaml(root, settings.tenant_role_prefix)
    if dsn is None:
        raise ZplusError("give --dsn (a live database) or --from-yaml (the definitions)",
                         hint="e.g. report access --dsn postgresql://auditor@db/zplus")
    with connect(dsn) as conn:
        info = conn.info
        return build_report(conn, settings, f"database {info.dbname} on {info.host}:{info.port}")


def _base(root: Path, base: str, role_prefix: str) -> dict[str, Any]:
    """Return the base report: a saved JSON report, else the definitions at a git revision."""
    from ..report.diff import load_report

    path = Path(base)
    if path.is_file():
        return load_report(path)
    if path.suffix == ".json" or path.exists():
        raise ZplusError(f"{base}: no such report file",
                         hint="give a file written by `report access --format json`, or a "
                              "git revision")
    from ..report.yamlsource import report_from_git

    return report_from_git(root, base, role_prefix).to_dict()


def _render(report_: Report, fmt: str) -> str:
    if fmt == "json":
        return report_.to_json()
    if fmt == "html":
        from ..report.html import render_html

        return render_html(report_)
    from ..report.markdown import render_markdown

    return render_markdown(report_)


def _render_diff(base: dict[str, Any], head: Report, fmt: str) -> tuple[str, bool]:
    from ..report import diff

    d = diff.diff_reports(base, head.to_dict())
    renderers = {"json": diff.render_diff_json, "html": diff.render_diff_html,
                 "markdown": diff.render_diff_markdown}
    return renderers[fmt](d), not d.empty


@report.command()
@root_option
@click.option("--dsn", envvar="ZPLUS_DSN", default=None,
              help="Live database to report on (env ZPLUS_DSN).")
@click.option("--from-yaml", is_flag=True,
              help="Report on the definitions under --root, built on a throwaway server.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of stdout.")
@click.option("--diff", "base", metavar="BASE",
              help="Show only the access changes since BASE: a JSON report file, or a git "
                   "revision of the definitions. Exit 2 when access changed.")
@click.option("--tenant-role-prefix", default="tenant_", show_default=True,
              help="Roles named with this prefix are tenant roles (AR5xx findings).")
@click.option("--system-schema", default=None,
              help="With --dsn: the shared schema (default: the project's, else public).")
@click.option("--tenant-schema-prefix", default=None,
              help="With --dsn: tenant schemas' prefix (default: the project's, else tenant_).")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default=None,
              help="Exit 1 when a finding has this severity or a worse one (as lint).")
def access(root: Path, dsn: str | None, from_yaml: bool, fmt: str, out: Path | None,
           base: str | None, tenant_role_prefix: str, system_schema: str | None,
           tenant_schema_prefix: str | None, fail_on: str | None) -> int:
    """Report who may do what: roles, grants, RLS, policies and findings."""
    if from_yaml and click.get_current_context().get_parameter_source("dsn") \
            == click.core.ParameterSource.ENVIRONMENT:
        dsn = None  # an explicit --from-yaml wins over a ZPLUS_DSN left in the environment
    if from_yaml and dsn:
        raise ZplusError("give one of --dsn and --from-yaml")
    settings = Settings("public", "tenant_", tenant_role_prefix) if from_yaml else \
        _live_settings(root, system_schema, tenant_schema_prefix, tenant_role_prefix)
    head = _head(root, dsn, from_yaml, settings)
    if base is not None:
        text, changed = _render_diff(_base(root, base, tenant_role_prefix), head, fmt)
        _emit(text, out)
        return EXIT_DIFFERENT if changed else EXIT_OK
    _emit(_render(head, fmt), out)
    worst = [SEVERITIES.index(f.severity) for f in head.findings]
    failed = fail_on is not None and worst and min(worst) <= SEVERITIES.index(fail_on)
    return EXIT_ERROR if failed else EXIT_OK
