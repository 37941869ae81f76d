"""Load policies/ (roles, the tenant role, grants) and check it against the schema model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem
from ..ident import MAX_IDENTIFIER_BYTES, identifier_problem
from ..model import Project, SchemaModel, tenant_model
from ..model.grant import DEFAULT_PRIVILEGES, PRIVILEGES, PUBLIC
from ..model.role import Membership, Role
from ..model.security import (
    ALL,
    TENANT_ROLE,
    DefaultRule,
    GrantRule,
    PublicExecute,
    Security,
    TenantRoleTemplate,
)
from . import policyspec as ps
from .yamlsrc import SourceDoc

Reader = Callable[[Path, type[ps.PoliciesFile]], "tuple[SourceDoc, ps.PoliciesFile] | None"]
SLUG_MAX = 48  # ident.slug_problem: at most 48 characters
_KIND = {"schema": "schema", "tables": "table", "sequences": "sequence", "functions": "function"}


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass
class _Collected:
    """Roles and rules read so far, with where each was written."""

    roles: dict[str, tuple[Role, Location]] = field(default_factory=dict)
    member_of: list[tuple[Membership, Location]] = field(default_factory=list)
    tenant_role: tuple[TenantRoleTemplate, Location] | None = None
    grants: dict[str, list[tuple[GrantRule, Location]]] = field(
        default_factory=lambda: {"system": [], "tenant": []})
    defaults: dict[str, list[tuple[DefaultRule, Location]]] = field(
        default_factory=lambda: {"system": [], "tenant": []})
    public_execute: tuple[PublicExecute, Location] | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, where: Location, obj: str, hint: str | None = None) -> None:
        """Record a located problem."""
        self.problems.append(Problem(message, where, obj, hint))


def _read_roles(doc: SourceDoc, spec: ps.PoliciesFile, out: _Collected) -> None:
    for name, r in spec.roles.items():
        where = doc.location(("roles", name))
        if name in out.roles:
            out.problem(f"role declared twice (also at {out.roles[name][1]})", where,
                        f"role {name}", "declare each role once under policies/")
            continue
        role = Role(name=name, login=r.login, inherit=r.inherit,
                    connection_limit=r.connection_limit, superuser=r.superuser,
                    createdb=r.createdb, createrole=r.createrole, bypassrls=r.bypassrls,
                    replication=r.replication, comment=r.comment)
        if role.powers and not (r.reason and r.reason.strip()):
            out.problem(f"{', '.join(role.powers)} declared without a reason", where,
                        f"role {name}", "these attributes bypass privileges or RLS: add "
                        "`reason: ...` saying why this role needs them, or remove them")
        out.roles[name] = (role, where)
        out.member_of += [(Membership(role=g, member=name), where) for g in r.member_of]


def _read_tenant_role(doc: SourceDoc, spec: ps.PoliciesFile, out: _Collected) -> None:
    if spec.tenant_role is None:
        return
    where = doc.location(("tenant_role",))
    if out.tenant_role is not None:
        out.problem(f"tenant_role declared twice (also at {out.tenant_role[1]})", where,
                    "tenant_role", "declare it in one file")
        return
    t = spec.tenant_role
    out.tenant_role = (TenantRoleTemplate(
        prefix=t.prefix, login=t.login, inherit=t.inherit, connection_limit=t.connection_limit,
        member_of=tuple(t.member_of), members=tuple(t.members), comment=t.comment), where)


def _read_grants(doc: SourceDoc, spec: ps.PoliciesFile, out: _Collected) -> None:
    for kind in ("system", "tenant"):
        for i, g in enumerate(getattr(spec.grants, kind)):
            object_type = _KIND[g.kind]
            privileges = _names(g.privileges)
            if privileges == ("all",):
                privileges = PRIVILEGES[object_type]
            rule = GrantRule(object_type=object_type,
                             objects=_names(g.objects), except_objects=tuple(g.except_),
                             columns=tuple(g.columns), except_columns=tuple(g.except_columns),
                             roles=_names(g.to), privileges=privileges,
                             grant_option=g.with_grant_option)
            out.grants[kind].append((rule, doc.location(("grants", kind, i))))


def _read_defaults(doc: SourceDoc, spec: ps.PoliciesFile, out: _Collected) -> None:
    for kind in ("system", "tenant"):
        for i, d in enumerate(getattr(spec.default_privileges, kind)):
            privileges = _names(d.privileges)
            if privileges == ("all",):
                privileges = DEFAULT_PRIVILEGES[d.kind]
            rule = DefaultRule(object_type=d.kind, roles=_names(d.to), privileges=privileges,
                               grant_option=d.with_grant_option)
            out.defaults[kind].append((rule, doc.location(("default_privileges", kind, i))))


def _read_functions(doc: SourceDoc, spec: ps.PoliciesFile, out: _Collected) -> None:
    if spec.functions is None:
        return
    where = doc.location(("functions",))
    if out.public_execute is not None:
        out.problem(f"functions declared twice (also at {out.public_execute[1]})", where,
                    "functions", "declare the project's function settings in one file")
        return
    out.public_execute = (spec.functions.public_execute, where)


def read_policies(folder: Path, read: Reader) -> _Collected:
    """Read every YAML file under policies/ (README.md and other files are ignored)."""
    out = _Collected()
    if not folder.is_dir():
        return out
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for file in files:
        loaded = read(file, ps.PoliciesFile)
        if loaded is None:
            continue
        doc, spec = loaded
        _read_roles(doc, spec, out)
        _read_tenant_role(doc, spec, out)
        _read_grants(doc, spec, out)
        _read_defaults(doc, spec, out)
        _read_functions(doc, spec, out)
    return out


def build_security(found: _Collected, project: Project) -> tuple[Security, list[Problem]]:
    """Return the declared Security and every problem of its cross-references."""
    sec = Security(
        roles=tuple(r for r, _ in found.roles.values()),
        memberships=tuple(m for m, _ in found.member_of),
        tenant_role=found.tenant_role[0] if found.tenant_role else None,
        system_grants=tuple(r for r, _ in found.grants["system"]),
        tenant_grants=tuple(r for r, _ in found.grants["tenant"]),
        system_defaults=tuple(r for r, _ in found.defaults["system"]),
        tenant_defaults=tuple(r for r, _ in found.defaults["tenant"]),
        public_execute=found.public_execute[0] if found.public_execute else "default",
    )
    checker = _Checker(found, sec, project)
    checker.run()
    return sec, found.problems + checker.problems


class _Checker:
    """Cross-reference checks: role names, known roles, objects, columns, privileges."""

    def __init__(self, found: _Collected, sec: Security, project: Project) -> None:
        self.found, self.sec, self.project = found, sec, project
        self.problems: list[Problem] = []
        try:
            self.tenant_all = tenant_model(project, project.module_names)
        except ValueError:  # a module cycle: reported by the schema checks
            self.tenant_all = project.tenant

    def problem(self, message: str, where: Location, obj: str, hint: str | None = None) -> None:
        """Record a located problem."""
        self.problems.append(Problem(message, where, obj, hint))

    def run(self) -> None:
        """Check everything declared."""
        prefix = self.sec.tenant_role.prefix if self.sec.tenant_role else None
        for name, (_, where) in self.found.roles.items():
            if problem := identifier_problem(name):
                self.problem(problem, where, f"role {name}", "role names are plain identifiers")
            if prefix and name.startswith(prefix):
                self.problem(f"role name starts with the tenant role prefix {prefix!r}", where,
                             f"role {name}", "tenant roles are made from tenant_role; rename it")
        for m, where in self.found.member_of:
            self._known(m.role, where, f"role {m.member}", "member_of")
        if self.found.tenant_role:
            self._tenant_role(*self.found.tenant_role)
        for kind, model in (("system", self.project.system), ("tenant", self.tenant_all)):
            for rule, where in self.found.grants[kind]:
                self._grant(kind, rule, model, where)
            for default, where in self.found.defaults[kind]:
                self._default(kind, default, where)

    def _known(self, role: str, where: Location, obj: str, what: str,
               extra: tuple[str, ...] = ()) -> None:
        if role in extra or any(r.name == role for r in self.sec.roles):
            return
        self.problem(f"{what} names role {role!r}, which policies/ does not declare", where,
                     obj, "declare it under roles: (roles are managed only when declared)")

    def _tenant_role(self, t: TenantRoleTemplate, where: Location) -> None:
        if identifier_problem(t.prefix + "a") or \
                len((t.prefix + "a" * SLUG_MAX).encode()) > MAX_IDENTIFIER_BYTES:
            self.problem(f"prefix {t.prefix!r} does not make valid role names for every slug",
                         where, "tenant_role", "use a short lower-case prefix such as tenant_")
        for g in t.member_of:
            self._known(g, where, "tenant_role", "member_of")
        for m in t.members:
            self._known(m, where, "tenant_role", "members")

    def _grant(self, kind: str, rule: GrantRule, model: SchemaModel, where: Location) -> None:
        obj = f"{kind} grant on {rule.object_type}"
        for role in rule.roles:
            self._known(role, where, obj, "the grant", self._extra(kind))
        col = bool(rule.columns or rule.except_columns)
        target = "column" if col else rule.object_type
        allowed = PRIVILEGES[target]
        for p in rule.privileges:
            if p not in allowed:
                self.problem(f"{p!r} is not a privilege on a {target}", where, obj,
                             f"use one of: {', '.join(allowed)} (or all)")
        if col and rule.object_type != "table":
            self.problem("columns apply to tables only", where, obj, "remove columns")
        if rule.object_type != "schema":
            self._objects(rule, model, where, obj)

    def _extra(self, kind: str) -> tuple[str, ...]:
        """Return the grantees allowed besides declared roles in a group's rules."""
        if kind == "tenant" and self.sec.tenant_role:
            return (PUBLIC, TENANT_ROLE)
        return (PUBLIC,)

    def _default(self, kind: str, rule: DefaultRule, where: Location) -> None:
        obj = f"{kind} default privileges on {rule.object_type}"
        for role in rule.roles:
            self._known(role, where, obj, "the default privilege", self._extra(kind))
        allowed = DEFAULT_PRIVILEGES[rule.object_type]
        for p in rule.privileges:
            if p not in allowed:
                self.problem(f"{p!r} is not a privilege on {rule.object_type}", where, obj,
                             f"use one of: {', '.join(allowed)} (or all)")

    def _objects(self, rule: GrantRule, model: SchemaModel, where: Location, obj: str) -> None:
        if rule.object_type == "table":
            names = {t.name for t in model.tables} | {v.name for v in model.views} | {
                m.name for m in model.materialized_views}
        elif rule.object_type == "sequence":
            names = {s.name for s in model.sequences}
        else:
            names = {f.name for f in model.functions}
        for name in (*rule.objects, *rule.except_objects):
            if name != ALL and name not in names:
                self.problem(f"no {rule.object_type} {name!r} in this schema's definitions",
                             where, obj, "check the name (tenant grants see the template "
                             "and every module)")
        if rule.columns and ALL in rule.objects:
            self.problem("columns need named tables, not *", where, obj,
                         "list the tables, or use except_columns with *")
        for table in (n for n in rule.objects if n != ALL):
            found = model.table(table)
            for c in (*rule.columns, *rule.except_columns):
                if found is not None and found.column(c) is None:
                    self.problem(f"table {table!r} has no column {c!r}", where, obj,
                                 "check the column name")
