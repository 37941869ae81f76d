"""Reference data declared in YAML: default roles, generated permissions, the module catalogue.

`schema/data/tenant.yaml` declares the actions, the resources of the tenant template and of
each module, and the default roles with the actions they grant. A tenant's rows are the
roles, one permission per (resource of the template or an enabled module) x action, and
the links granting them. The system schema's `modules` rows come from the module
definitions (schema/modules/*/module.yaml). Rows are matched by natural key (name):
declared rows are inserted or updated, other rows are never touched, nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import InputError, Problem
from ..load.errors_map import problems_from
from ..load.yamlsrc import read_yaml
from ..model import Project, resolve_modules
from .refdata_sql import Table, link_drift, sync_links, sync_rows, table_drift

# Under schema/data/, which the object loader does not read: these are rows in their own
# format, not object definitions (the editor JSON Schema covers object files only).
DATA_FILE = Path("schema", "data", "tenant.yaml")
TEMPLATE = "tenant"  # the resources key of the tenant template


class _RoleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str
    description: str | None = None
    grants: Literal["all"] | list[str] = []


class _DataSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[str] = []
    resources: dict[str, list[str]] = {}
    roles: dict[str, _RoleSpec] = {}


@dataclass(frozen=True)
class RefData:
    """The declared reference data of the project (empty without schema/data/tenant.yaml)."""

    actions: tuple[str, ...] = ()
    resources: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (tenant|module, resources)
    roles: tuple[tuple[str, _RoleSpec], ...] = ()

    def resources_of(self, group: str) -> tuple[str, ...]:
        """Return the resources of the template (`tenant`) or of one module."""
        return dict(self.resources).get(group, ())


@dataclass(frozen=True)
class TenantRows:
    """The rows one tenant's schema must hold."""

    roles: list[dict[str, Any]]
    permissions: list[dict[str, Any]]
    links: list[tuple[str, str]]  # (role name, permission name)


def load_refdata(root: Path, project: Project) -> RefData:
    """Read schema/data/tenant.yaml; raise InputError with file:line for any problem."""
    file = root / DATA_FILE
    if not file.exists():
        return RefData()
    doc, problems = read_yaml(file, DATA_FILE)
    if doc is None or problems:
        raise InputError(problems)
    try:
        spec = _DataSpec.model_validate(doc.data or {})
    except ValidationError as exc:
        raise InputError(problems_from(exc, doc)) from None
    problems = [Problem(f"unknown module {group!r}", doc.location(("resources", group)),
                        hint=f"use {TEMPLATE} or one of: {', '.join(project.module_names)}")
                for group in spec.resources if group != TEMPLATE and not project.module(group)]
    problems += [Problem(f"role {name}: unknown action {action!r}",
                         doc.location(("roles", name, "grants")),
                         hint=f"actions: {', '.join(spec.actions)}")
                 for name, role in spec.roles.items() if role.grants != "all"
                 for action in role.grants if action not in spec.actions]
    if problems:
        raise InputError(problems)
    return RefData(tuple(spec.actions),
                   tuple((g, tuple(r)) for g, r in spec.resources.items()),
                   tuple(spec.roles.items()))


def tenant_rows(project: Project, ref: RefData, modules: Sequence[str]) -> TenantRows:
    """Return the roles, permissions and grants of a tenant with `modules` enabled."""
    groups = [TEMPLATE, *resolve_modules(project, list(modules))]
    perms = [{"name": f"{res}.{act}", "resource": res, "action": act,
              "description": f"{act.capitalize()} {res.replace('_', ' ')}"}
             for g in groups for res in ref.resources_of(g) for act in ref.actions]
    roles = [{"name": name, "display_name": r.display_name, "description": r.description,
              "is_system": True} for name, r in ref.roles]
    links = [(name, p["name"]) for name, r in ref.roles for p in perms
             if r.grants == "all" or p["action"] in r.grants]
    return TenantRows(roles, perms, links)


def module_rows(project: Project, ref: RefData) -> list[dict[str, Any]]:
    """Return the system `modules` catalogue rows declared by the module definitions."""
    return [{"name": m.name, "display_name": m.display_name or m.name,
             "description": m.description, "version": m.version or "0", "category": m.name,
             "dependencies": Jsonb(list(m.depends_on)),
             "permissions": Jsonb([f"{res}.{act}" for res in ref.resources_of(m.name)
                                   for act in ref.actions])}
            for m in project.modules]


def _tenant_tables(schema: str) -> tuple[Table, Table]:
    return (Table(schema, "roles", ("display_name", "description", "is_system")),
            Table(schema, "permissions", ("resource", "action", "description")))


def sync_tenant_data(conn: Any, schema: str, rows: TenantRows) -> list[str]:
    """Upsert a tenant's declared rows; return one line per row inserted or changed."""
    roles, perms = _tenant_tables(schema)
    return (sync_rows(conn, roles, rows.roles) + sync_rows(conn, perms, rows.permissions)
            + sync_links(conn, schema, rows.links))


def tenant_data_drift(conn: Any, schema: str, rows: TenantRows) -> list[str]:
    """Return one line per declared tenant row that is missing or differs."""
    roles, perms = _tenant_tables(schema)
    return (table_drift(conn, roles, rows.roles) + table_drift(conn, perms, rows.permissions)
            + link_drift(conn, schema, rows.links))


_MODULES = ("display_name", "description", "version", "category", "dependencies",
            "permissions")


def sync_module_catalogue(conn: Any, system: str, rows: list[dict[str, Any]]) -> list[str]:
    """Upsert the system `modules` rows of the project's modules; return what changed."""
    return sync_rows(conn, Table(system, "modules", _MODULES), rows)


def module_catalogue_drift(conn: Any, system: str, rows: list[dict[str, Any]]) -> list[str]:
    """Return one line per module catalogue row that is missing or differs."""
    return table_drift(conn, Table(system, "modules", _MODULES), rows)
