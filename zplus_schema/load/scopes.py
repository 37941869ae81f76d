"""Which objects a group's definitions can see: its own, the template, dependencies, system."""

from __future__ import annotations

from ..model import ModuleCycleError, Project, SchemaModel, UnknownModuleError, resolve_modules


def groups(project: Project) -> list[str]:
    """Return every group name: system, tenant, module:NAME..."""
    return ["system", "tenant", *(f"module:{m.name}" for m in project.modules)]


def own_objects(project: Project, group: str) -> SchemaModel:
    """Return the objects defined by one group."""
    if group == "system":
        return project.system
    if group == "tenant":
        return project.tenant
    module = project.module(group.removeprefix("module:"))
    return module.objects if module else SchemaModel()


def visible(project: Project, group: str) -> SchemaModel:
    """Return what unqualified names in `group` resolve against."""
    if group in ("system", "tenant"):
        return own_objects(project, group)
    name = group.removeprefix("module:")
    model = project.tenant
    try:
        names = resolve_modules(project, [name])
    except (ModuleCycleError, UnknownModuleError):
        names = [name]
    for dep in names:
        model = model.merge(own_objects(project, f"module:{dep}"))
    return model


def resolve(project: Project, group: str, schema_name: str | None) -> SchemaModel | None:
    """Return the model a (possibly qualified) name resolves in, or None if unknown schema."""
    if schema_name is None:
        return visible(project, group)
    if schema_name == project.settings.system_schema:
        return project.system
    return None
