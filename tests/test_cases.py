"""Acceptance cases: every folder under tests/cases is one end-to-end test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.caserunner import Case, all_cases, run_case

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, db_dsn: str, tmp_path: Path) -> None:
    run_case(case, db_dsn, tmp_path)


def test_there_are_enough_cases() -> None:
    kinds = {c.path.parent.name for c in CASES}
    assert len(CASES) >= 60, len(CASES)
    assert {"tables", "columns", "constraints", "indexes", "functions", "triggers",
            "views", "sequences", "types", "policies"} <= kinds, kinds
