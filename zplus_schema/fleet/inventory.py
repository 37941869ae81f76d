"""The fleet as it is: registered tenants, where they live, and each schema's fingerprint.

Each server's tenant schemas are introspected together (one query per object kind for all
of them), so the cost grows with the catalog, not with the number of round trips. A server
that cannot be reached is noted with one line; its tenants stay in the inventory without a
fingerprint, so a run reports them instead of forgetting them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import psycopg

from ..errors import ZplusError
from ..model import Project
from ..model.role import Role
from ..sqlfiles import read_sql
from .access import access_digests, tenant_role
from .registry import TenantRecord, read_tenants
from .servers import FleetConfig, Server
from .stamps import Stamps
from .state import ABSENT, SchemaState, fingerprints, read_states
from .statecache import recall, remember

Conn = psycopg.Connection[tuple[object, ...]]
APPLICATION_NAME = "zplus-schema fleet"


@dataclass(frozen=True)
class FleetTenant:
    """One tenant with the live state of its schema (None when its server is unreachable)."""

    record: TenantRecord
    fingerprint: str | None  # "absent" when the schema does not exist yet
    server_version: int = 0
    error: str | None = None  # why the schema could not be read, when fingerprint is None
    access: str = ""  # digest of the grants on the schema and its tenant role (access.py)
    role: Role | None = None  # the tenant's own role as declared, when policies/ has one
    digest: str | None = None  # catalog digest (state.py); None when not digested
    stamp: str | None = None  # change stamp read before the fingerprint (stamps.py)

    @property
    def label(self) -> str:
        """Return the target label, `tenant:SLUG`."""
        return f"tenant:{self.record.slug}"


@dataclass
class Inventory:
    """Every selected tenant, and the servers that could not be read (name -> reason)."""

    tenants: list[FleetTenant] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)
    # server -> its stamps' read: snapshot and shared part (the tenants' own are theirs)
    reads: dict[str, Stamps] = field(default_factory=dict)

    @property
    def reachable(self) -> list[FleetTenant]:
        """Return the tenants whose schema could be read."""
        return [t for t in self.tenants if t.fingerprint is not None]


def open_server(server: Server, lock_timeout: str = "10s") -> Conn:
    """Open an autocommit connection to a server, or raise one line naming it (no secrets).

    The session lock_timeout bounds catalog reads too: a table held by a long transaction
    must make the run fail with a message, not hang.
    """
    try:
        conn = psycopg.connect(server.conninfo, autocommit=True, connect_timeout=10,
                               application_name=APPLICATION_NAME)
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or ["connection failed"])[0]
        raise ZplusError(f"server {server.describe()} is unreachable: {first}",
                         hint="check the server, or its entry in zplus.yaml") from None
    conn.execute("SELECT pg_catalog.set_config('lock_timeout', %s, false)", (lock_timeout,))
    if conn.info.server_version >= 140000:
        # A run killed with -9 leaves its backends waiting (for a lock, say) and holding
        # the schema locks; with this the server notices the client is gone within a second
        # and rolls back, so a re-run can go ahead.
        conn.execute("SELECT pg_catalog.set_config('client_connection_check_interval', "
                     "'1s', false)")
    return conn


def server_version(conn: Conn) -> int:
    """Return the server's major version (e.g. 15)."""
    return conn.info.server_version // 10000


def take_inventory(config: FleetConfig, project: Project, only: Sequence[str] | None = None,
                   lock_timeout: str = "10s", full_read: bool = False) -> Inventory:
    """Read the registry, then fingerprint every tenant schema, one bulk read per server.

    Schemas whose change stamp is the one remembered from an earlier read are not read
    again (statecache.py), unless `full_read`.
    """
    with open_server(config.registry_server, lock_timeout) as conn:
        records = read_tenants(conn, project, only)
    by_server: dict[str, list[TenantRecord]] = {}
    for record in records:
        by_server.setdefault(record.server, []).append(record)
    inventory = Inventory()
    for name, members in sorted(by_server.items()):
        try:
            read, inventory.reads[name] = _read_server(
                config.server(name), project, members, lock_timeout, full_read)
            inventory.tenants += read
        except ZplusError as exc:
            inventory.unreachable[name] = exc.message
            inventory.tenants += [FleetTenant(r, None) for r in members]
    inventory.tenants.sort(key=lambda t: t.record.slug)
    return inventory


def _read_server(server: Server, project: Project, members: list[TenantRecord],
                 lock_timeout: str, full_read: bool) -> tuple[list[FleetTenant], Stamps]:
    """Fingerprint the schemas of one server's tenants: stamps, then the cache, then one
    digest read and few introspections for the schemas the cache cannot vouch for."""
    roles = {r.schema: tenant_role(project, r.schema) for r in members}
    with open_server(server, lock_timeout) as conn:
        version = server_version(conn)
        recalled = recall(conn, project, [r.schema for r in members], roles, full_read)
        todo = [r.schema for r in members if r.schema not in recalled.known]
        states, errors = _read_full(conn, todo, roles)
        access = _access(conn, project, states)
        remember(conn, recalled, states, access)
    for schema, state in list(states.items()):  # read in full: under the stamp read first
        stamp = recalled.stamps.get(schema)
        states[schema] = replace(state, stamp=stamp.text if stamp else None)
    for schema, state in recalled.known.items():  # remembered: with their stamp already
        states[schema], access[schema] = state, state.access or ""
    return [_tenant(r, states.get(r.schema), version, errors.get(r.schema),
                    access.get(r.schema, ""), roles[r.schema]) for r in members], \
        Stamps({}, recalled.read.snapshot, recalled.read.shared)


def _read_full(conn: Conn, schemas: list[str], roles: dict[str, Role | None]
               ) -> tuple[dict[str, SchemaState], dict[str, str]]:
    """Read schemas in full: one digest read, one introspection per distinct digest.

    Schemas with a table locked by another session are read one by one, so one tenant
    held by a long transaction fails alone instead of stalling the whole read.
    """
    errors: dict[str, str] = {}
    if not schemas:
        return {}, errors
    rows = conn.execute(read_sql("zplus_schema.fleet", "locked_schemas"),
                        (schemas,)).fetchall()
    busy = {str(r[0]) for r in rows}
    try:
        states = read_states(conn, [s for s in schemas if s not in busy], roles)
    except psycopg.errors.LockNotAvailable:  # locked since we looked: read one by one
        busy, states = set(schemas), {}
    for schema in sorted(busy):
        try:
            states.update(read_states(conn, [schema], roles))
        except psycopg.errors.LockNotAvailable as exc:
            errors[schema] = (f"schema {schema} could not be read: "
                              f"{str(exc).strip().splitlines()[0]} (a table is locked)")
    return states, errors


def _access(conn: Conn, project: Project, states: dict[str, SchemaState]) -> dict[str, str]:
    """Return schema -> access digest, read for one schema per catalog digest.

    The catalog digest covers the grants, default privileges and tenant role that the
    access digest is made of (the tenant role relative), so schemas that share a catalog
    digest share an access digest too.
    """
    by_digest: dict[str, list[str]] = {}
    alone: list[str] = []
    for schema, state in states.items():
        if state.fingerprint == ABSENT:
            continue
        if state.digest is None:
            alone.append(schema)
        else:
            by_digest.setdefault(state.digest, []).append(schema)
    read = access_digests(conn, project, alone + [m[0] for m in by_digest.values()])
    out = {s: read[s] for s in alone}
    for members in by_digest.values():
        out.update(dict.fromkeys(members, read[members[0]]))
    return out


def _tenant(record: TenantRecord, state: SchemaState | None, version: int, error: str | None,
            access: str, role: Role | None) -> FleetTenant:
    if state is None:
        return FleetTenant(record, None, version, error, access, role)
    return FleetTenant(record, state.fingerprint, version, error, access, role, state.digest,
                       state.stamp)


__all__ = ["FleetTenant", "Inventory", "fingerprints", "open_server", "take_inventory"]
