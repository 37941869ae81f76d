"""ZS301: row-level security enabled on a table that has no policy."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report tables with RLS enabled and not one policy."""
    for table in s.model.tables:
        if not table.rls_enabled or any(p.table == table.name for p in s.visible.policies):
            continue
        who = "no role, not even the owner," if table.rls_forced else \
            "no role but the owner and superusers"
        yield Hit(f"row-level security is enabled on {table.name} but it has no policy: "
                  f"{who} can read or write any row; add the policies or disable RLS",
                  f"table {table.name}", anchors.of_table(table))


RULE = Rule(
    code="ZS301",
    name="rls-without-policies",
    severity=Severity.WARNING,
    summary="Row-level security enabled without policies",
    why="With RLS enabled and no policy, PostgreSQL applies a default deny: the application "
        "sees empty tables and its writes fail, which is usually discovered in production. "
        "If denying everyone is the intent, say so with an explicit restrictive policy.",
    bad="""
tables:
  subscriptions:
    comment: Subscriptions of tenants
    row_level_security: forced
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
""",
    good="""
tables:
  subscriptions:
    comment: Subscriptions of tenants
    row_level_security: forced
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
    policies:
      tenant_isolation:
        using: "tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid"
""",
    check=check,
)
