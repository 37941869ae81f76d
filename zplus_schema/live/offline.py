"""Offline plans: compare two versions of the definitions on a throwaway server.

A pull request changes YAML; the reviewer wants the SQL it means without pointing the
tool at any real database. The base version (a git revision or a folder) is built on a
throwaway PostgreSQL, then the working tree is planned against it exactly as it would be
against production: same normalization, same planners, same hazards.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import psycopg

from ..apply import ApplyOptions, apply_plan
from ..errors import ZplusError
from ..load import Loaded, load
from ..plan.document import Plan, TargetPlan
from ..plan.step import Hazard
from ..server import ThrowawayServer
from .planner import PlanRequest, make_plan

Conn = psycopg.Connection[tuple[object, ...]]

MODULE_SETS_SQL = """
SELECT coalesce(string_agg(m.name, ',' ORDER BY m.name), '') AS modules, count(*) OVER ()
  FROM {schema}.tenants t
  LEFT JOIN {schema}.tenant_modules tm ON tm.tenant_id = t.id AND tm.is_enabled
  LEFT JOIN {schema}.modules m ON m.id = tm.module_id
 GROUP BY t.id
"""


@dataclass
class ModuleSetPlan:
    """The tenant plan for one set of enabled modules, and how many tenants have that set."""

    modules: tuple[str, ...]
    tenants: int | None
    plan: TargetPlan


@dataclass
class OfflinePlan:
    """The system plan and one tenant plan per module set."""

    base: str
    system: TargetPlan
    tenant_sets: list[ModuleSetPlan] = field(default_factory=list)

    def as_plan(self) -> Plan:
        """Return every target as one plan document."""
        return Plan(targets=[self.system, *(s.plan for s in self.tenant_sets)])


def checkout(root: Path, rev: str, into: Path) -> Path:
    """Extract the project at git revision `rev` into `into`; return its root there."""
    def git(*args: str) -> bytes:
        try:
            return subprocess.run(["git", "-C", str(root), *args], check=True,
                                  capture_output=True).stdout
        except FileNotFoundError as exc:
            raise ZplusError("git is not installed", hint="use --from-dir DIR") from exc
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode(errors="replace").strip().splitlines()
            raise ZplusError(f"git {' '.join(args[:2])}: {message[-1] if message else exc}",
                             hint="give a revision of the repository holding --root") from exc

    prefix = git("rev-parse", "--show-prefix").decode().strip()
    archive = git("archive", "--format=tar", rev)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / prefix if prefix else into


def _module_sets(dsn: str, loaded: Loaded) -> Counter[tuple[str, ...]]:
    """Return how many registered tenants have each module set (from a registry DSN)."""
    from psycopg import sql

    query = sql.SQL(MODULE_SETS_SQL).format(
        schema=sql.Identifier(loaded.project.settings.system_schema))
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        rows = conn.execute(query).fetchall()
    return Counter(tuple(m for m in str(r[0]).split(",") if m) for r in rows)


def _build(dsn: str, conn: Conn, base: Loaded, target: str, modules: list[str] | None) -> None:
    plan = make_plan(conn, base, PlanRequest((target,), modules))
    # Building the base on a throwaway server deletes nothing; its roles, grants and RLS
    # change authorization on that server only.
    opts = ApplyOptions(allow=frozenset({Hazard.CHANGES_AUTHORIZATION}),
                        system_schema=base.project.settings.system_schema)
    for result in apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, opts):
        if result.outcome not in ("applied", "noop"):
            raise ZplusError(f"the base version does not build: {result.error}")


def offline_plan(root: Path, base_root: Path, base_label: str,
                 registry_dsn: str | None = None) -> OfflinePlan:
    """Plan the working tree against the base definitions, both on a throwaway server."""
    head, base = load(root), load(base_root)
    sets: Counter[tuple[str, ...]] = Counter()
    if registry_dsn:
        sets = _module_sets(registry_dsn, head)
    if not sets:
        sets = Counter({head.project.module_names: 0})
    ordered = sorted(sets.items())
    targets = [f"schema:{head.project.settings.tenant_schema_prefix}set{i}"
               for i in range(len(ordered))]
    with ThrowawayServer(fast=True) as server, psycopg.connect(
            server.dsn(), autocommit=True) as conn:
        # The whole base first: its tenant objects may call functions of its system schema.
        _build(server.dsn(), conn, base, "system", None)
        for target, (modules, _) in zip(targets, ordered, strict=True):
            _build(server.dsn(), conn, base, target,
                   [m for m in modules if base.project.module(m)])
        result = OfflinePlan(base_label, make_plan(conn, head, PlanRequest(("system",)))
                             .targets[0])
        _apply_head_system(server.dsn(), conn, head)
        for target, (modules, count) in zip(targets, ordered, strict=True):
            tenant = make_plan(conn, head, PlanRequest((target,), list(modules))).targets[0]
            tenant.target = f"tenant[{','.join(modules) or 'no modules'}]"
            result.tenant_sets.append(ModuleSetPlan(modules, count if registry_dsn else None,
                                                    tenant))
    return result


def _apply_head_system(dsn: str, conn: Conn, head: Loaded) -> None:
    """Bring the system schema to the new version: tenant objects may call its functions."""
    plan = make_plan(conn, head, PlanRequest(("system",)))
    opts = ApplyOptions(allow=frozenset(Hazard), system_schema=head.project.settings.system_schema)
    apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, opts)


def temp_checkout(root: Path, rev: str) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    """Return a temporary directory holding the project at `rev`, and the root inside it."""
    tmp = tempfile.TemporaryDirectory(prefix="zplus-base-")
    return tmp, checkout(root, rev, Path(tmp.name))


def render_offline_markdown(off: OfflinePlan) -> str:
    """Return the pull-request comment: tenants affected per module set, then the plan."""
    from ..plan.render import render_markdown

    lines = [f"Compared with `{off.base}`.", "",
             "| schema | tenants | statements | hazards |", "|---|---|---|---|",
             f"| system | — | {len(off.system.steps)} | {', '.join(off.system.hazards) or '—'} |"]
    for s in off.tenant_sets:
        count = "?" if s.tenants is None else str(s.tenants)
        lines.append(f"| {s.plan.target} | {count} | {len(s.plan.steps)} | "
                     f"{', '.join(s.plan.hazards) or '—'} |")
    if any(s.tenants is None for s in off.tenant_sets):
        lines += ["", "_Tenant counts need `--dsn` to the registry; shown for all modules._"]
    body = render_markdown(off.as_plan())
    return body.replace("## zplus-schema plan\n", "## zplus-schema plan\n\n" + "\n".join(lines)
                        + "\n", 1)
