"""Run rules over definitions or changes; locate, suppress and sort what they find."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import InputError, Location, Problem
from ..load import Loaded
from ..load.normalize import Collected, Suppression
from ..model import Project, SchemaModel
from ..plan.step import Step
from .finding import Anchor, Finding, Hit, Severity
from .registry import RULES
from .rule import Rule
from .selection import EVERY_RULE, Selection
from .subject import ChangeSet, Subject, model_subject, project_subjects

# The group of a composed tenant schema (template + modules), as change rules see it.
COMPOSED_TENANT = "tenant+modules"


@dataclass
class LintResult:
    """The findings of a run, those suppressed (with the suppression), and the rules run."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    def failed(self, fail_on: Severity) -> bool:
        """Return True when a finding is at or above `fail_on`."""
        return any(f.severity.rank >= fail_on.rank for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Return the number of findings per severity, and of suppressed ones."""
        out = {s.value: sum(f.severity is s for f in self.findings) for s in Severity}
        out["suppressed"] = len(self.suppressed)
        return out

    def codes(self) -> list[str]:
        """Return the codes found, sorted, once each (handy in tests)."""
        return sorted({f.code for f in self.findings})


class Sources:
    """Where objects were written and which suppressions apply; empty for models."""

    def __init__(self, loaded: Loaded | None = None) -> None:
        self.loaded = loaded

    def _groups(self, group: str) -> list[Collected]:
        """Return what the loader collected for a group (a composed tenant: every group
        but the system's)."""
        if self.loaded is None:
            return []
        origins = self.loaded.origins
        if group == COMPOSED_TENANT:
            return [c for g, c in origins.items() if g != "system"]
        return [origins[group]] if group in origins else []

    def locate(self, group: str, anchor_list: Sequence[Anchor]) -> Location | None:
        """Return the file:line of the first anchor that was written somewhere."""
        for anchor in anchor_list:
            for collected in self._groups(group):
                where = collected.origins.get((anchor.kind, anchor.key))
                if where is not None:
                    return Location(where.file, where.line + anchor.offset)
        return None

    def suppression(self, code: str, group: str, anchor_list: Sequence[Anchor]
                    ) -> Suppression | None:
        """Return the suppression of `code` on any anchor or at project level, or None."""
        if self.loaded is None:
            return None
        for anchor in anchor_list:
            for collected in self._groups(group):
                found = collected.suppressions.get((anchor.kind, anchor.key), [])
                match = next((sup for sup in found if sup.code == code), None)
                if match is not None:
                    return match
        return next((sup for sup in self.loaded.lint.ignore if sup.code == code), None)


def _collect(rule: Rule, group: str, hits: Iterable[Hit], sources: Sources,
             result: LintResult) -> None:
    for hit in hits:
        finding = Finding(rule.code, rule.name, rule.severity, hit.message, hit.obj, group,
                          sources.locate(group, hit.anchors))
        sup = sources.suppression(rule.code, group, hit.anchors)
        if sup is None:
            result.findings.append(finding)
        else:
            result.suppressed.append((finding, sup))


def _finish(result: LintResult) -> LintResult:
    result.findings = sorted(set(result.findings), key=Finding.sort_key)
    result.suppressed.sort(key=lambda pair: pair[0].sort_key())
    return result


def lint_subjects(subjects: Sequence[Subject], selection: Selection = EVERY_RULE,
                  sources: Sources | None = None) -> LintResult:
    """Run the selected definition rules over each subject."""
    sources = sources or Sources()
    rules = selection.rules(RULES)
    result = LintResult(rules=rules)
    for rule in rules:
        if rule.check is None:
            continue
        for subject in subjects:
            _collect(rule, subject.group, rule.check(subject), sources, result)
    return _finish(result)


def lint_project(project: Project, selection: Selection = EVERY_RULE,
                 known_roles: Iterable[str] = ()) -> LintResult:
    """Lint every group of a project (no file locations: see lint_loaded)."""
    return lint_subjects(project_subjects(project, frozenset(known_roles)), selection)


def lint_model(model: SchemaModel, selection: Selection = EVERY_RULE, *,
               system: SchemaModel | None = None, system_schema: str = "public",
               is_system: bool = False, known_roles: Iterable[str] = ()) -> LintResult:
    """Lint one schema model, e.g. one introspected from a database."""
    subject = model_subject(model, system=system, system_schema=system_schema,
                            is_system=is_system, known_roles=frozenset(known_roles))
    return lint_subjects([subject], selection)


def lint_changes(live: SchemaModel, desired: SchemaModel, steps: Sequence[Step],
                 selection: Selection = EVERY_RULE, *, group: str = "tenant",
                 sources: Sources | None = None) -> LintResult:
    """Run the selected change rules over one planned change of a schema."""
    sources = sources or Sources()
    rules = selection.rules(RULES)
    result = LintResult(rules=rules)
    changes = ChangeSet(live, desired, tuple(steps))
    for rule in rules:
        if rule.check_change is not None:
            _collect(rule, group, rule.check_change(changes), sources, result)
    return _finish(result)


def lint_loaded(loaded: Loaded, selection: Selection = EVERY_RULE) -> LintResult:
    """Lint a project loaded from YAML: findings carry file:line; suppressions apply."""
    check_suppressions(loaded)
    subjects = project_subjects(loaded.project, frozenset(loaded.lint.known_roles))
    return lint_subjects(subjects, selection, Sources(loaded))


def check_suppressions(loaded: Loaded) -> None:
    """Refuse suppressions of codes no rule has (a typo would hide nothing, silently)."""
    known = {r.code for r in RULES}
    everything = [*loaded.lint.ignore, *(sup for c in loaded.origins.values()
                                         for sups in c.suppressions.values() for sup in sups)]
    problems = [Problem(f"lint: no rule has code {sup.code}", sup.location, "lint.ignore",
                        "see docs/lint-rules.md for the codes")
                for sup in everything if sup.code not in known]
    if problems:
        raise InputError(problems)
