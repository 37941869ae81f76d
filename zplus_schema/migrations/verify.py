"""`migrations verify`: do the files, replayed in order, build what the YAML describes?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import load
from ..plan.document import TargetPlan
from .files import KINDS, scan_all
from .state import build_files_state, plan_kind, render, scratch_connection


@dataclass
class VerifyResult:
    """The plan from the files' state to the YAML, per kind (empty plans: in sync)."""

    counts: dict[str, int] = field(default_factory=dict)
    plans: dict[str, TargetPlan] = field(default_factory=dict)

    @property
    def in_sync(self) -> bool:
        """Return True when replaying the files gives exactly the YAML's schemas."""
        return all(p.empty for p in self.plans.values())

    def difference_sql(self) -> str:
        """Return the SQL a next migration would need, per kind that differs."""
        parts = [render([f"{kind}: the files lack"], plan.steps, kind)
                 for kind, plan in self.plans.items() if not plan.empty]
        return "\n".join(parts)


def verify(root: Path, base: Path) -> VerifyResult:
    """Replay every up file on a throwaway database and plan the YAML against the result.

    The file names are checked first (every up has its down, no version twice), and a
    file that fails raises ReplayError naming it.
    """
    loaded = load(root)
    pairs = scan_all(base)
    result = VerifyResult(counts={k: len(pairs[k]) for k in KINDS})
    with scratch_connection() as conn:
        build_files_state(conn, loaded, pairs)
        # System first, as generate planned it: tenant objects may use system ones.
        for kind in KINDS:
            result.plans[kind] = plan_kind(conn, loaded, kind)
    return result
