"""ZS305: row-level security enabled but not forced: the table owner bypasses it."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report tables with RLS enabled but not FORCEd."""
    for table in s.model.tables:
        if table.rls_enabled and not table.rls_forced:
            yield Hit(f"row-level security on {table.name} is not forced: its owner (often "
                      "the role the application or a migration connects as) bypasses every "
                      "policy; write row_level_security: forced",
                      f"table {table.name}", anchors.of_table(table))


RULE = Rule(
    code="ZS305",
    name="rls-not-forced",
    severity=Severity.INFO,
    summary="Row-level security enabled but not forced",
    why="Policies do not apply to the table's owner unless RLS is FORCEd. Applications "
        "frequently connect as the role that owns the tables, so policies that were tested "
        "as another role silently stop applying in production.",
    bad="""
# file: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    row_level_security: enabled
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
    policies:
      tenant_isolation:
        using: "tenant_id = current_setting('app.tenant_id', true)::uuid"
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
