"""A whole project: the system schema, the tenant template and the modules."""

from __future__ import annotations

from .base import Node
from .schema import SchemaModel
from .security import Security


class Settings(Node):
    """Project settings from schema/project.yaml."""

    system_schema: str = "public"
    tenant_schema_prefix: str = "tenant_"


class Module(Node):
    """An optional set of tenant objects a tenant enables; it may depend on other modules."""

    name: str
    display_name: str | None = None
    description: str | None = None
    version: str | None = None
    depends_on: tuple[str, ...] = ()
    objects: SchemaModel = SchemaModel()

    @property
    def key(self) -> str:
        """Return the module name."""
        return self.name


class Project(Node):
    """The desired state of every schema kind, before it is bound to a schema name."""

    settings: Settings = Settings()
    system: SchemaModel = SchemaModel()
    tenant: SchemaModel = SchemaModel()
    modules: tuple[Module, ...] = ()
    security: Security = Security()  # policies/: roles and grants

    def module(self, name: str) -> Module | None:
        """Return the module called `name`, or None."""
        return next((m for m in self.modules if m.name == name), None)

    @property
    def module_names(self) -> tuple[str, ...]:
        """Return all module names, sorted."""
        return tuple(sorted(m.name for m in self.modules))
