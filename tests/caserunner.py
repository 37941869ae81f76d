"""Run one acceptance case end to end on a real database.

A case is a folder `tests/cases/<kind>/<case>/` with:
  before.yaml   objects of schema `app` before the change (an objects file, as in schema/system)
  after.yaml    the same schema after the change
  before.policies.yaml, after.policies.yaml
                optional: policies/ (roles, grants) on each side; role names must be unique
                to the case (roles are shared by the whole cluster)
  expected.sql  the exact plan SQL (written on first run or with ZPLUS_UPDATE_GOLDEN=1)
  case.toml     optional: description, hazards (expected, sorted), setup (SQL run first),
                data (SQL run after `before` is built), checks ({"SQL" = "expected text"}),
                concurrently (bool), reverse (bool, default true)
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from zplus_schema.apply import ApplyOptions, apply_plan
from zplus_schema.live.planner import PlanRequest, make_plan
from zplus_schema.load import load
from zplus_schema.plan import Hazard, Plan, PlanOptions
from zplus_schema.plan.render import render_sql

CASES = Path(__file__).parent / "cases"
SCHEMA = "app"
ALL_HAZARDS = frozenset(Hazard)
PROJECT_YAML = f"project:\n  system_schema: {SCHEMA}\n"


@dataclass
class Case:
    """One acceptance case folder."""

    path: Path
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return `kind/case`."""
        return f"{self.path.parent.name}/{self.path.name}"

    @classmethod
    def read(cls, path: Path) -> Case:
        """Read a case folder."""
        toml = path / "case.toml"
        config = tomllib.loads(toml.read_text()) if toml.exists() else {}
        return cls(path, config)


def all_cases() -> list[Case]:
    """Return every case folder, sorted."""
    return [Case.read(p.parent) for p in sorted(CASES.glob("*/*/after.yaml"))]


def _root(tmp: Path, side: str, case: Case) -> Path:
    root = tmp / side
    (root / "schema" / "system").mkdir(parents=True)
    (root / "schema" / "project.yaml").write_text(PROJECT_YAML)
    shutil.copy(case.path / f"{side}.yaml", root / "schema" / "system" / "objects.yaml")
    policies = case.path / f"{side}.policies.yaml"  # roles and grants, when the case has them
    if policies.exists():
        (root / "policies").mkdir()
        shutil.copy(policies, root / "policies" / "policies.yaml")
    return root


def plan_to(conn: psycopg.Connection[Any], root: Path, concurrently: bool = False) -> Plan:
    """Plan the `app` schema of the connected database to the definitions under root."""
    return make_plan(conn, load(root), PlanRequest(("system",), None,
                                                   PlanOptions(concurrently=concurrently)))


def apply_to(dsn: str, plan: Plan, allow: frozenset[Hazard] = ALL_HAZARDS) -> None:
    """Apply a plan, requiring every target to succeed."""
    results = apply_plan(lambda: psycopg.connect(dsn, autocommit=True), plan,
                         ApplyOptions(allow=allow, system_schema=SCHEMA))
    for r in results:
        assert r.outcome in ("applied", "noop"), f"{r.target}: {r.outcome}: {r.error}"


def plan_sql(plan: Plan) -> str:
    """Return the plan SQL without the per-target header line."""
    return "\n".join(line for line in render_sql(plan).splitlines()
                     if not line.startswith("-- target ")).strip() + "\n"


def run_case(case: Case, dsn: str, tmp: Path) -> None:
    """Build before, plan to after, check SQL and hazards, apply, re-plan, reverse."""
    before, after = _root(tmp, "before", case), _root(tmp, "after", case)
    cfg = case.config
    conc = bool(cfg.get("concurrently", False))
    with psycopg.connect(dsn, autocommit=True) as conn:
        if cfg.get("setup"):
            conn.execute(cfg["setup"])
        apply_to(dsn, plan_to(conn, before))
        assert plan_to(conn, before).empty, "building `before` did not converge"
        if cfg.get("data"):
            conn.execute(cfg["data"])
        forward = plan_to(conn, after, conc)
        _check_expected(case, forward, conn.info.server_version // 10000)
        hazards = sorted({h for t in forward.targets for h in t.hazards})
        assert hazards == sorted(cfg.get("hazards", [])), f"hazards: {hazards}"
        apply_to(dsn, forward, frozenset(Hazard(h) for h in hazards))
        replan = plan_to(conn, after, conc)
        assert replan.empty, f"re-plan is not empty:\n{plan_sql(replan)}"
        for query, expected in cfg.get("checks", {}).items():
            row = conn.execute(query).fetchone()
            assert row is not None and str(row[0]) == str(expected), (query, row)
        if cfg.get("reverse", True):
            apply_to(dsn, plan_to(conn, before, conc))
            back = plan_to(conn, before, conc)
            assert back.empty, f"reverse re-plan is not empty:\n{plan_sql(back)}"


def _check_expected(case: Case, plan: Plan, version: int) -> None:
    """Compare with expected.sql, or expected.pgNN.sql where that server prints differently.

    PostgreSQL's deparsed text changes between major versions (18 drops table aliases
    from view columns), so a case may carry a per-version file for that version only.
    """
    got = plan_sql(plan)
    default, versioned = case.path / "expected.sql", case.path / f"expected.pg{version}.sql"
    expected = versioned if versioned.exists() else default
    if os.environ.get("ZPLUS_UPDATE_GOLDEN") == "1" or not default.exists():
        if not default.exists():
            default.write_text(got)
        elif got != default.read_text():
            versioned.write_text(got)
        elif versioned.exists():
            versioned.unlink()
        expected = versioned if versioned.exists() else default
    assert got == expected.read_text(), (
        f"plan SQL of {case.name} changed; review and accept with ZPLUS_UPDATE_GOLDEN=1\n{got}")
