"""Change stamps: has a tenant schema been touched since we last read it?

Reading a schema's catalog (digest.py, then introspection) costs seconds for a thousand
tenants; most runs find nothing changed. sql/stamps.sql instead sums, per schema, a hash
of each catalog row's identity and row version (`xmin`): any DDL, grant or comment adds,
removes or rewrites rows and moves the stamp, while VACUUM, ANALYZE and data changes do
not (they update catalog rows in place, or not at all). The rows outside every tenant
schema (the system schema, pg_catalog, extensions, shared roles) form a `shared` part
that is in every tenant's stamp: a tenant's model names such objects.

A stamp says nothing about content; statecache.py keeps, per schema, the stamp read just
before a full read together with what that read found, and the next run reuses it while
the stamp is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..codedigest import code_digest
from ..model import Project
from ..model.role import Role
from ..sqlfiles import read_sql
from .registry import Conn


@dataclass(frozen=True)
class Stamp:
    """A schema's change stamp: the shared part and its own part."""

    shared: str
    own: str

    @property
    def text(self) -> str:
        """Return the stamp as one comparable text."""
        return f"{self.shared}{SEPARATOR}{self.own}"


SEPARATOR = " | "


def shared_of(text: str) -> str:
    """Return the shared part of a stamp's text (Stamp.text)."""
    return text.split(SEPARATOR, 1)[0]


def read_stamps(conn: Conn, project: Project, schemas: Sequence[str],
                roles: Mapping[str, Role | None]) -> dict[str, Stamp]:
    """Return schema -> stamp for the schemas that exist (one query, any number)."""
    if not schemas:
        return {}
    template = project.security.tenant_role
    with conn.transaction(force_rollback=True):
        # A hash join over every catalog row: it needs more than the default 4MB to stay
        # in memory, and JIT costs more than it saves here.
        conn.execute("SELECT pg_catalog.set_config('jit', 'off', true), "
                     "pg_catalog.set_config('work_mem', '64MB', true)")
        rows = conn.execute(read_sql("zplus_schema.fleet", "stamps"), {
            "schemas": list(schemas),
            "roles": [r.name if (r := roles.get(s)) else None for s in schemas],
            "prefix": project.settings.tenant_schema_prefix,
            "role_prefix": template.prefix if template else None}).fetchall()
    return {str(name): Stamp(str(shared), str(own or "")) for name, shared, own in rows}


def context_key(conn: Conn, project: Project) -> str:
    """Return what a cached state is only valid under: code, server and declarations.

    The access digest compares the tenant role with its declaration, and fingerprints
    come from this version of the code, on this server version.
    """
    h = hashlib.sha256(code_digest().encode())
    h.update(str(conn.info.server_version).encode() + b"\0")
    h.update(project.settings.tenant_schema_prefix.encode() + b"\0")
    h.update(project.security.model_dump_json().encode())
    return h.hexdigest()
