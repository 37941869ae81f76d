"""What each tenant's role may do, as a digest tenants can be grouped by.

The schema fingerprint covers objects, not privileges; two tenants with the same tables but
a grant changed by hand on one of them need different plans. The digest covers the grants
on the schema and its objects, its default privileges, and its tenant role's attributes
and memberships, with the tenant's own role written as `{tenant_role}` so identical
tenants digest equal. Read with one query per kind for all schemas of a server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import psycopg

from ..introspect.grants import read_default_privileges, read_grants
from ..introspect.roles import read_memberships, read_roles
from ..model import Project
from ..model.role import Role

Conn = psycopg.Connection[tuple[object, ...]]

OWN_ROLE = "{tenant_role}"


def tenant_role(project: Project, schema: str) -> Role | None:
    """Return the role policies/ declares for the tenant schema, or None without one."""
    template = project.security.tenant_role
    prefix = project.settings.tenant_schema_prefix
    if template is None or not schema.startswith(prefix):
        return None
    return template.role(schema.removeprefix(prefix))


def tenant_role_name(project: Project, schema: str) -> str | None:
    """Return the name of the tenant schema's declared role, or None without one."""
    role = tenant_role(project, schema)
    return role.name if role else None


def access_digests(conn: Conn, project: Project, schemas: Sequence[str]) -> dict[str, str]:
    """Return schema -> digest of its access (empty string when policies/ declares none)."""
    if not project.security.declared or not schemas:
        return dict.fromkeys(schemas, "")
    own = {s: tenant_role_name(project, s) for s in schemas}
    names = sorted({r for r in own.values() if r})
    grants = read_grants(conn, schemas)
    defaults = read_default_privileges(conn, schemas)
    roles = {r.name: r for r in read_roles(conn, names)}
    members = read_memberships(conn, names)

    def mark(name: str, role: str | None) -> str:
        return OWN_ROLE if name == role else name

    out: dict[str, str] = {}
    for schema in schemas:
        role = own[schema]
        lines = [repr((g.object_type, g.name, g.column, mark(g.grantee, role), g.privilege,
                       g.grant_option)) for g in grants[schema]]
        lines += [repr(("default", d.object_type, mark(d.grantee, role), d.privilege,
                        d.grant_option)) for d in defaults[schema]]
        if role:
            lines.append(_role_state(project, schema, roles.get(role)))
            lines += [repr(("member", mark(m.role, role), mark(m.member, role),
                            m.admin_option)) for m in members if role in (m.role, m.member)]
        out[schema] = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
    return out


def _role_state(project: Project, schema: str, found: Role | None) -> str:
    """Return how the tenant's role compares with its declaration (names and comments
    carry the slug, so the role itself cannot be compared across tenants)."""
    template = project.security.tenant_role
    assert template is not None
    if found is None:
        return "role: missing"
    desired = template.role(schema.removeprefix(project.settings.tenant_schema_prefix))
    if found == desired:
        return "role: as declared"
    return "role: " + repr(found.model_copy(update={"name": OWN_ROLE}).model_dump())
