"""What rules look at: one schema group of a project, or one change of a schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..load import scopes
from ..model import (
    Function,
    ModuleCycleError,
    Project,
    SchemaModel,
    Settings,
    Table,
    Trigger,
    UnknownModuleError,
    resolve_modules,
)
from ..plan.step import Step

# Roles every database has: PUBLIC and the session-dependent pseudo roles a policy may name.
BUILTIN_ROLES = frozenset({"public", "current_user", "current_role", "session_user"})


@dataclass(frozen=True)
class Subject:
    """One schema group (system, tenant, module:NAME) with everything it can refer to.

    `model` holds what the group defines; `visible` what its unqualified names resolve
    against (a module also sees the tenant template and its dependencies).
    """

    group: str
    project: Project
    known_roles: frozenset[str] = frozenset()
    # False for a tenant schema linted without its system schema: names qualified with
    # the system schema then cannot be resolved, and rules must not guess.
    system_known: bool = True

    @cached_property
    def model(self) -> SchemaModel:
        """Return the objects this group defines."""
        return scopes.own_objects(self.project, self.group)

    @cached_property
    def visible(self) -> SchemaModel:
        """Return what unqualified names of this group resolve against."""
        return scopes.visible(self.project, self.group)

    @property
    def system_schema(self) -> str:
        """Return the name of the system schema (`public` by default)."""
        return self.project.settings.system_schema

    @property
    def is_system(self) -> bool:
        """Return True for the system schema's group."""
        return self.group == "system"

    def resolve(self, schema_name: str | None) -> SchemaModel | None:
        """Return the model a name with this qualifier resolves in (None: not managed)."""
        if schema_name == self.system_schema and not self.system_known:
            return None
        return scopes.resolve(self.project, self.group, schema_name)

    def table_of(self, schema_name: str | None, name: str) -> Table | None:
        """Return the table a (possibly qualified) name points at, or None."""
        model = self.resolve(schema_name)
        return model.table(name) if model else None

    def role_known(self, role: str) -> bool:
        """Return True for a built-in, predefined (pg_*) or declared role (lint.known_roles,
        or managed by policies/: declared there or a tenant role)."""
        return (role in BUILTIN_ROLES or role.startswith("pg_") or role in self.known_roles
                or self.project.security.manages(role))

    def callers(self, fn: Function) -> list[tuple[str, Trigger]]:
        """Return (group, trigger) of every trigger in the project that runs `fn`."""
        if fn.arguments or fn not in self.model.functions:
            return []  # a trigger function takes no arguments
        return [(group, tr) for group in scopes.groups(self.project)
                for tr in scopes.own_objects(self.project, group).triggers
                if tr.function.name == fn.name and self._reaches(group, tr.function.schema_name)]

    def _reaches(self, group: str, schema_name: str | None) -> bool:
        """Return True when a function name written in `group` (qualified with
        `schema_name`, or not) resolves to a function of this subject's group."""
        if schema_name is not None:
            return schema_name == self.system_schema and self.is_system
        if group == self.group:
            return True
        if not group.startswith("module:") or self.is_system:
            return False
        if self.group == "tenant":
            return True
        try:
            deps = resolve_modules(self.project, [group.removeprefix("module:")])
        except (ModuleCycleError, UnknownModuleError):
            return False
        return self.group.removeprefix("module:") in deps


def project_subjects(project: Project, known_roles: frozenset[str] = frozenset()
                     ) -> list[Subject]:
    """Return one subject per group of a project: system, tenant, then each module."""
    return [Subject(g, project, known_roles) for g in scopes.groups(project)]


def model_subject(model: SchemaModel, *, system: SchemaModel | None = None,
                  system_schema: str = "public", is_system: bool = False,
                  known_roles: frozenset[str] = frozenset()) -> Subject:
    """Return the subject of one schema model, e.g. one read from a database.

    A tenant schema is linted with the system schema beside it when given, so names
    qualified with the system schema resolve; a system schema is linted on its own.
    """
    settings = Settings(system_schema=system_schema)
    if is_system:
        return Subject("system", Project(settings=settings, system=model), known_roles)
    project = Project(settings=settings, system=system or SchemaModel(), tenant=model)
    return Subject("tenant", project, known_roles, system_known=system is not None)


@dataclass(frozen=True)
class ChangeSet:
    """One planned change of a schema: the live model, the desired one and the steps."""

    live: SchemaModel
    desired: SchemaModel
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def is_new_table(self, name: str) -> bool:
        """Return True when the table does not exist yet (the change creates it)."""
        return self.live.table(name) is None
