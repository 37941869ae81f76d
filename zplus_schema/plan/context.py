"""What every per-kind planner sees: both models, the target, and the options."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..compile.context import Target
from ..model import SchemaModel


@dataclass(frozen=True)
class PlanOptions:
    """Choices that change the statements, not the end state."""

    concurrently: bool = False  # CREATE/DROP INDEX CONCURRENTLY on existing tables


@dataclass
class PlanContext:
    """Both sides of a diff, bound to a target schema."""

    live: SchemaModel
    desired: SchemaModel
    target: Target
    options: PlanOptions = field(default_factory=PlanOptions)
    # Tables created or dropped by this plan: their parts come and go with them.
    new_tables: set[str] = field(default_factory=set)
    dropped_tables: set[str] = field(default_factory=set)
    # Views recreated because something under them changes.
    recreated_views: set[str] = field(default_factory=set)
    # (collection, key) of unchanged indexes and constraints recreated with their column.
    recreated: set[tuple[str, str]] = field(default_factory=set)
    # Keys of foreign keys on dropped tables that must go before their table: a key or a
    # column type they depend on changes earlier in the plan.
    early_fk_drops: set[str] = field(default_factory=set)
    # Dropped tables whose name (or an index or key name of theirs) a new relation takes:
    # they go in the pre-drop phase, before the create, not last.
    early_table_drops: set[str] = field(default_factory=set)

    def is_new(self, table: str) -> bool:
        """Return True when the table is created by this plan."""
        return table in self.new_tables

    def is_dropped(self, table: str) -> bool:
        """Return True when the table is dropped by this plan."""
        return table in self.dropped_tables

    def is_recreated(self, table: str) -> bool:
        """Return True when the table is dropped and created again by this plan."""
        return table in self.new_tables and table in self.dropped_tables
