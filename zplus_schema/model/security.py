"""What policies/ declares: roles, memberships, the per-tenant role, grant rules.

Grant rules are templates over a schema's objects (`*`, `except`, `{tenant_role}`);
`expand_grants` turns them into concrete `Grant` rows for one target's desired model.
"""

from __future__ import annotations

from typing import Literal

from .base import Node
from .grant import PRIVILEGES, PUBLIC, DefaultKind, DefaultPrivilege, Grant
from .role import Membership, Role
from .schema import SchemaModel

TENANT_ROLE = "{tenant_role}"  # placeholder in grant rules: the target's tenant role
ALL = "*"
# Where PUBLIC keeps PostgreSQL's default EXECUTE on functions: everywhere (not managed),
# on SECURITY INVOKER functions only, or nowhere; a grant to public keeps it on a function.
PublicExecute = Literal["default", "security_definer_revoked", "revoked"]


class GrantRule(Node):
    """Privileges on some objects of a schema (or the schema itself) for some roles."""

    object_type: Literal["schema", "table", "sequence", "function"]
    objects: tuple[str, ...] = ()  # names, or "*" for every object of the type
    except_objects: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # set: column privileges on exactly these columns
    except_columns: tuple[str, ...] = ()  # set: column privileges on all other columns
    roles: tuple[str, ...]
    privileges: tuple[str, ...]
    grant_option: bool = False


class DefaultRule(Node):
    """Default privileges on objects the migrating role creates later in a schema."""

    object_type: DefaultKind
    roles: tuple[str, ...]
    privileges: tuple[str, ...]
    grant_option: bool = False


class TenantRoleTemplate(Node):
    """One role per tenant schema, named prefix + slug, with its memberships."""

    prefix: str = "tenant_"
    login: bool = False
    inherit: bool = True
    connection_limit: int = -1
    member_of: tuple[str, ...] = ()  # group roles each tenant role belongs to
    members: tuple[str, ...] = ()  # roles that may SET ROLE to each tenant role
    comment: str | None = None  # "{slug}" is replaced by the tenant's slug

    def role(self, slug: str) -> Role:
        """Return the tenant role of `slug`."""
        comment = self.comment.replace("{slug}", slug) if self.comment else None
        return Role(name=self.prefix + slug, login=self.login, inherit=self.inherit,
                    connection_limit=self.connection_limit, comment=comment)

    def memberships(self, slug: str) -> tuple[Membership, ...]:
        """Return the memberships of the tenant role of `slug` (as member and as group)."""
        name = self.prefix + slug
        return (*(Membership(role=g, member=name) for g in self.member_of),
                *(Membership(role=name, member=m) for m in self.members))


class Security(Node):
    """Everything policies/ declares."""

    roles: tuple[Role, ...] = ()
    memberships: tuple[Membership, ...] = ()
    tenant_role: TenantRoleTemplate | None = None
    system_grants: tuple[GrantRule, ...] = ()
    tenant_grants: tuple[GrantRule, ...] = ()
    system_defaults: tuple[DefaultRule, ...] = ()
    tenant_defaults: tuple[DefaultRule, ...] = ()
    public_execute: PublicExecute = "default"

    @property
    def declared(self) -> bool:
        """Return True when policies/ declares anything: otherwise nothing is managed."""
        return bool(self.roles or self.tenant_role or self.system_grants or self.tenant_grants
                    or self.system_defaults or self.tenant_defaults
                    or self.public_execute != "default")

    def manages(self, role: str) -> bool:
        """Return True for a role these definitions own: declared, or a tenant role."""
        if any(r.name == role for r in self.roles):
            return True
        return self.tenant_role is not None and role.startswith(self.tenant_role.prefix)


class TargetSecurity(Node):
    """The roles, memberships and grants one target manages (desired or live)."""

    roles: tuple[Role, ...] = ()
    memberships: tuple[Membership, ...] = ()
    grants: tuple[Grant, ...] = ()
    default_privileges: tuple[DefaultPrivilege, ...] = ()
    # Signatures of the functions whose EXECUTE for PUBLIC this target manages: `grants`
    # says whether PUBLIC keeps it; on the others PUBLIC's EXECUTE is left alone.
    public_execute: tuple[str, ...] = ()

    def manages_public_execute(self, signature: str) -> bool:
        """Return True when PUBLIC's EXECUTE on the function is managed here."""
        return signature in self.public_execute


def public_execute_functions(mode: PublicExecute, model: SchemaModel,
                             grants: tuple[Grant, ...]) -> tuple[str, ...]:
    """Return the functions of `model` whose EXECUTE for PUBLIC is managed.

    Those the mode covers, and those granted to public explicitly: a declared grant is
    always kept, whatever the mode.
    """
    chosen = {f.signature for f in model.functions if f.kind == "function"
              and (mode == "revoked" or (mode == "security_definer_revoked"
                                         and f.security_definer))}
    chosen |= {g.name for g in grants if g.object_type == "function" and g.grantee == PUBLIC}
    return tuple(sorted(chosen))


def public_execute_revokes(sec: TargetSecurity) -> tuple[Grant, ...]:
    """Return PUBLIC's EXECUTE on the managed functions that do not declare it: what a
    freshly created function has (PostgreSQL's default) and must lose."""
    kept = {g.name for g in sec.grants if g.object_type == "function" and g.grantee == PUBLIC}
    return tuple(Grant(object_type="function", name=name, grantee=PUBLIC, privilege="execute")
                 for name in sec.public_execute if name not in kept)


def expand_defaults(rules: tuple[DefaultRule, ...],
                    tenant_role: str | None) -> tuple[DefaultPrivilege, ...]:
    """Return the concrete default privileges of `rules` ({tenant_role} substituted)."""
    out: dict[tuple[str, ...], DefaultPrivilege] = {}
    for rule in rules:
        for role in (tenant_role if r == TENANT_ROLE else r for r in rule.roles):
            for priv in rule.privileges if role else ():
                assert role is not None
                d = DefaultPrivilege(object_type=rule.object_type, grantee=role, privilege=priv,
                                     grant_option=rule.grant_option)
                out[d.key] = d
    return tuple(sorted(out.values(), key=lambda d: d.key))


def _relations(model: SchemaModel) -> list[str]:
    return sorted({t.name for t in model.tables} | {v.name for v in model.views}
                  | {m.name for m in model.materialized_views})


def _names(rule: GrantRule, model: SchemaModel) -> list[str]:
    """Return the object names a rule covers in `model` (schema: the schema itself)."""
    if rule.object_type == "schema":
        return [""]
    if rule.object_type == "table":
        every = _relations(model)
    elif rule.object_type == "sequence":
        every = sorted(s.name for s in model.sequences)
    else:
        every = sorted(f.signature for f in model.functions if f.kind == "function")
    if ALL in rule.objects:
        chosen = every
    elif rule.object_type == "function":
        chosen = [s for s in every if s.split("(", 1)[0] in rule.objects]
    else:
        chosen = [n for n in every if n in rule.objects]
    skip = set(rule.except_objects)
    return [n for n in chosen if n.split("(", 1)[0] not in skip and n not in skip]


def _columns(rule: GrantRule, model: SchemaModel, table: str) -> list[str | None]:
    if not rule.columns and not rule.except_columns:
        return [None]
    found = model.table(table)
    names = list(found.column_names) if found else []
    if rule.columns:
        return [c for c in names if c in rule.columns]
    return [c for c in names if c not in rule.except_columns]


def expand_grants(rules: tuple[GrantRule, ...], model: SchemaModel,
                  tenant_role: str | None) -> tuple[Grant, ...]:
    """Return the concrete grants of `rules` on the objects of `model`.

    A rule naming `{tenant_role}` is skipped when the target has no tenant role (a
    `schema:NAME` target outside the tenant prefix).
    """
    out: dict[tuple[str, ...], Grant] = {}
    for rule in rules:
        roles = [tenant_role if r == TENANT_ROLE else r for r in rule.roles]
        for name in _names(rule, model):
            for column in (_columns(rule, model, name) if rule.object_type == "table"
                           else [None]):
                kind = "column" if column is not None else rule.object_type
                for role in roles:
                    if role is None:
                        continue
                    for priv in rule.privileges:
                        if priv not in PRIVILEGES[kind]:
                            continue  # e.g. DELETE in a rule that also lists columns
                        g = Grant(object_type=kind, name=name, column=column, grantee=role,
                                  privilege=priv, grant_option=rule.grant_option)
                        out[g.key] = g
    return tuple(sorted(out.values(), key=lambda g: g.key))


def target_security(sec: Security, kind: str, model: SchemaModel,
                    slug: str | None) -> TargetSecurity:
    """Return what one target manages: the system target owns the declared roles and their
    memberships; a tenant target owns its tenant role and that role's memberships. Each
    owns the grants on its own schema's objects, so plans of different targets never
    touch the same role, membership or grant."""
    if kind == "system":
        grants = expand_grants(sec.system_grants, model, None)
        return TargetSecurity(roles=sec.roles, memberships=sec.memberships, grants=grants,
                              default_privileges=expand_defaults(sec.system_defaults, None),
                              public_execute=public_execute_functions(sec.public_execute,
                                                                      model, grants))
    role = sec.tenant_role.role(slug) if sec.tenant_role and slug else None
    grants = expand_grants(sec.tenant_grants, model, role.name if role else None)
    return TargetSecurity(
        roles=(role,) if role else (),
        memberships=sec.tenant_role.memberships(slug) if sec.tenant_role and slug else (),
        grants=grants,
        default_privileges=expand_defaults(sec.tenant_defaults, role.name if role else None),
        public_execute=public_execute_functions(sec.public_execute, model, grants))
