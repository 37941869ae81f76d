"""Planned steps: SQL with its hazards, phase and ordering edges."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..compile.statement import Statement


class Hazard(StrEnum):
    """The closed set of reasons a statement needs a reviewer's explicit consent."""

    DELETES_DATA = "deletes_data"
    REWRITES_TABLE = "rewrites_table"
    ACCESS_EXCLUSIVE_LOCK = "access_exclusive_lock"
    BUILDS_INDEX = "builds_index"
    CHANGES_AUTHORIZATION = "changes_authorization"
    UNTRACKED_DEPENDENCY = "untracked_dependency"


HAZARD_HELP = {
    Hazard.DELETES_DATA: "drops a table, column, sequence or other object holding data",
    Hazard.REWRITES_TABLE: "rewrites every row of the table under an ACCESS EXCLUSIVE lock",
    Hazard.ACCESS_EXCLUSIVE_LOCK: "blocks reads and writes of the table while it runs",
    Hazard.BUILDS_INDEX: "builds an index on an existing table, blocking writes meanwhile "
                         "(use --concurrently to avoid)",
    Hazard.CHANGES_AUTHORIZATION: "changes who may read or write (RLS, policies, grants)",
    Hazard.UNTRACKED_DEPENDENCY: "PostgreSQL does not track what a function body uses; "
                                 "callers may break",
}

# Phases: drop what blocks the change, then create and alter, then drop what held data.
PRE_DROP, MAIN, POST_DROP = 0, 1, 2


@dataclass(frozen=True)
class Step:
    """One statement of a plan."""

    sql: str
    kind: str  # table, column, constraint, index, function, trigger, view, policy, ...
    key: str  # the object's key, e.g. users or users.users_pkey
    action: str  # create | alter | drop | rename | replace | comment | validate
    hazards: tuple[Hazard, ...] = ()
    phase: int = MAIN
    transactional: bool = True
    provides: frozenset[str] = field(default_factory=frozenset)
    requires: frozenset[str] = field(default_factory=frozenset)
    order: int = 0  # tie-break inside one object (e.g. ADD NOT VALID before VALIDATE)

    @property
    def object(self) -> str:
        """Return `kind key`, how a reviewer names the object."""
        return f"{self.kind} {self.key}"

    def statement(self, index: int) -> Statement:
        """Return the ordering view of this step (for the topological sort)."""
        return Statement(self.sql, self.kind, f"{self.key}\x00{self.order:03d}\x00{index:05d}",
                         self.provides, self.requires)


def steps_from(statements: list[Statement], kind: str, key: str, action: str,
               hazards: tuple[Hazard, ...] = (), *, phase: int = MAIN) -> list[Step]:
    """Wrap compiled statements as steps of one object, keeping their order."""
    return [Step(st.sql, kind, key, action, hazards, phase, True, st.provides, st.requires, i)
            for i, st in enumerate(statements)]
