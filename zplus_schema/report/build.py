"""Turn the catalog rows into per-schema sections, roles and default privileges."""

from __future__ import annotations

from collections import defaultdict

from .access import expand, inheritors
from .catalog import Catalog, FunctionRow, PolicyRow
from .model import Access, DefaultPrivilege, Function, Membership, Policy, Role, Section, Table
from .pretty import pretty_expr

RELKINDS = {"r": "table", "p": "partitioned table", "v": "view", "m": "materialized view",
            "f": "foreign table"}
COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}
OBJECT_TYPES = {"r": "tables", "S": "sequences", "f": "functions", "T": "types", "n": "schemas"}


def build_roles(cat: Catalog) -> list[Role]:
    """Return every role except PostgreSQL's predefined pg_* roles, with its memberships."""
    member_of: dict[str, list[Membership]] = defaultdict(list)
    for m in cat.members:
        member_of[m.member].append(Membership(m.role, m.admin, m.inherit))
    return [Role(*r[:9], member_of=sorted(member_of[r.name], key=lambda m: m.role))
            for r in sorted(cat.roles) if not r.name.startswith("pg_")]


def build_default_privileges(cat: Catalog) -> list[DefaultPrivilege]:
    """Return the default privileges, sorted."""
    return sorted({DefaultPrivilege(d.owner, d.schema_name,
                                    OBJECT_TYPES.get(d.object_type, d.object_type), d.grantee,
                                    d.privilege, d.grantable) for d in cat.default_acl},
                  key=lambda d: (d.owner, d.schema, d.object_type, d.grantee, d.privilege))


def _policy(row: PolicyRow) -> Policy:
    return Policy(row.name, COMMANDS.get(row.command, row.command), row.permissive,
                  tuple(sorted(row.roles)), pretty_expr(row.using_expr),
                  pretty_expr(row.with_check))


def _tables(cat: Catalog, heirs: dict[str, set[str]]) -> dict[str, list[Table]]:
    grants: dict[tuple[str, str], list[Access]] = defaultdict(list)
    for a in cat.relation_acl:
        grants[(a.schema_name, a.name)].append(
            Access(a.grantee, a.privilege, a.column_name, None, a.grantable))
    policies: dict[tuple[str, str], list[Policy]] = defaultdict(list)
    for p in cat.policies:
        policies[(p.schema_name, p.table_name)].append(_policy(p))
    out: dict[str, list[Table]] = defaultdict(list)
    for r in cat.relations:
        key = (r.schema_name, r.name)
        out[r.schema_name].append(Table(
            r.name, RELKINDS.get(r.kind, r.kind), r.owner, r.rls_enabled, r.rls_forced,
            r.has_tenant_key, expand(grants[key], heirs),
            sorted(policies[key], key=lambda p: p.name)))
    return out


def _functions(rows: list[FunctionRow], heirs: dict[str, set[str]]) -> dict[str, list[Function]]:
    by_fn: dict[tuple[str, str], list[FunctionRow]] = defaultdict(list)
    for f in rows:
        by_fn[(f.schema_name, f.signature)].append(f)
    out: dict[str, list[Function]] = defaultdict(list)
    for (schema, signature), fn_rows in sorted(by_fn.items()):
        first = fn_rows[0]
        grants = [Access(f.grantee, f.privilege, None, None, bool(f.grantable))
                  for f in fn_rows if f.grantee is not None and f.privilege is not None]
        out[schema].append(Function(signature, first.owner, first.security_definer,
                                    first.search_path, first.default_acl,
                                    expand(grants, heirs)))
    return out


def build_schemas(cat: Catalog) -> list[Section]:
    """Return one section per reported schema, with real names (not yet collapsed)."""
    heirs = inheritors(cat.members)
    tables, functions = _tables(cat, heirs), _functions(cat.functions, heirs)
    owners: dict[str, str] = {}
    grants: dict[str, list[Access]] = defaultdict(list)
    for s in cat.schemas:
        owners[s.schema_name] = s.owner
        if s.grantee is not None and s.privilege is not None:
            grants[s.schema_name].append(Access(s.grantee, s.privilege, None, None,
                                                bool(s.grantable)))
    return [Section("system" if name == cat.system_schema else "tenant", name, [name],
                    owners[name], expand(grants[name], heirs), tables.get(name, []),
                    functions.get(name, []))
            for name in sorted(owners)]
