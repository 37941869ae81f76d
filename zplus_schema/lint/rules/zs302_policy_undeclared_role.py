"""ZS302: a policy names a role that is not declared."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report policy roles that are neither built in nor declared in lint.known_roles."""
    for pol in s.model.policies:
        for role in pol.roles:
            if not s.role_known(role):
                yield Hit(f"policy {pol.name} on {pol.table} is for role {role}, which is not "
                          "declared; CREATE POLICY fails on a database without it (declare it "
                          "under lint.known_roles in schema/project.yaml once it is created "
                          "elsewhere)", f"policy {pol.table}.{pol.name}", anchors.policy(pol))


RULE = Rule(
    code="ZS302",
    name="policy-undeclared-role",
    severity=Severity.ERROR,
    summary="Policy for a role that is not declared",
    why="`CREATE POLICY ... TO role` fails when the role does not exist, and a policy for a "
        "misspelt role protects nothing. The seed's RLS example is for `application_role`, "
        "which its role section never creates (it creates `app_user`). Roles created outside "
        "these definitions are listed under `lint: {known_roles: [...]}` in "
        "schema/project.yaml.",
    bad="""
tables:
  customers:
    comment: End customers
    row_level_security: enabled
    columns:
      id: {type: uuid, primary_key: true}
      owner: {type: text, nullable: false}
    policies:
      own_rows: {roles: [application_role], using: "owner = current_user"}
""",
    good="""
# file: schema/project.yaml
lint:
  known_roles: [app_user]
# file: schema/tenant/example.yaml
tables:
  customers:
    comment: End customers
    row_level_security: enabled
    columns:
      id: {type: uuid, primary_key: true}
      owner: {type: text, nullable: false}
    policies:
      own_rows: {roles: [app_user], using: "owner = current_user"}
""",
    check=check,
)
