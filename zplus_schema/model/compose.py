"""Compose a tenant's desired schema: the template plus its modules and their dependencies."""

from __future__ import annotations

from .project import Project
from .schema import SchemaModel


class UnknownModuleError(ValueError):
    """A module name that the project does not define."""


class ModuleCycleError(ValueError):
    """Modules that depend on each other in a circle."""

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(" -> ".join(cycle))
        self.cycle = cycle


def resolve_modules(project: Project, names: list[str] | tuple[str, ...]) -> list[str]:
    """Return `names` plus everything they depend on, dependencies first, deterministically."""
    order: list[str] = []
    visiting: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ModuleCycleError([*visiting[visiting.index(name):], name])
        module = project.module(name)
        if module is None:
            raise UnknownModuleError(name)
        visiting.append(name)
        for dep in sorted(module.depends_on):
            visit(dep)
        visiting.pop()
        order.append(name)

    for name in sorted(set(names)):
        visit(name)
    return order


def tenant_model(project: Project, modules: list[str] | tuple[str, ...]) -> SchemaModel:
    """Return the tenant template merged with the objects of the given modules."""
    model = project.tenant
    for name in resolve_modules(project, modules):
        module = project.module(name)
        assert module is not None  # resolve_modules checked it
        model = model.merge(module.objects)
    return model
