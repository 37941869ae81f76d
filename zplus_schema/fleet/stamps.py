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
    alien: int = 0  # rows written since a given snapshot by other transactions (since=)

    @property
    def text(self) -> str:
        """Return the stamp as one comparable text."""
        return f"{self.shared}{SEPARATOR}{self.own}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Return the stamp whose text (Stamp.text) this is."""
        shared, _, own = text.partition(SEPARATOR)
        return cls(shared, own)

    def counts(self) -> dict[str, int]:
        """Return the number of the schema's own rows per catalog part."""
        out: dict[str, int] = {}
        for item in self.own.split():
            head = item.split(":", 1)[0]
            out[head[0]] = int(head[1:])
        return out


SEPARATOR = " | "
# Hash joins and a hash aggregate over every catalog row: they need more than the default
# 4MB to stay in memory; the planner's estimates for the CTEs lead it to sort 750,000 rows
# instead (0.3 s of 1 s for a thousand tenants); JIT costs more than it saves here.
_SETTINGS = ("SELECT pg_catalog.set_config('jit', 'off', true), "
             "pg_catalog.set_config('work_mem', '64MB', true), "
             "pg_catalog.set_config('enable_sort', 'off', true)")


def shared_of(text: str) -> str:
    """Return the shared part of a stamp's text (Stamp.text)."""
    return text.split(SEPARATOR, 1)[0]


@dataclass(frozen=True)
class Stamps:
    """Stamps read together, and the snapshot they were read in."""

    by_schema: dict[str, Stamp]
    snapshot: str = ""  # txid_current_snapshot() of the read
    shared: str = ""  # the shared part (also when none of the schemas exists)

    def before(self, schema: str) -> Stamp | None:
        """Return the schema's stamp; an absent schema's is the shared part alone."""
        found = self.by_schema.get(schema)
        return found or (Stamp(self.shared, "") if self.shared else None)


@dataclass(frozen=True)
class Since:
    """Count rows written after `snapshot` by transactions other than each schema's own."""

    snapshot: str
    xids: dict[str, int]  # schema -> its own transaction id


def read_stamps(conn: Conn, project: Project, schemas: Sequence[str],
                roles: Mapping[str, Role | None], since: Since | None = None) -> Stamps:
    """Return the stamps of the schemas that exist (one query, any number), and the
    shared part even when none does."""
    template = project.security.tenant_role
    xmax, xip = _snapshot(since.snapshot) if since else (None, [])
    with conn.transaction(force_rollback=True):
        conn.execute(_SETTINGS)
        rows = conn.execute(read_sql("zplus_schema.fleet", "stamps"), {
            "schemas": list(schemas),
            "roles": [r.name if (r := roles.get(s)) else None for s in schemas],
            "prefix": project.settings.tenant_schema_prefix,
            "role_prefix": template.prefix if template else None,
            "xids": [since.xids[s] % 2**32 if since and s in since.xids else None
                     for s in schemas],
            "xmax": xmax, "xip": xip}).fetchall()
    return Stamps({str(r[0]): Stamp(str(r[1]), str(r[2] or ""), int(str(r[3])))
                   for r in rows if r[0] is not None},
                  str(rows[0][4]) if rows else "", str(rows[0][1]) if rows else "")


def shared_stamp(conn: Conn, project: Project) -> str:
    """Return the shared part of the stamps alone: the state outside the tenant schemas."""
    return read_stamps(conn, project, [], {}).shared


def _snapshot(text: str) -> tuple[int, list[int]]:
    """Return (xmax, xip) of a txid_snapshot's text, as 32-bit transaction ids."""
    _xmin, xmax, xip = text.split(":")
    return int(xmax) % 2**32, [int(x) % 2**32 for x in xip.split(",") if x]


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
