"""Import one live schema as a project root of idiomatic YAML."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import psycopg

from ..errors import ZplusError
from ..ident import identifier_problem
from ..introspect import introspect
from ..model import SchemaModel
from .context import ImportContext
from .external import choose_system_schema, dependencies, referenced_schemas
from .layout import FileSpec, Layout, build_files, model_sections
from .notes import Note, unmanaged_note
from .project import clear_group, project_settings, read_project, write_project, yaml_files
from .yamlemit import Block, emit

Conn = psycopg.Connection[tuple[object, ...]]
Role = Literal["system", "tenant"]
DEPENDENCIES_FILE = "imported_dependencies.yaml"


@dataclass(frozen=True)
class ImportOptions:
    """What to import and how to lay it out."""

    schema: str
    out: Path
    layout: Layout = "table"
    role: Role = "system"  # --as: the group the schema's objects are written to
    force: bool = False


@dataclass
class ImportResult:
    """What an import wrote, and what it could not carry over."""

    schema: str
    role: Role
    system_schema: str
    tenant_prefix: str | None
    target: str  # the --target that plans this schema from the written root
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    dependencies_written: bool = False
    notes: list[Note] = field(default_factory=list)


def schema_names(conn: Conn) -> list[str]:
    """Return the user schemas of the database, for a message about a missing one."""
    rows = conn.execute(
        "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' "
        "AND nspname <> 'information_schema' ORDER BY 1").fetchall()
    return [str(r[0]) for r in rows]


def check_schema(conn: Conn, schema: str) -> None:
    """Raise a one-line error unless `schema` exists and a project can name it."""
    names = schema_names(conn)
    if schema not in names:
        raise ZplusError(f"schema {schema!r} does not exist in the database "
                         f"(schemas: {', '.join(names) or 'none'})")
    if problem := identifier_problem(schema):
        raise ZplusError(f"cannot import schema {schema!r}: {problem}")


def tenant_prefix(schema: str) -> tuple[str, str]:
    """Return (prefix, slug) with prefix + slug == schema: split after the first `_`.

    `tenant_acme` gives (`tenant_`, `acme`), as Zplus names tenant schemas; a name without
    `_` is all slug.
    """
    head, sep, tail = schema.partition("_")
    return (head + sep, tail) if sep and tail else ("", schema)


def import_schema(conn: Conn, options: ImportOptions) -> ImportResult:
    """Read `options.schema` from the database and write it under `options.out`."""
    check_schema(conn, options.schema)
    own = introspect(conn, [options.schema])[options.schema]
    result = _plan_result(options, own.model, read_project(options.out))
    ctx = _context(conn, options, own.model, result)
    ctx.notes += [unmanaged_note(u) for u in own.unmanaged]
    _note_unplaceable(ctx)
    group = options.out / "schema" / options.role
    clear_group(group, options.force)  # only now: nothing is removed when reading fails
    header = _header(f"schema {options.schema}, imported as the "
                     f"{'system schema' if options.role == 'system' else 'tenant template'}")
    result.files += _write_group(group, build_files(ctx, options.layout), header)
    if ctx.reachable is not None and ctx.reachable in ctx.others:
        _write_dependencies(options.out, ctx, ctx.reachable, result)
    result.files.insert(0, write_project(options.out, _settings(result), _header(
        f"project settings for schema {options.schema}, imported as {options.role}")))
    result.counts = model_sections(own.model)
    result.notes = sorted(set(ctx.notes))
    return result


def _context(conn: Conn, options: ImportOptions, model: SchemaModel,
             result: ImportResult) -> ImportContext:
    """Return the import context, with the schemas the imported one references read too."""
    others = [s for s in referenced_schemas(model) if s != options.schema]
    read = introspect(conn, others) if others else {}
    reachable = result.system_schema if options.role == "tenant" else None
    return ImportContext(options.schema, model, {k: v.model for k, v in read.items()},
                         reachable)


def _plan_result(options: ImportOptions, model: SchemaModel,
                 existing: dict[str, Any]) -> ImportResult:
    """Return the result skeleton: the project settings and the target to plan with."""
    schema = options.schema
    if options.role == "system":
        return ImportResult(schema, "system", schema, None, "system")
    current = project_settings(existing).get("system_schema")
    system = str(current) if current else choose_system_schema(model)
    if system == schema:
        raise ZplusError(f"schema {schema!r} is the project's system schema; "
                         "import it --as system")
    # schema:NAME, not tenant:SLUG: a tenant target takes its modules from the registry,
    # which may enable modules the imported root does not define.
    prefix, _ = tenant_prefix(schema)
    return ImportResult(schema, "tenant", system, prefix, f"schema:{schema}")


def _settings(result: ImportResult) -> dict[str, str]:
    settings = {"system_schema": result.system_schema}
    if result.tenant_prefix is not None:
        settings["tenant_schema_prefix"] = result.tenant_prefix
    return settings


def _note_unplaceable(ctx: ImportContext) -> None:
    """Note indexes and triggers on views: the YAML writes them under tables only."""
    tables = {t.name for t in ctx.model.tables}
    for index in ctx.model.indexes:
        if index.table not in tables:
            ctx.note(f"index {index.name} on {index.table}", "the YAML writes indexes under "
                     "tables only; not imported")
    for trigger in ctx.model.triggers:
        if trigger.table not in tables:
            ctx.note(f"trigger {trigger.name} on {trigger.table}", "the YAML writes "
                     "triggers under tables only; not imported")


def _header(what: str) -> list[str]:
    today = datetime.date.today().isoformat()
    return [f"generated by zplus-schema import on {today}; edit freely", what]


def _write_group(folder: Path, files: list[FileSpec], header: list[str]) -> list[Path]:
    """Write the files of one group folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in files:
        path = folder / spec.name
        path.write_text(emit(spec.data, header + spec.comments), encoding="utf-8")
        written.append(path)
    return written


def _write_dependencies(root: Path, ctx: ImportContext, system: str,
                        result: ImportResult) -> None:
    """Write the system objects a tenant import references, unless the system is there."""
    deps = dependencies(ctx.model, ctx.others[system], system)
    names = [f"function {f.name}" for f in deps.functions]
    names += [f"table {t.name}" for t in deps.tables]
    names += [f"type {t.name}" for t in deps.enums] + [f"type {d.name}" for d in deps.domains]
    if not names:
        return
    result.dependencies = names
    folder = root / "schema" / "system"
    if yaml_files(folder):
        return  # the system schema was imported (or written) already: it defines them
    dep_ctx = ImportContext(system, deps)
    files = build_files(dep_ctx, "single")
    header = [*_header(f"schema {system}: only the objects schema {ctx.schema} references"),
              "This is not the whole system schema: import it with --as system to manage it;",
              "until then plan only the tenant target."]
    data: Block = files[0].data
    result.files += _write_group(folder, [FileSpec(DEPENDENCIES_FILE, data)], header)
    result.dependencies_written = True
