"""Targets: which schema a plan is for, and what the definitions want there."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import sql

from ..errors import ZplusError
from ..ident import identifier_problem, slug_problem
from ..model import Project, SchemaModel, resolve_modules, tenant_model

TENANT_MODULES_SQL = """
SELECT m.name
  FROM {schema}.tenant_modules tm
  JOIN {schema}.modules m ON m.id = tm.module_id
  JOIN {schema}.tenants t ON t.id = tm.tenant_id
 WHERE t.slug = %s AND tm.is_enabled
 ORDER BY m.name
"""


@dataclass(frozen=True)
class TargetSpec:
    """A parsed --target: its label, the schema it binds to, and the schema kind."""

    label: str  # system | tenant:SLUG | schema:NAME
    schema: str
    kind: str  # system | tenant
    slug: str | None = None


def parse_target(text: str, project: Project) -> TargetSpec:
    """Parse `system`, `tenant:SLUG` or `schema:NAME`, validating names as data."""
    settings = project.settings
    if text == "system":
        return TargetSpec("system", settings.system_schema, "system")
    kind, sep, value = text.partition(":")
    if sep and kind == "tenant":
        if problem := slug_problem(value):
            raise ZplusError(problem, hint="tenant slugs are lower-case letters, digits and _")
        return TargetSpec(text, settings.tenant_schema_prefix + value, "tenant", value)
    if sep and kind == "schema":
        if problem := identifier_problem(value):
            raise ZplusError(problem, hint="schema names are plain lower-case identifiers")
        kind_of = "system" if value == settings.system_schema else "tenant"
        return TargetSpec(text, value, kind_of)
    raise ZplusError(f"unknown target {text!r}",
                     hint="use system, tenant:SLUG or schema:NAME")


def registered_modules(conn: psycopg.Connection[tuple[object, ...]], project: Project,
                       slug: str) -> list[str] | None:
    """Return the modules the registry enables for a tenant, or None without a registry."""
    query = sql.SQL(TENANT_MODULES_SQL).format(
        schema=sql.Identifier(project.settings.system_schema))
    try:
        with conn.transaction():
            rows = conn.execute(query, (slug,)).fetchall()
    except psycopg.errors.UndefinedTable:
        return None
    return [str(r[0]) for r in rows]


def desired_model(project: Project, spec: TargetSpec, modules: list[str] | None) -> SchemaModel:
    """Return what the definitions want in the target schema (modules: None means all)."""
    if spec.kind == "system":
        return project.system
    wanted = list(project.module_names) if modules is None else modules
    try:
        return tenant_model(project, resolve_modules(project, wanted))
    except ValueError as exc:
        raise ZplusError(f"cannot resolve modules {wanted}: {exc}",
                         hint=f"modules: {', '.join(project.module_names)}") from exc
