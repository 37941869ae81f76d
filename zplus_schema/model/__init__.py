"""The model: pure data, no I/O. Every other layer depends on it, never the reverse."""

from .base import Node, QualName
from .column import Column
from .compose import ModuleCycleError, UnknownModuleError, resolve_modules, tenant_model
from .constraint import Check, Constraint, ForeignKey, PrimaryKey, Unique
from .enum import EnumType
from .extension import Extension
from .function import Argument, Function
from .index import Index, IndexKey
from .project import Module, Project, Settings
from .schema import SchemaModel
from .sequence import Sequence
from .table import Table
from .trigger import Trigger

__all__ = [
    "Argument",
    "Check",
    "Column",
    "Constraint",
    "EnumType",
    "Extension",
    "ForeignKey",
    "Function",
    "Index",
    "IndexKey",
    "Module",
    "ModuleCycleError",
    "Node",
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
    "resolve_modules",
    "tenant_model",
]
