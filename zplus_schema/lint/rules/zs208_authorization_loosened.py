"""ZS208: a change that lets more roles see or change rows (RLS off, unforced, policy gone)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import ChangeSet


def _tables(cs: ChangeSet) -> Iterator[Hit]:
    for new in cs.desired.tables:
        old = cs.live.table(new.name)
        if old is None:
            continue
        if old.rls_enabled and not new.rls_enabled:
            yield Hit(f"disables row-level security on {new.name}: its policies stop "
                      "applying, to every role", f"table {new.name}", anchors.of_table(new))
        elif old.rls_forced and not new.rls_forced:
            yield Hit(f"stops forcing row-level security on {new.name}: its owner bypasses "
                      "the policies from now on", f"table {new.name}", anchors.of_table(new))


def _policies(cs: ChangeSet) -> Iterator[Hit]:
    desired = {p.key: p for p in cs.desired.policies}
    for old in cs.live.policies:
        new = desired.get(old.key)
        if cs.desired.table(old.table) is None:
            continue  # the table goes too
        if new is None and not old.permissive:
            yield Hit(f"drops restrictive policy {old.name} on {old.table}: the rows it kept "
                      "hidden become visible", f"policy {old.table}.{old.name}",
                      anchors.table(old.table))
        elif new is not None and "public" in new.roles and "public" not in old.roles:
            yield Hit(f"policy {new.name} on {new.table} now applies to every role (public), "
                      f"not only {', '.join(old.roles)}", f"policy {new.table}.{new.name}",
                      anchors.policy(new))


def check(cs: ChangeSet) -> Iterator[Hit]:
    """Report changes that widen who may read or write rows."""
    yield from _tables(cs)
    yield from _policies(cs)


RULE = Rule(
    code="ZS208",
    name="authorization-loosened",
    severity=Severity.WARNING,
    summary="Row-level security disabled, unforced, or a policy widened or dropped",
    why="These changes make rows visible to roles that could not see them before, often as "
        "a side effect of a refactoring. They deserve a security review of their own, not a "
        "line in a long plan.",
    bad="""
# live: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    row_level_security: forced
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
# file: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
""",
    good="""
# live: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
# file: schema/system/billing.yaml
tables:
  payments:
    comment: Payments of every tenant
    row_level_security: forced
    columns:
      id: {type: uuid, primary_key: true}
      tenant_id: {type: uuid, nullable: false}
""",
    check_change=check,
)
