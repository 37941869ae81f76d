"""The linter: one rule per module under rules/, listed in the RULES table of registry.py.

Definition rules (ZS1xx, ZS3xx) run over each schema group of a project, or over one
schema model (e.g. read from a database); change rules (ZS2xx) over a planned change.
"""

from .engine import (
    LintResult,
    Sources,
    check_suppressions,
    lint_changes,
    lint_loaded,
    lint_model,
    lint_project,
    lint_subjects,
)
from .finding import Anchor, Finding, Hit, Severity
from .registry import RULES, rule
from .rule import Rule
from .selection import Selection, parse_codes
from .subject import ChangeSet, Subject

__all__ = [
    "RULES",
    "Anchor",
    "ChangeSet",
    "Finding",
    "Hit",
    "LintResult",
    "Rule",
    "Selection",
    "Severity",
    "Sources",
    "Subject",
    "check_suppressions",
    "lint_changes",
    "lint_loaded",
    "lint_model",
    "lint_project",
    "lint_subjects",
    "parse_codes",
    "rule",
]
