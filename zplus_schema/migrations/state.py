"""The scratch database: rebuild the files' state, plan to the YAML, render migration text."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from ..introspect import introspect
from ..introspect.text import relativize
from ..live.planner import PlanRequest, make_plan
from ..load import Loaded
from ..model import SchemaModel
from ..plan.document import PlanStep, TargetPlan
from ..server import ThrowawayServer
from .files import MigrationPair
from .replay import Conn, replay

# Tenant files are planned against this schema and then stripped of its qualifier: they
# must run unchanged in any tenant schema that migrate's search_path points at.
SCRATCH_TENANT = "tenant_migrations"


@contextmanager
def scratch_connection() -> Iterator[Conn]:
    """Yield an autocommit connection to an empty database on a throwaway server."""
    with ThrowawayServer(fast=True) as server, psycopg.connect(
            server.dsn(), autocommit=True) as conn:
        yield conn


def schema_of(loaded: Loaded, kind: str) -> str:
    """Return the schema a kind of file runs in on the scratch database."""
    return loaded.project.settings.system_schema if kind == "system" else SCRATCH_TENANT


def build_files_state(conn: Conn, loaded: Loaded, pairs: dict[str, list[MigrationPair]],
                      tenant_schema: str = SCRATCH_TENANT) -> None:
    """Replay every up file: system ones into the system schema, tenant ones into a tenant.

    The tenant schema is created first, as an operator does before pointing migrate at it.
    """
    replay(conn, [p.up for p in pairs["system"]], loaded.project.settings.system_schema)
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(tenant_schema)))
    replay(conn, [p.up for p in pairs["tenant"]], tenant_schema)


def plan_kind(conn: Conn, loaded: Loaded, kind: str) -> TargetPlan:
    """Return the plan from the scratch schema of `kind` to the YAML (tenant: all modules)."""
    if kind == "system":
        return make_plan(conn, loaded, PlanRequest(("system",))).targets[0]
    request = PlanRequest((f"schema:{SCRATCH_TENANT}",), list(loaded.project.module_names))
    return make_plan(conn, loaded, request).targets[0]


def models(conn: Conn, loaded: Loaded) -> dict[str, SchemaModel]:
    """Return the schema-relative model of each kind's scratch schema."""
    found = introspect(conn, [schema_of(loaded, k) for k in ("system", "tenant")])
    return {k: found[schema_of(loaded, k)].model for k in ("system", "tenant")}


def statement_text(step: PlanStep, schema: str | None) -> str:
    """Return one statement ending with ';', its hazards as comments before it."""
    text = step.sql.strip().rstrip(";").rstrip()
    if schema is not None:
        text = relativize(text, schema)
    notes = [f"-- hazard: {h}" for h in step.hazards]
    return "\n".join([*notes, text + ";"])


def render(header: list[str], steps: list[PlanStep], kind: str) -> str:
    """Return a migration file: the header comments, then one statement per paragraph."""
    schema = SCRATCH_TENANT if kind == "tenant" else None
    body = [statement_text(s, schema) for s in steps]
    return "\n".join(f"-- {line}" for line in header) + "\n\n" + "\n\n".join(body) + "\n"


def yaml_state(root: Path) -> str:
    """Return which YAML a file came from: the git commit (and whether it was dirty)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], check=True, text=True,
                              capture_output=True, timeout=10).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"
    return f"git {commit}" + (" with uncommitted changes" if dirty else "")
