"""Move a tenant to another server: copy, verify, switch the registry, then drop the old copy.

While the copy runs, the source tables are held in SHARE mode: reads go on, writes wait,
so the copy is exact. The copy is verified table by table (row count and an md5 of every
row in primary-key order) before the registry is switched; only then is the source schema
dropped. Any failure before the switch drops the partial copy on the target and leaves the
tenant whole and served from where it was. When the registry and the source are the same
server, switch and drop commit together.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from psycopg import sql

from ..errors import ZplusError
from ..sqlfiles import read_sql
from . import tenant_registry as reg
from .backup_tools import dbname_arg, find_tool, run_tool, server_major
from .tenant_access import grant_tenant_access
from .tenant_context import (
    Conn,
    Operation,
    TenantFleet,
    TenantRefused,
    current_database,
    drop_schema,
    lock_tenant,
    record_op,
    schema_exists,
)
from .tenants import Outcome, check_slug

Checksums = dict[str, tuple[int, str]]


def move_tenant(fleet: TenantFleet, slug: str, to_server: str) -> Outcome:
    """Copy a tenant's schema to `to_server`, verify it, switch the registry, drop the old copy."""
    check_slug(slug)
    rec = fleet.tenant(slug)
    fleet.config.server(to_server)
    if to_server == rec.server:
        raise TenantRefused(f"tenant {slug} is already on {to_server}")
    src, dst = fleet.conn(rec.server), fleet.conn(to_server)
    if schema_exists(dst, rec.schema):
        raise TenantRefused(f"server {to_server} already has a schema {rec.schema}",
                            hint="a leftover of an earlier move? check it, drop it, retry")
    op = Operation(slug, rec.schema, f"move {slug} from {rec.server} to {to_server}")
    copied, notes = False, []
    try:
        with src.transaction():
            lock_tenant(src, slug, rec.schema)
            tables = _lock_tables(src, rec.schema)
            copied = True  # from here on a failure drops the copy on the target
            verified = _copy_and_verify(fleet, rec.server, to_server, rec.schema, tables,
                                        src, dst)
            op.statements += grant_tenant_access(dst, fleet, slug, rec.modules)
            _switch(fleet, slug, rec.server, to_server, current_database(dst), src)
            notes = _drop_source(src, rec.schema)
    except BaseException:
        if copied and not _served_from(fleet, slug, to_server):
            drop_schema(dst, rec.schema)
        raise
    op.statements += [f"-- verified {t}: {n} rows, md5 {h}" for t, (n, h) in verified.items()]
    _record_both(src, dst, op)
    return Outcome(True, [f"moved tenant {slug} from {rec.server} to {to_server} "
                          f"({len(tables)} tables, {sum(n for n, _ in verified.values())} rows "
                          "verified)", *notes])


def _served_from(fleet: TenantFleet, slug: str, server: str) -> bool:
    """Tell whether the registry points the tenant at `server` (unknown counts as yes)."""
    try:
        return fleet.tenant(slug).server == server
    except Exception:  # cannot tell: keeping a copy is safer than dropping the live one
        return True


def _lock_tables(conn: Conn, schema: str) -> dict[str, list[str]]:
    """Hold every table of the schema in SHARE mode; return table -> primary key columns."""
    rows = conn.execute(read_sql("zplus_schema.fleet", "move_tables"),
                        {"schema": schema}).fetchall()
    tables = {str(r[0]): [str(c) for c in r[1]] for r in rows}  # type: ignore[attr-defined]
    if tables:
        conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.SQL(", ").join(
            sql.Identifier(schema, t) for t in tables)))
    return tables


def _copy_and_verify(fleet: TenantFleet, source: str, target: str, schema: str,
                     tables: dict[str, list[str]], src: Conn, dst: Conn) -> Checksums:
    """Copy the schema with pg_dump | pg_restore; compare counts and checksums per table."""
    major = max(server_major(src), server_major(dst))
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "tenant.dump"
        dbname, env = dbname_arg(fleet.config.server(source).conninfo)
        run_tool([str(find_tool("pg_dump", major)), "--format=custom", f'--schema="{schema}"',
                  f"--file={archive}", dbname], f"copying {schema} from {source}", env)
        dbname, env = dbname_arg(fleet.config.server(target).conninfo)
        run_tool([str(find_tool("pg_restore", major)), "--single-transaction",
                  "--exit-on-error", "--no-owner", "--no-privileges", dbname, str(archive)],
                 f"copying {schema} to {target}", env)
    try:
        return _verify(schema, tables, src, dst, target)
    except BaseException:
        drop_schema(dst, schema)
        raise


def _verify(schema: str, tables: dict[str, list[str]], src: Conn, dst: Conn,
            target: str) -> Checksums:
    before, after = checksums(src, schema, tables), checksums(dst, schema, tables)
    differ = sorted(t for t in before if before[t] != after.get(t))
    if differ:
        raise ZplusError(f"the copy on {target} differs from the source in "
                         f"{', '.join(differ[:5])}; the copy was dropped",
                         hint="the tenant stays where it was; check both servers and retry")
    return before


def checksums(conn: Conn, schema: str, tables: dict[str, list[str]]) -> Checksums:
    """Return table -> (row count, md5 of all rows as text in primary key order)."""
    out: Checksums = {}
    for table, key in tables.items():
        order = (sql.SQL(", ").join(sql.Identifier("t", c) for c in key) if key
                 else sql.SQL("t::text"))
        query = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY "
                        "{order}), '')) FROM {table} AS t").format(
            order=order, table=sql.Identifier(schema, table))
        row = conn.execute(query).fetchone()
        assert row is not None
        out[table] = (int(str(row[0])), str(row[1]))
    return out


def _switch(fleet: TenantFleet, slug: str, old: str, new: str, database: str,
            src: Conn) -> None:
    """Point the registry at the new server (inside the source transaction when shared)."""
    registry = fleet.registry
    if registry is src:
        _move_host(fleet, registry, slug, old, new, database)
        return
    with registry.transaction():
        _move_host(fleet, registry, slug, old, new, database)


def _move_host(fleet: TenantFleet, registry: Conn, slug: str, old: str, new: str,
               database: str) -> None:
    if not reg.move_host(registry, fleet.system_schema, slug, old, new, database):
        raise ZplusError(f"tenant {slug} is no longer registered on {old}",
                         hint="another run changed it; nothing was switched")


def _drop_source(src: Conn, schema: str) -> list[str]:
    """Drop the old copy; the registry already points at the new one, so a failure only warns."""
    try:
        with src.transaction():
            drop_schema(src, schema)
    except Exception as exc:  # the move itself succeeded: say what is left behind
        return [f"warning: the old copy {schema} could not be dropped: {exc}"]
    return []


def _record_both(src: Conn, dst: Conn, op: Operation) -> None:
    from ..apply.ledger import ensure_ledger

    for conn in (dst, src):
        ensure_ledger(conn)
        record_op(conn, op)
