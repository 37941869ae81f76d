"""Report on the definitions before anything is applied: build them on a throwaway server.

The system schema and one tenant schema with every module are planned and applied by the
engine exactly as against production (roles and policies included), then read back like
any live database. A git revision is first extracted with `git archive` (live/offline.py).
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from ..apply import ApplyOptions, apply_plan
from ..errors import ZplusError
from ..live.offline import temp_checkout
from ..live.planner import PlanRequest, make_plan
from ..load import Loaded, load
from ..plan import Hazard
from ..server import ThrowawayServer
from .assemble import build_report
from .model import Report, Settings

TEMPLATE_SLUG = "template"


def template_schema(loaded: Loaded) -> str:
    """Return the name of the one tenant schema the throwaway build creates."""
    return loaded.project.settings.tenant_schema_prefix + TEMPLATE_SLUG


def _apply(dsn: str, conn: psycopg.Connection[tuple[object, ...]], loaded: Loaded,
           target: str) -> None:
    plan = make_plan(conn, loaded, PlanRequest((target,), None))
    # A throwaway server: every hazard (authorization changes included) is fine to apply.
    opts = ApplyOptions(allow=frozenset(Hazard),
                        system_schema=loaded.project.settings.system_schema)
    for result in apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan, opts):
        if result.outcome not in ("applied", "noop"):
            raise ZplusError(f"the definitions do not build ({target}): {result.error}")


def settings_of(loaded: Loaded, tenant_role_prefix: str) -> Settings:
    """Return the report settings the project's own settings imply."""
    s = loaded.project.settings
    return Settings(s.system_schema, s.tenant_schema_prefix, tenant_role_prefix)


def report_from_yaml(root: Path, tenant_role_prefix: str, label: str | None = None) -> Report:
    """Build the definitions under `root` on a throwaway server and report on them."""
    loaded = load(root)
    with ThrowawayServer(fast=True) as server, psycopg.connect(
            server.dsn(), autocommit=True) as conn:
        _apply(server.dsn(), conn, loaded, "system")
        _apply(server.dsn(), conn, loaded, f"schema:{template_schema(loaded)}")
        return build_report(conn, settings_of(loaded, tenant_role_prefix),
                            label or _label(root))


def _label(root: Path) -> str:
    """Return how the report names definitions read from a folder."""
    return "the definitions in the working tree" if root == Path(".") else \
        f"the definitions in {root}"


def report_from_git(root: Path, rev: str, tenant_role_prefix: str) -> Report:
    """Build the definitions at git revision `rev` on a throwaway server and report."""
    tmp, base_root = temp_checkout(root, rev)
    with tmp:
        return report_from_yaml(base_root, tenant_role_prefix, f"the definitions at git {rev}")
