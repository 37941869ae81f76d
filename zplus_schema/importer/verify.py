"""Check an import: the written root validates and plans empty against its source."""

from __future__ import annotations

from pathlib import Path

import psycopg

from ..live.planner import PlanRequest, make_plan
from ..load import load

Conn = psycopg.Connection[tuple[object, ...]]


def verify_import(conn: Conn, root: Path, target: str) -> list[str]:
    """Return `object: action` for every difference a plan of `target` finds (none: faithful).

    Raises InputError when the root does not validate, ZplusError when it cannot be planned.
    """
    plan = make_plan(conn, load(root), PlanRequest((target,), modules=[]))
    return sorted({f"{step.object}: {step.action}" for t in plan.targets for step in t.steps})
