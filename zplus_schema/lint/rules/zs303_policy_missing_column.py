"""ZS303: a policy expression uses a column its table does not have."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors, sqltext
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report column names in USING / WITH CHECK (outside sub-queries) the table lacks."""
    for pol in s.model.policies:
        table = s.visible.table(pol.table)
        if table is None:
            continue
        for clause, text in (("USING", pol.using), ("WITH CHECK", pol.with_check)):
            tree = sqltext.expression(text) if text else None
            if tree is None:
                continue
            for parts in sqltext.column_refs(tree):
                if len(parts) == 2 and parts[0] != pol.table:
                    continue  # another relation's column: only possible inside a sub-query
                name = parts[-1] if parts else ""
                if name and len(parts) <= 2 and table.column(name) is None:
                    yield Hit(f"policy {pol.name}: {clause} uses column {name}, which table "
                              f"{pol.table} does not have", f"policy {pol.table}.{pol.name}",
                              anchors.policy(pol))


RULE = Rule(
    code="ZS303",
    name="policy-missing-column",
    severity=Severity.ERROR,
    summary="Policy referencing a column the table does not have",
    why="CREATE POLICY fails on an unknown column. In a schema-per-tenant design it usually "
        "means a policy was copied from a shared-table design: the seed's `tenant_isolation` "
        "policy filters `customers.tenant_id`, a column tenant tables do not have, because "
        "the schema itself is the tenant boundary.",
    bad="""
tables:
  customers:
    comment: End customers
    row_level_security: enabled
    columns:
      id: {type: uuid, primary_key: true}
    policies:
      tenant_isolation:
        using: "tenant_id = current_setting('app.tenant_id', true)::uuid"
""",
    good="""
# file: schema/system/tenants.yaml
tables:
  subscriptions:
    comment: Subscriptions, one table for every tenant
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
