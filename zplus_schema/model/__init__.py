"""The model: pure data, no I/O. Every other layer depends on it, never the reverse."""

from .base import Node, QualName
from .column import Column
from .compose import ModuleCycleError, UnknownModuleError, resolve_modules, tenant_model
from .constraint import Check, Constraint, Exclusion, ForeignKey, PrimaryKey, Unique
from .domain import Domain
from .enum import EnumType
from .extension import Extension
from .fingerprint import fingerprint
from .function import Argument, Function
from .index import Index, IndexKey
from .policy import Policy
from .project import Module, Project, Settings
from .schema import SchemaModel
from .sequence import Sequence
from .table import Table
from .trigger import Trigger
from .view import MaterializedView, View

__all__ = [
    "Argument",
    "Check",
    "Column",
    "Constraint",
    "Domain",
    "EnumType",
    "Exclusion",
    "Extension",
    "ForeignKey",
    "Function",
    "Index",
    "IndexKey",
    "MaterializedView",
    "Module",
    "ModuleCycleError",
    "Node",
    "Policy",
    "PrimaryKey",
    "Project",
    "QualName",
    "SchemaModel",
    "Sequence",
    "Settings",
    "Table",
    "Trigger",
    "Unique",
    "UnknownModuleError",
    "View",
    "fingerprint",
    "resolve_modules",
    "tenant_model",
]
