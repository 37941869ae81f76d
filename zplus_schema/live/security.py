"""Plan a target's roles, memberships and grants (policies/) against the live cluster.

Which target owns what (so plans of different targets never fight): the system target
owns the declared roles and the memberships among them; a tenant target owns its tenant
role and that role's memberships; every target owns the grants on its own schema's
objects. Grants to roles the definitions do not manage are reported, never revoked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from ..compile import Target
from ..ident import slug_problem
from ..introspect.grants import SchemaAcl, read_acls, read_default_privileges
from ..introspect.queries import load_query
from ..introspect.roles import read_memberships, read_roles
from ..model import Project, SchemaModel
from ..model.grant import PUBLIC, Grant
from ..model.security import Security, TargetSecurity, target_security
from ..plan.grants import plan_default_privileges, plan_grants
from ..plan.roles import plan_roles
from ..plan.step import Step
from .targets import TargetSpec

Conn = psycopg.Connection[tuple[object, ...]]


@dataclass
class SecurityPlan:
    """Steps to run before the schema's steps (roles), after them (grants), and what is
    left alone."""

    before: list[Step] = field(default_factory=list)
    after: list[Step] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)


def tenant_slug(project: Project, spec: TargetSpec) -> str | None:
    """Return the tenant slug of a target: given, or read from a prefixed schema name."""
    if spec.kind != "tenant":
        return None
    if spec.slug is not None:
        return spec.slug
    prefix = project.settings.tenant_schema_prefix
    slug = spec.schema.removeprefix(prefix)
    return slug if spec.schema.startswith(prefix) and slug_problem(slug) is None else None


def _managed_grant(sec: Security, desired: TargetSecurity, g: Grant) -> bool:
    if g.grantee == PUBLIC:
        # PostgreSQL gives PUBLIC EXECUTE on every new function: managed only on the
        # functions policies/ says (functions.public_execute, or a grant to public).
        return g.object_type != "function" or desired.manages_public_execute(g.name)
    return sec.manages(g.grantee)


def _relevant(sec: Security, desired: TargetSecurity, kind: str, a: str, b: str) -> bool:
    """Return True when this target owns the membership of `b` in `a`."""
    if not (sec.manages(a) and sec.manages(b)):
        return False
    if kind == "system":
        static = {r.name for r in sec.roles}
        return a in static and b in static
    own = {r.name for r in desired.roles}
    return a in own or b in own


def read_live(conn: Conn, sec: Security, kind: str, schema: str | None,
              desired: TargetSecurity) -> tuple[TargetSecurity, list[str], set[str]]:
    """Return the live state of what the target manages, the grants it leaves alone, and
    the functions whose PUBLIC EXECUTE is PostgreSQL's default (no ACL of their own)."""
    names = [r.name for r in desired.roles]
    roles = read_roles(conn, names)
    members = [m for m in read_memberships(conn, names)
               if _relevant(sec, desired, kind, m.role, m.member)]
    acl = read_acls(conn, [schema])[schema] if schema else SchemaAcl()
    grants = acl.grants
    managed = [g for g in grants if _managed_grant(sec, desired, g)]
    unmanaged = [f"grant {g.privilege} on {g.object_type} {g.name or schema}"
                 f"{'.' + g.column if g.column else ''} to {g.grantee}"
                 for g in grants if not _managed_grant(sec, desired, g)
                 and g.grantee != PUBLIC]
    if kind == "system":
        rows = conn.execute(load_query("role_names")).fetchall()
        unmanaged += [f"role {r[0]}" for r in rows if not sec.manages(str(r[0]))]
    defaults = read_default_privileges(conn, [schema])[schema] if schema else []
    live = TargetSecurity(roles=tuple(roles), memberships=tuple(members),
                          grants=tuple(managed),
                          default_privileges=tuple(d for d in defaults
                                                   if d.grantee == PUBLIC
                                                   or sec.manages(d.grantee)))
    return live, sorted(set(unmanaged)), acl.default_acl


def after_creation(live: tuple[Grant, ...], desired: TargetSecurity,
                   created: frozenset[str]) -> tuple[Grant, ...]:
    """Return the live grants as they stand once the schema's steps ran.

    A function the plan creates (or drops and re-creates) has PostgreSQL's default ACL:
    EXECUTE for PUBLIC (kept where PUBLIC is managed there) and nothing else, so its old
    grants are planned again and its PUBLIC EXECUTE is revoked in the same plan.
    """
    kept = [g for g in live if not (g.object_type == "function" and g.name in created)]
    fresh = [Grant(object_type="function", name=name, grantee=PUBLIC, privilege="execute")
             for name in sorted(created) if desired.manages_public_execute(name)]
    return tuple(kept + fresh)


def plan_security(conn: Conn, project: Project, spec: TargetSpec, desired_model: SchemaModel,
                  schema_exists: bool, created: frozenset[str] = frozenset()) -> SecurityPlan:
    """Return the target's role and grant steps; nothing when policies/ declares nothing.

    `created`: signatures of the functions the schema's steps create or re-create.
    """
    sec = project.security
    if not sec.declared:
        return SecurityPlan()
    desired = target_security(sec, spec.kind, desired_model, tenant_slug(project, spec))
    live, unmanaged, default_acl = read_live(
        conn, sec, spec.kind, spec.schema if schema_exists else None, desired)
    target = Target(spec.schema, project.settings.system_schema)
    after = plan_grants(after_creation(live.grants, desired, created), desired.grants, target,
                        desired_model, frozenset(default_acl | created))
    after += plan_default_privileges(live.default_privileges, desired.default_privileges,
                                     target)
    return SecurityPlan(before=plan_roles(live, desired), after=after, unmanaged=unmanaged)
