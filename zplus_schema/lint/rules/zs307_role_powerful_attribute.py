"""ZS307: a role of policies/ with SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION."""

from __future__ import annotations

from collections.abc import Iterator

from ..finding import Anchor, Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report every declared role with a powerful attribute (once, with the system group)."""
    if not s.is_system:
        return
    for role in s.project.security.roles:
        if role.powers:
            yield Hit(f"role {role.name} has {', '.join(role.powers)}: it bypasses privileges "
                      "or row-level security (or can grant itself more); keep it out of the "
                      "application's reach, or suppress with the reason it is needed",
                      f"role {role.name}", (Anchor("role", role.name),))


RULE = Rule(
    code="ZS307",
    name="role-powerful-attribute",
    severity=Severity.WARNING,
    summary="Role with SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION",
    why="These attributes sidestep the grants and policies the rest of policies/ declares: "
        "a BYPASSRLS role reads every tenant's rows, a CREATEROLE role can make itself "
        "members of tenant roles. The loader already refuses them without a `reason:`; "
        "this rule keeps them visible in every lint report and code-scanning alert.",
    bad="""
# file: policies/roles.yaml
roles:
  exporter:
    login: true
    bypassrls: true
    reason: nightly export of every tenant's usage
""",
    good="""
# file: policies/roles.yaml
roles:
  exporter:
    login: true
    comment: reads usage_stats through a policy made for it, as every role does
""",
    check=check,
)
