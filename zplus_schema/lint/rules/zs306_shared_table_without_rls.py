"""ZS306: a system-schema table holding rows of many tenants without row-level security."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject

TENANT_KEY = "tenant_id"


def check(s: Subject) -> Iterator[Hit]:
    """Report system tables with a tenant_id column and RLS disabled."""
    if not s.is_system:
        return
    for table in s.model.tables:
        if table.column(TENANT_KEY) is not None and not table.rls_enabled:
            yield Hit(f"{table.name} holds rows of every tenant ({TENANT_KEY}) but has no "
                      "row-level security: any role that may read it reads every tenant's "
                      "rows", f"table {table.name}", anchors.of_table(table))


RULE = Rule(
    code="ZS306",
    name="shared-table-without-rls",
    severity=Severity.INFO,
    summary="Shared system table with `tenant_id` but no row-level security",
    why="In a schema-per-tenant database, schema privileges isolate tenants, except in the "
        "shared system schema, where tables such as subscriptions or audit logs carry a "
        "`tenant_id`. Row-level security (FORCEd) there keeps a tenant-scoped role from "
        "reading other tenants' rows.",
    bad="""
# file: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
""",
    good="""
# file: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    row_level_security: forced
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
    policies:
      tenant_isolation:
        using: "tenant_id = current_setting('app.tenant_id', true)::uuid"
""",
    check=check,
)
