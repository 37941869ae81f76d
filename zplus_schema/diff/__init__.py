"""Diff two models of a schema into typed changes."""

from .changes import Add, Alter, Change, Drop, Rename, key_text
from .differ import diff_collection, diff_schema
from .exprs import mentions_column, rename_column_refs
from .renames import Renames, apply_renames

__all__ = ["Add", "Alter", "Change", "Drop", "Rename", "Renames", "apply_renames",
           "diff_collection", "diff_schema", "key_text",
           "mentions_column", "rename_column_refs"]
