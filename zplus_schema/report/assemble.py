"""Build the access report of a live database."""

from __future__ import annotations

from typing import Any

import psycopg

from .build import build_default_privileges, build_roles, build_schemas
from .catalog import read_catalog
from .findings import all_findings
from .model import Report, Settings
from .tenantroles import role_owners
from .tenants import collapse


def build_report(conn: psycopg.Connection[Any], settings: Settings, source: str) -> Report:
    """Read the catalog and return the report: roles, collapsed sections, findings."""
    cat = read_catalog(conn, settings.system_schema, settings.tenant_schema_prefix,
                       settings.tenant_key)
    roles = build_roles(cat)
    raw = build_schemas(cat)
    owners = role_owners(settings, roles, [s.label for s in raw if s.kind == "tenant"])
    sections = collapse(raw, owners, settings.tenant_schema_prefix,
                        settings.tenant_role_prefix)
    defaults = build_default_privileges(cat)
    return Report(source=source, settings=settings, roles=roles, sections=sections,
                  default_privileges=defaults,
                  findings=all_findings(settings, raw, sections, roles, defaults))
