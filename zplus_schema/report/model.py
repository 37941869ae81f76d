"""The access report as data: what the renderers print and the JSON document holds."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

REPORT_VERSION = 1
# Matrix columns, in PostgreSQL's order; MAINTAIN (PostgreSQL 17+) shows when granted.
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
                    "TRIGGER", "MAINTAIN")
SEVERITIES = ("critical", "high", "medium", "low")
PUBLIC = "PUBLIC"
# Stands for each tenant schema's own role in a collapsed tenant section (see docs/report.md).
TENANT_ROLE = "{tenant_role}"


@dataclass(frozen=True)
class Access:
    """One privilege a role holds on an object, directly, as PUBLIC, or inherited (via)."""

    role: str
    privilege: str
    column: str | None = None  # None: the whole table
    via: str | None = None  # None: granted to `role` itself; else the role holding the grant
    grantable: bool = False

    def sort_key(self) -> tuple[str, int, str, str]:
        """Return the key ordering accesses by role, privilege, column and source."""
        order = TABLE_PRIVILEGES.index(self.privilege) if self.privilege in \
            TABLE_PRIVILEGES else len(TABLE_PRIVILEGES)
        return (self.role, order, self.column or "", self.via or "")


@dataclass(frozen=True)
class Policy:
    """One row-level security policy, expressions pretty-printed."""

    name: str
    command: str  # ALL | SELECT | INSERT | UPDATE | DELETE
    permissive: bool
    roles: tuple[str, ...]
    using: str | None
    with_check: str | None


@dataclass
class Table:
    """One table (or view): owner, RLS state, policies and who may do what on it."""

    name: str
    kind: str  # table | partitioned table | view | materialized view | foreign table
    owner: str
    rls_enabled: bool
    rls_forced: bool
    has_tenant_key: bool
    access: list[Access] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    in_schemas: int = 1  # tenant template: how many of its schemas have the table (modules)


@dataclass
class Function:
    """One function or procedure: security mode, fixed search_path, EXECUTE privileges."""

    signature: str
    owner: str
    security_definer: bool
    search_path: str | None
    default_acl: bool  # no ACL of its own: PostgreSQL's default EXECUTE to PUBLIC applies
    execute: list[Access] = field(default_factory=list)


@dataclass
class Section:
    """The access of one schema, or of several tenant schemas that grant exactly the same."""

    kind: str  # system | tenant-template | tenant-variant
    label: str  # public, tenant_*, or the differing tenant schema(s)
    schemas: list[str]
    owner: str
    schema_access: list[Access] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)


@dataclass(frozen=True)
class Membership:
    """A role's membership in another role."""

    role: str
    admin: bool
    inherit: bool


@dataclass
class Role:
    """One role with the attributes an auditor asks about."""

    name: str
    login: bool
    superuser: bool
    bypassrls: bool
    createrole: bool
    createdb: bool
    inherit: bool
    connection_limit: int
    bootstrap: bool
    member_of: list[Membership] = field(default_factory=list)


@dataclass(frozen=True)
class DefaultPrivilege:
    """One ALTER DEFAULT PRIVILEGES entry: objects `owner` creates in `schema` get it."""

    owner: str
    schema: str  # "" for every schema
    object_type: str  # tables | sequences | functions | types | schemas
    grantee: str
    privilege: str
    grantable: bool


@dataclass(frozen=True)
class Finding:
    """One problem: how bad, a stable code, the object, what is wrong and what to do."""

    severity: str
    code: str
    object: str
    message: str
    action: str

    def sort_key(self) -> tuple[int, str, str, str]:
        """Return the key ordering findings by severity, code and object."""
        return (SEVERITIES.index(self.severity), self.code, self.object, self.message)


@dataclass
class Settings:
    """What the report took as the system schema, tenant prefixes and tenant key column."""

    system_schema: str
    tenant_schema_prefix: str
    tenant_role_prefix: str
    tenant_key: str = "tenant_id"


@dataclass
class Report:
    """The whole access report."""

    source: str
    settings: Settings
    roles: list[Role] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    default_privileges: list[DefaultPrivilege] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    version: int = REPORT_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Return the report as the documented JSON document (docs/report.md)."""
        return asdict(self)

    def to_json(self) -> str:
        """Return the JSON document, keys sorted, ending with a newline."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
