"""The fleet lock: one `apply --all-tenants` at a time per registry.

A session-level advisory lock on the registry server, held on its own connection for the
whole run. The server drops it when the connection goes, so a run killed with -9 never
leaves the fleet locked. The per-schema locks of apply/executor.py still guard against
single-target applies running at the same time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ZplusError
from .inventory import Conn, open_server
from .servers import FleetConfig

TRY_LOCK = "SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtext(%s))"
LOCK = "SELECT pg_catalog.pg_advisory_lock(pg_catalog.hashtext(%s))"


class FleetBusy(ZplusError):
    """Another fleet run holds the fleet lock."""


def lock_key(system_schema: str) -> str:
    """Return the advisory lock's text key for a registry's system schema."""
    return f"zplus-schema:fleet:{system_schema}"


@contextmanager
def fleet_lock(config: FleetConfig, system_schema: str, wait: bool) -> Iterator[Conn]:
    """Hold the fleet lock for the block; refuse at once, or wait when `wait` is set."""
    conn = open_server(config.registry_server)
    try:
        key = lock_key(system_schema)
        if wait:
            # No lock_timeout: waiting for the other run to finish is what was asked for.
            conn.execute("SELECT pg_catalog.set_config('lock_timeout', '0', false)")
            conn.execute(LOCK, (key,))
        else:
            row = conn.execute(TRY_LOCK, (key,)).fetchone()
            if not row or not row[0]:
                raise FleetBusy("another apply --all-tenants is running on this fleet",
                                hint="wait for it to finish, or re-run with --wait")
        yield conn
    finally:
        conn.close()  # closing the session releases the lock
