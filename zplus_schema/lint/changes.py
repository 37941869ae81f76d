"""Change rules over two sets of definitions: plan base -> head offline, lint the steps.

Both sides come from YAML, so they spell every expression alike and the offline plan
(no PostgreSQL normalization) differs only where the definitions do. A pull request can
then be linted against its base branch: `zplus-schema lint --base ../main-checkout`.
"""

from __future__ import annotations

from ..compile.context import Target
from ..load import Loaded
from ..model import Project, SchemaModel, tenant_model
from ..plan import plan_schema
from ..plan.step import Step
from ..plan.types import UnsupportedChange
from .engine import COMPOSED_TENANT, LintResult, Sources, lint_changes
from .finding import Finding
from .selection import EVERY_RULE, Selection


def _models(project: Project, group: str) -> SchemaModel:
    if group == "system":
        return project.system
    return tenant_model(project, project.module_names)


def _renames(loaded: Loaded, group: str) -> dict[tuple[str, ...], str]:
    groups = ["system"] if group == "system" else [g for g in loaded.origins if g != "system"]
    out: dict[tuple[str, ...], str] = {}
    for g in groups:
        out.update(loaded.origins[g].renames)
    return out


def planned_steps(live: SchemaModel, desired: SchemaModel, target: Target,
                  renames: dict[tuple[str, ...], str] | None = None) -> list[Step]:
    """Return the plan's steps, or none when the planner refuses the change.

    A refused change (an enum value removed, a domain's base type changed) has a change
    rule of its own that reads the models, so linting goes on without the steps.
    """
    try:
        return plan_schema(live, desired, target, renames)
    except UnsupportedChange:
        return []


def lint_project_change(base: Loaded, head: Loaded, selection: Selection = EVERY_RULE
                        ) -> LintResult:
    """Lint what changes from `base` to `head`: the system schema and a tenant with every
    module, located in the head's files."""
    result = LintResult()
    settings = head.project.settings
    for group, schema in (("system", settings.system_schema),
                          (COMPOSED_TENANT, f"{settings.tenant_schema_prefix}lint")):
        live, desired = _models(base.project, group), _models(head.project, group)
        steps = planned_steps(live, desired, Target(schema, settings.system_schema),
                              _renames(head, group))
        part = lint_changes(live, desired, steps, selection, group=group,
                            sources=Sources(head))
        result.rules = part.rules
        result.findings += part.findings
        result.suppressed += part.suppressed
    result.findings.sort(key=Finding.sort_key)
    return result
