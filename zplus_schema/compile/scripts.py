"""Whole scripts: a schema with the roles it needs first and its grants last."""

from __future__ import annotations

from ..ident import slug_problem
from ..model import Project, tenant_model
from . import compile_schema, render_script
from .context import Target
from .security import security_statements


def system_script(project: Project) -> str:
    """Return the SQL that creates the system schema, its roles and its grants."""
    target = Target(project.settings.system_schema, project.settings.system_schema)
    first, last = security_statements(project, "system", project.system, None, target)
    return render_script(first + compile_schema(project.system, target) + last, target,
                         f"system schema {target.schema}")


def tenant_script(project: Project, schema: str, modules: list[str]) -> str:
    """Return the SQL of one tenant schema with `modules` (resolved), its role and grants.

    A schema named prefix + slug gets that tenant's role; any other name gets no role.
    """
    target = Target(schema, project.settings.system_schema)
    model = tenant_model(project, modules)
    prefix = project.settings.tenant_schema_prefix
    slug: str | None = schema.removeprefix(prefix) if schema.startswith(prefix) else None
    if slug is not None and slug_problem(slug):
        slug = None  # not a tenant's schema: no tenant role to bind
    first, last = security_statements(project, "tenant", model, slug, target)
    title = f"tenant schema {schema}, modules: {', '.join(modules) or 'none'}"
    return render_script(first + compile_schema(model, target) + last, target, title)
