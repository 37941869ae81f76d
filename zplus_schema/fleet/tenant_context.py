"""What every tenant operation needs: the project, the servers, connections, locks, ledger.

An operation touches up to two servers: the registry server (the system schema with the
tenant registry) and the server holding the tenant's schema. When they are the same
server, one connection and one transaction cover both, so the operation is all or
nothing. When they differ, `both()` nests the tenant transaction inside the registry one:
the tenant side commits first, the registry last, and a failure before the last commit
rolls both back (a failure of the last commit itself is handled by the operation).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from ..apply.ledger import LedgerEntry, ensure_ledger, record
from ..errors import ZplusError
from ..load import Loaded
from .registry import TenantRecord, read_tenants
from .servers import FleetConfig, Server

Conn = psycopg.Connection[tuple[object, ...]]


class TenantRefused(ZplusError):
    """The operation was refused before anything was written (exit code 3)."""


@dataclass
class TenantFleet:
    """The loaded project, the servers of zplus.yaml and the connections opened so far."""

    loaded: Loaded
    config: FleetConfig
    lock_timeout: str = "10s"
    _conns: dict[str, Conn] = field(default_factory=dict)

    @property
    def system_schema(self) -> str:
        """Return the name of the system schema holding the registry."""
        return self.loaded.project.settings.system_schema

    def schema_of(self, slug: str) -> str:
        """Return the schema name of a tenant slug (the slug must be valid already)."""
        return self.loaded.project.settings.tenant_schema_prefix + slug

    def conn(self, server: str) -> Conn:
        """Return the autocommit connection to a server of zplus.yaml, opening it once."""
        if server not in self._conns:
            self._conns[server] = open_conn(self.config.server(server), self.lock_timeout)
        return self._conns[server]

    @property
    def registry(self) -> Conn:
        """Return the connection to the registry server."""
        return self.conn(self.config.registry)

    def tenant(self, slug: str) -> TenantRecord:
        """Return the registered tenant `slug` (one clear error when it is not registered)."""
        (record_,) = read_tenants(self.registry, self.loaded.project, [slug])
        return record_

    def tenants(self, only: Sequence[str] | None = None) -> list[TenantRecord]:
        """Return the registered tenants (all, or the slugs in `only`)."""
        return read_tenants(self.registry, self.loaded.project, only)

    def close(self) -> None:
        """Close every connection opened."""
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()


def open_conn(server: Server, lock_timeout: str = "10s") -> Conn:
    """Open an autocommit connection to a server, or raise one clear line saying why not."""
    try:
        conn = psycopg.connect(server.conninfo, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        last = (str(exc).strip().splitlines() or ["connection failed"])[-1]
        raise ZplusError(f"cannot connect to server {server.describe()}: {last}",
                         hint="check the server is up and its entry in zplus.yaml") from None
    conn.execute("SELECT pg_catalog.set_config('lock_timeout', %s, false)", (lock_timeout,))
    return conn


@contextmanager
def both(registry: Conn, tenant: Conn) -> Iterator[None]:
    """Run a block in one transaction per server: tenant side commits first, registry last."""
    if registry is tenant:
        with registry.transaction():
            yield
        return
    with registry.transaction(), tenant.transaction():
        yield


def lock_tenant(conn: Conn, slug: str, schema: str) -> None:
    """Take the tenant's and its schema's transaction locks, or refuse when another run has them.

    The schema key is the one `apply` holds for its whole run, so a tenant operation and an
    apply on the same schema never interleave.
    """
    for key in (f"zplus-tenant:{slug}", f"zplus-schema:{schema}"):
        row = conn.execute("SELECT pg_catalog.pg_try_advisory_xact_lock("
                           "pg_catalog.hashtext(%s))", (key,)).fetchone()
        if not row or not row[0]:
            raise TenantRefused(f"another zplus-schema run is working on tenant {slug}",
                                hint="wait for it to finish (see zplus_meta.ledger), then re-run")


def schema_exists(conn: Conn, schema: str) -> bool:
    """Return True when the schema exists on the connection's database."""
    row = conn.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s",
                       (schema,)).fetchone()
    return row is not None


def drop_schema(conn: Conn, schema: str) -> None:
    """Drop a tenant schema and everything in it (callers checked backups or ownership)."""
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def current_database(conn: Conn) -> str:
    """Return the database name the connection is on."""
    row = conn.execute("SELECT pg_catalog.current_database()").fetchone()
    assert row is not None
    return str(row[0])


@dataclass
class Operation:
    """One tenant operation being recorded: `tenants OP SLUG ...` with its SQL and outcome."""

    slug: str
    schema: str
    text: str  # e.g. "create acme modules=crm server=localhost"
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    t0: float = field(default_factory=time.perf_counter)
    statements: list[str] = field(default_factory=list)
    fingerprint_before: str = "unknown"  # create: "absent"; module changes: from the plan
    fingerprint_after: str | None = None

    def entry(self, outcome: str, error: str | None = None) -> LedgerEntry:
        """Return the ledger row: target tenant:SLUG, the operation as the SQL's first line."""
        body = f"-- tenants {self.text}\n" + "\n".join(s.rstrip() + ";" for s in self.statements)
        return LedgerEntry(
            target=f"tenant:{self.slug}", schema_name=self.schema, started_at=self.started,
            finished_at=datetime.now(UTC),
            duration_ms=int((time.perf_counter() - self.t0) * 1000),
            plan_hash=hashlib.sha256(body.encode()).hexdigest(),
            fingerprint_before=self.fingerprint_before,
            fingerprint_after=self.fingerprint_after, outcome=outcome,
            statements=len(self.statements), error=error, sql=body)


def record_op(conn: Conn, op: Operation, outcome: str = "applied",
              error: str | None = None) -> None:
    """Write the operation's ledger row on a server (inside the caller's transaction, if any)."""
    record(conn, op.entry(outcome, error))


def record_failure(conn: Conn, op: Operation, exc: BaseException) -> None:
    """Write a failed operation's ledger row after its rollback; never mask the failure."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    try:
        if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return
        ensure_ledger(conn)
        record_op(conn, op, "failed", first)
    except psycopg.Error:
        pass  # the server may be the thing that failed; the original error is what matters
