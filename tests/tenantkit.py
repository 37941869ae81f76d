"""Helpers for the tenant command tests: a Zplus registry database and a CLI runner."""

from __future__ import annotations

import psycopg
import pytest

from tests.zplus import REPO, zplus
from zplus_schema.apply import ApplyOptions, apply_plan
from zplus_schema.cli import main
from zplus_schema.live.planner import PlanRequest, make_plan
from zplus_schema.plan.step import Hazard

Conn = psycopg.Connection[tuple[object, ...]]
ROOT = str(REPO)


def with_system(dsn: str) -> str:
    """Apply the Zplus system target (registry, roles, grants) to the database; return the DSN.

    Through the engine, as a deployment does: tenants need the roles policies/ declares.
    """
    with psycopg.connect(dsn, autocommit=True) as conn:
        plan = make_plan(conn, zplus(), PlanRequest(("system",)))
    options = ApplyOptions(allow=frozenset({Hazard.CHANGES_AUTHORIZATION}))
    (result,) = apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, options)
    assert result.outcome == "applied", result.error
    return dsn


def tenants(capsys: pytest.CaptureFixture[str], *argv: str, dsn: str | None = None,
            config: str | None = None, root: str = ROOT) -> tuple[int, str, str]:
    """Run `zplus-schema tenants ARGV` in-process; return (exit code, stdout, stderr)."""
    command, *rest = argv
    conn_args = (["--dsn", dsn] if dsn else []) + (["--config", config] if config else [])
    code = main(["tenants", command, "--root", root, *conn_args, *rest])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def snapshot(conn: Conn) -> tuple[object, ...]:
    """Return the registry rows and the schema list: equal snapshots mean nothing was written."""
    rows = [conn.execute(q).fetchall() for q in (
        "SELECT slug, name, status FROM public.tenants ORDER BY slug",
        "SELECT schema_name, database_host FROM public.tenant_schemas ORDER BY 1",
        "SELECT tenant_id::text, module_id::text, is_enabled FROM public.tenant_modules"
        " ORDER BY 1, 2",
        "SELECT name FROM public.modules ORDER BY 1",
        # zplus_meta holds the ledger, which records failed runs too
        "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname <> 'zplus_meta' ORDER BY 1",
        "SELECT count(*) FROM public.audit_logs",
    )]
    return tuple(tuple(r) for r in rows)


def tables(conn: Conn, schema: str) -> set[str]:
    """Return the table names of a schema."""
    rows = conn.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = %s",
                        (schema,)).fetchall()
    return {str(r[0]) for r in rows}


def ledger(conn: Conn, slug: str) -> list[tuple[str, str]]:
    """Return (first SQL line, outcome) of the tenant's ledger rows, oldest first."""
    rows = conn.execute("SELECT split_part(sql, E'\\n', 1), outcome FROM zplus_meta.ledger"
                        " WHERE target = %s ORDER BY id", (f"tenant:{slug}",)).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]
