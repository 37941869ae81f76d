"""Roles, memberships and grants -> SQL (CREATE ROLE, GRANT, REVOKE, ALTER ROLE)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..ident import quote_ident, quote_literal
from ..model import Project, SchemaModel
from ..model.grant import PUBLIC, DefaultPrivilege, Grant
from ..model.role import Membership, Role
from ..model.security import public_execute_revokes, target_security
from .context import Target
from .statement import Statement

# Attribute -> (keyword when true, keyword when false); PostgreSQL's defaults are false
# except INHERIT.
_FLAGS = (("superuser", "SUPERUSER", "NOSUPERUSER"), ("createdb", "CREATEDB", "NOCREATEDB"),
          ("createrole", "CREATEROLE", "NOCREATEROLE"), ("inherit", "INHERIT", "NOINHERIT"),
          ("login", "LOGIN", "NOLOGIN"), ("replication", "REPLICATION", "NOREPLICATION"),
          ("bypassrls", "BYPASSRLS", "NOBYPASSRLS"))
_DEFAULT = Role(name="x")


def role_options(role: Role, base: Role = _DEFAULT) -> list[str]:
    """Return the role's options that differ from `base` (CREATE: PostgreSQL's defaults)."""
    out = [on if getattr(role, attr) else off for attr, on, off in _FLAGS
           if getattr(role, attr) != getattr(base, attr)]
    if role.connection_limit != base.connection_limit:
        out.append(f"CONNECTION LIMIT {role.connection_limit}")
    return out


def create_role_sql(role: Role) -> str:
    """Return CREATE ROLE with the non-default options."""
    opts = role_options(role)
    return f"CREATE ROLE {quote_ident(role.name)}" + (" " + " ".join(opts) if opts else "")


def create_role_if_missing_sql(role: Role) -> str:
    """Return a DO block creating the role unless it exists: roles are shared by the cluster,
    so a script for one schema must not fail because another schema's script made it."""
    return (f"DO $$\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = "
            f"{quote_literal(role.name)}) THEN\n    {create_role_sql(role)};\n  END IF;\n"
            "END\n$$")


def alter_role_sql(old: Role, new: Role) -> str | None:
    """Return ALTER ROLE for changed attributes, or None."""
    opts = role_options(new, old)
    return f"ALTER ROLE {quote_ident(new.name)} WITH {' '.join(opts)}" if opts else None


def role_comment_sql(role: Role) -> str:
    """Return COMMENT ON ROLE (IS NULL when the comment is gone)."""
    text = "NULL" if role.comment is None else quote_literal(role.comment)
    return f"COMMENT ON ROLE {quote_ident(role.name)} IS {text}"


def grant_membership_sql(m: Membership) -> str:
    """Return GRANT role TO member."""
    sql = f"GRANT {quote_ident(m.role)} TO {quote_ident(m.member)}"
    return sql + (" WITH ADMIN OPTION" if m.admin_option else "")


def revoke_membership_sql(m: Membership) -> str:
    """Return REVOKE role FROM member."""
    return f"REVOKE {quote_ident(m.role)} FROM {quote_ident(m.member)}"


def grantee_sql(name: str) -> str:
    """Return a grantee: PUBLIC or a quoted role name."""
    return "PUBLIC" if name == PUBLIC else quote_ident(name)


def object_sql(g: Grant, target: Target) -> str:
    """Return the ON clause: ON SCHEMA s, ON TABLE s.t, ON SEQUENCE .., ON FUNCTION s.f(..)."""
    if g.object_type == "schema":
        return f"SCHEMA {quote_ident(target.schema)}"
    if g.object_type == "function":
        name, _, args = g.name.partition("(")
        return f"FUNCTION {target.q(name)}({args}"
    word = "SEQUENCE" if g.object_type == "sequence" else "TABLE"
    return f"{word} {target.q(g.name)}"


def _groups(grants: Iterable[Grant]) -> dict[tuple[str, ...], list[Grant]]:
    """Group grants into statements: per object, grantee and grant option; columns of one
    privilege together."""
    groups: dict[tuple[str, ...], list[Grant]] = defaultdict(list)
    for g in grants:
        extra = (g.privilege,) if g.column is not None else ("",)
        key = (g.object_type, g.name, g.grantee, str(g.grant_option), *extra)
        groups[key].append(g)
    return groups


def _privileges(items: list[Grant]) -> str:
    """Return `SELECT, INSERT` for object privileges, `SELECT (a, b)` for column ones."""
    columns = sorted(g.column for g in items if g.column is not None)
    if columns:
        return f"{items[0].privilege.upper()} ({', '.join(quote_ident(c) for c in columns)})"
    return ", ".join(sorted({g.privilege.upper() for g in items}))


def grant_statements(grants: Iterable[Grant], target: Target, *, revoke: bool = False,
                     option_only: bool = False) -> list[Statement]:
    """Return GRANT (or REVOKE) statements, one per object, grantee and grant option.

    `option_only` revokes just the grant option (REVOKE GRANT OPTION FOR ...).
    """
    out = []
    for key, items in sorted(_groups(grants).items()):
        g = items[0]
        on, who, privs = object_sql(g, target), grantee_sql(g.grantee), _privileges(items)
        if revoke:
            head = "REVOKE GRANT OPTION FOR" if option_only else "REVOKE"
            sql = f"{head} {privs} ON {on} FROM {who}"
        else:
            sql = f"GRANT {privs} ON {on} TO {who}"
            sql += " WITH GRANT OPTION" if g.grant_option else ""
        out.append(Statement(sql, "grant", "\x00".join(key),
                             requires=frozenset(_requires(g))))
    return out


def _requires(g: Grant) -> set[str]:
    if g.object_type in ("table", "column"):
        return {f"table:{g.name}"}
    if g.object_type == "sequence":
        return {f"sequence:{g.name}"}
    return set()


def role_statements(roles: Iterable[Role], memberships: Iterable[Membership]) -> list[Statement]:
    """Return idempotent role creation, comments and memberships for a compiled script."""
    out = []
    for r in sorted(roles, key=lambda r: r.name):
        out.append(Statement(create_role_if_missing_sql(r), "role", r.name))
        if r.comment:
            out.append(Statement(role_comment_sql(r), "role", r.name))
    out += [Statement(grant_membership_sql(m), "role", f"{m.role}\x00{m.member}")
            for m in sorted(memberships, key=lambda m: m.key)]
    return out


def security_statements(project: Project, kind: str, model: SchemaModel, slug: str | None,
                        target: Target) -> tuple[list[Statement], list[Statement]]:
    """Return (roles and memberships to run first, grants to run last) for a compiled script.

    Empty when policies/ declares nothing. Role creation is idempotent (roles are shared by
    every schema of the cluster).
    """
    if not project.security.declared:
        return [], []
    sec = target_security(project.security, kind, model, slug)
    # The script creates its functions, so each has PostgreSQL's default EXECUTE for PUBLIC.
    last = grant_statements(public_execute_revokes(sec), target, revoke=True)
    last += grant_statements(sec.grants, target)
    last += default_privilege_statements(sec.default_privileges, target)
    return role_statements(sec.roles, sec.memberships), last


def default_privilege_statements(defaults: Iterable[DefaultPrivilege], target: Target, *,
                                 revoke: bool = False) -> list[Statement]:
    """Return ALTER DEFAULT PRIVILEGES IN SCHEMA ... GRANT (or REVOKE), one per kind,
    grantee and grant option. They apply to objects the role running them creates later."""
    groups: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for d in defaults:
        groups[(d.object_type, d.grantee, d.grant_option)].append(d.privilege.upper())
    out = []
    for (kind, grantee, option), privs in sorted(groups.items()):
        head = f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quote_ident(target.schema)}"
        listed = ", ".join(sorted(privs))
        if revoke:
            sql = f"{head} REVOKE {listed} ON {kind.upper()} FROM {grantee_sql(grantee)}"
        else:
            sql = f"{head} GRANT {listed} ON {kind.upper()} TO {grantee_sql(grantee)}"
            sql += " WITH GRANT OPTION" if option else ""
        out.append(Statement(sql, "default_privilege", f"{kind}\x00{grantee}"))
    return out
