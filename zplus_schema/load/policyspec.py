"""The YAML format of policies/: roles, the per-tenant role, grants per schema kind."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .spec import Spec

Names = str | list[str]


def _no_password(data: object) -> object:
    if isinstance(data, dict) and ("password" in data or "encrypted_password" in data):
        raise ValueError("passwords never go in YAML: create the role here without one and "
                         "set it outside (ALTER ROLE ... PASSWORD from a secret store), or "
                         "authenticate by certificate, peer or IAM in pg_hba.conf")
    return data


class RoleSpec(Spec):
    """A cluster role. Powerful attributes need a `reason:`."""

    login: bool = Field(False, description="LOGIN (never with a password here)")
    inherit: bool = Field(True, description="false: NOINHERIT, must SET ROLE to use groups")
    connection_limit: int = Field(-1, ge=-1, description="-1: no limit")
    superuser: bool = False
    createdb: bool = False
    createrole: bool = False
    bypassrls: bool = False
    replication: bool = False
    member_of: list[str] = Field([], description="group roles this role is a member of")
    comment: str | None = None
    reason: str | None = Field(None, description="why a powerful attribute is needed")

    _check_password = model_validator(mode="before")(_no_password)


class TenantRoleSpec(Spec):
    """One role per tenant schema: prefix + slug."""

    prefix: str = Field("tenant_", description="tenant_ makes tenant_acme for slug acme")
    login: bool = False
    inherit: bool = True
    connection_limit: int = Field(-1, ge=-1)
    member_of: list[str] = Field([], description="group roles every tenant role is in")
    members: list[str] = Field([], description="roles that may SET ROLE to a tenant role")
    comment: str | None = Field(None, description="{slug} is replaced by the tenant slug")

    _check_password = model_validator(mode="before")(_no_password)


class GrantSpec(Spec):
    """Privileges on objects of the schema (or the schema itself) for roles."""

    # `kind`, not `on`: YAML 1.1 tools (PyYAML, some editors) read a bare `on` key as true.
    kind: Literal["schema", "tables", "sequences", "functions"]
    objects: Names = Field("*", description="names, or * for every object of the kind")
    except_: list[str] = Field([], alias="except", description="objects left out of *")
    columns: list[str] = Field([], description="column privileges on these columns only")
    except_columns: list[str] = Field([], description="column privileges on all but these")
    to: Names = Field(description="roles; {tenant_role} in tenant grants; public")
    privileges: Names = Field(description="e.g. [select, insert] or all")
    with_grant_option: bool = False


class GrantsSpec(Spec):
    """Grants on the system schema's objects and on every tenant schema's objects."""

    system: list[GrantSpec] = Field([])
    tenant: list[GrantSpec] = Field([])


class DefaultPrivilegeSpec(Spec):
    """Privileges objects get when the migrating role creates them later in the schema."""

    kind: Literal["tables", "sequences", "functions"]
    to: Names = Field(description="roles; {tenant_role} in tenant defaults; public")
    privileges: Names = Field(description="e.g. [select, insert] or all")
    with_grant_option: bool = False


class DefaultPrivilegesSpec(Spec):
    """Default privileges in the system schema and in every tenant schema."""

    system: list[DefaultPrivilegeSpec] = Field([])
    tenant: list[DefaultPrivilegeSpec] = Field([])


class FunctionsSpec(Spec):
    """How the project treats functions as a whole (one file declares it)."""

    public_execute: Literal["default", "security_definer_revoked", "revoked"] = Field(
        "default", description="default: PostgreSQL's EXECUTE for PUBLIC is left alone; "
        "security_definer_revoked: revoked on SECURITY DEFINER functions; revoked: on every "
        "function (a grant to public keeps it)")


class PoliciesFile(Spec):
    """A file under policies/ (any name); the files are merged."""

    roles: dict[str, RoleSpec] = Field({})
    tenant_role: TenantRoleSpec | None = None
    grants: GrantsSpec = GrantsSpec()
    default_privileges: DefaultPrivilegesSpec = DefaultPrivilegesSpec()
    functions: FunctionsSpec | None = None
