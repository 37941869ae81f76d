"""Which file each imported object is written to: one per table, or one for everything."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..model import SchemaModel, Table
from . import objects as o
from .context import ImportContext
from .notes import Note
from .tables import table_spec
from .yamlemit import Block

Layout = Literal["table", "single"]
SINGLE_FILE = "objects.yaml"
NOTES_FILE = "not_imported.yaml"
# Files for the kinds that are not tables (layout table), with the sections each holds.
KIND_FILES: dict[str, tuple[str, ...]] = {
    "extensions.yaml": ("extensions",),
    "types.yaml": ("enums", "domains"),
    "sequences.yaml": ("sequences",),
    "functions.yaml": ("functions",),
    "views.yaml": ("views", "materialized_views"),
}
# Section order within a file, as the YAML reference lists them.
SECTIONS = ("extensions", "enums", "domains", "sequences", "functions", "tables", "views",
            "materialized_views")


@dataclass
class FileSpec:
    """One file to write: its name in the group folder, its data, its own comment lines."""

    name: str
    data: Block
    comments: list[str] = field(default_factory=list)


def sections(ctx: ImportContext) -> dict[str, Block]:
    """Return every section of the imported schema as YAML mappings, in the usual order."""
    model = ctx.model
    builders: dict[str, Callable[[], Block]] = {
        "extensions": lambda: o.extensions_spec(model.extensions),
        "enums": lambda: o.enums_spec(model.enums),
        "domains": lambda: o.domains_spec(model.domains),
        "sequences": lambda: o.sequences_spec(model.sequences),
        "functions": lambda: o.functions_spec(model.functions, ctx),
        "tables": lambda: Block((t.name, table_spec(t, ctx)) for t in model.tables),
        "views": lambda: o.views_spec(model.views),
        "materialized_views": lambda: o.materialized_views_spec(model.materialized_views),
    }
    return {name: builders[name]() for name in SECTIONS}


def table_families(tables: tuple[Table, ...]) -> dict[str, list[str]]:
    """Return top-level table -> it and its partitions (recursively), in name order."""
    parent = {t.name: t.partition_of for t in tables if t.partition_of is not None}
    names = {t.name for t in tables}

    def root(name: str) -> str:
        seen = {name}
        while name in parent and parent[name] in names and parent[name] not in seen:
            name = parent[name]
            seen.add(name)
        return name

    families: dict[str, list[str]] = {}
    for t in tables:
        families.setdefault(root(t.name), []).append(t.name)
    return families


def _table_file_name(table: str) -> str:
    """Return a table's file name; a table called `functions` must not take functions.yaml."""
    name = f"{table}.yaml"
    reserved = {*KIND_FILES, SINGLE_FILE, NOTES_FILE}
    return f"{table}_table.yaml" if name in reserved else name


def build_files(ctx: ImportContext, layout: Layout) -> list[FileSpec]:
    """Return the files of the imported schema, notes placed as comments."""
    built = sections(ctx)
    table_notes = _notes_by_table(ctx.notes, built["tables"])
    for table, lines in table_notes.items():
        built["tables"].comments[table] = lines
    loose = [n.render() for n in sorted(ctx.notes) if n.table not in built["tables"]]
    if layout == "single":
        data = Block((k, v) for k, v in built.items() if v)
        return [FileSpec(SINGLE_FILE, data, _loose_comments(loose))]
    files = []
    for name, kinds in KIND_FILES.items():
        data = Block((k, built[k]) for k in kinds if built[k])
        if data:
            files.append(FileSpec(name, data))
    for top, members in table_families(ctx.model.tables).items():
        tables = Block((m, built["tables"][m]) for m in members)
        tables.comments = {m: built["tables"].comments[m] for m in members
                           if m in built["tables"].comments}
        files.append(FileSpec(_table_file_name(top), Block(tables=tables)))
    if loose:
        files.append(FileSpec(NOTES_FILE, Block(), _loose_comments(loose)))
    return files


def _notes_by_table(notes: list[Note], tables: Block) -> dict[str, list[str]]:
    """Return comment lines to write above each table: what of it was not imported."""
    out: dict[str, list[str]] = {}
    for note in sorted(notes):
        if note.table is not None and note.table in tables:
            lines = out.setdefault(note.table, ["not imported as it is:"])
            lines += _wrap(note.render(), indent=4)
    return out


def _loose_comments(lines: list[str]) -> list[str]:
    if not lines:
        return []
    out = ["", "Not imported, or imported with a difference (zplus-schema import says why):"]
    for line in lines:
        out += _wrap(line, indent=0)
    return out


def _wrap(text: str, indent: int) -> list[str]:
    """Return a note as comment lines of at most 100 columns, continuations indented."""
    return textwrap.wrap(text, width=94 - indent, initial_indent="  ",
                         subsequent_indent="    ", break_on_hyphens=False,
                         break_long_words=False)


def model_sections(model: SchemaModel) -> dict[str, int]:
    """Return how many objects of each kind a model holds (for the summary)."""
    kinds = ("tables", "views", "materialized_views", "functions", "enums", "domains",
             "sequences", "extensions", "indexes", "triggers", "policies")
    return {k: len(getattr(model, k)) for k in kinds if getattr(model, k)}
