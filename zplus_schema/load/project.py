"""Load a project root (schema/ and policies/) into the model, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Location, Problem
from ..model import Module, Project, SchemaModel, Settings
from ..model.base import Node
from . import spec as s
from .errors_map import problems_from
from .normalize import Collected, FileNormalizer, Suppression, make_trigger
from .policies import build_security, read_policies
from .yamlsrc import SourceDoc, read_yaml

SpecT = TypeVar("SpecT", bound=BaseModel)
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ProjectLint:
    """The `lint:` settings of schema/project.yaml."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[Suppression, ...] = ()  # accepted everywhere, each with its reason
    known_roles: tuple[str, ...] = ()


@dataclass
class Loaded:
    """A loaded project and where each of its objects was written."""

    root: Path
    project: Project
    origins: dict[str, Collected] = field(default_factory=dict)
    module_files: dict[str, Location] = field(default_factory=dict)
    lint: ProjectLint = field(default_factory=ProjectLint)

    def where(self, group: str, kind: str, key: str) -> Location | None:
        """Return the location of an object of a group (system, tenant, module:NAME)."""
        collected = self.origins.get(group)
        return collected.origins.get((kind, key)) if collected else None


class _Reader:
    """Reads files of a root, validating each against its spec, keeping all problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def shown(self, file: Path) -> Path:
        try:
            return file.relative_to(self.root)
        except ValueError:
            return file

    def read(self, file: Path, spec: type[SpecT]) -> tuple[SourceDoc, SpecT] | None:
        doc, problems = read_yaml(file, self.shown(file))
        self.problems.extend(problems)
        if doc is None or problems:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem("the file must be a YAML mapping", doc.location(()),
                                         hint="start with a key such as `tables:`"))
            return None
        try:
            return doc, spec.model_validate(doc.data)
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc))
            return None


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def _collect(reader: _Reader, files: list[Path]) -> Collected:
    collected = Collected()
    for file in files:
        read = reader.read(file, s.ObjectsFile)
        if read:
            FileNormalizer(read[0], collected).run(read[1])
    return collected


def _apply_templates(collected: Collected, group: str, templates: dict[str, Any],
                     where: dict[str, Location]) -> None:
    """Add each trigger template's trigger to the group's tables that have its column."""
    from ..model import Table

    kind = "modules" if group.startswith("module:") else group
    tables = [t for t in collected.objects.get("relation", []) if isinstance(t, Table)]
    for name, tpl in templates.items():
        if kind not in tpl.groups:
            continue
        for table in tables:
            if name in collected.skip_templates.get(table.name, set()):
                continue
            if tpl.if_column and table.column(tpl.if_column) is None:
                continue
            trig = make_trigger(table.name, name, tpl)
            collected.add("trigger", trig, f"{table.name}.{name}", where[name])


def _schema_model(collected: Collected) -> SchemaModel:
    by_field: dict[str, list[Node]] = {f: [] for f in SchemaModel.model_fields}
    field_of = {"Extension": "extensions", "EnumType": "enums", "Sequence": "sequences",
                "Function": "functions", "Table": "tables", "Index": "indexes",
                "Trigger": "triggers", "View": "views", "MaterializedView": "materialized_views",
                "Domain": "domains", "Policy": "policies"}
    for objs in collected.objects.values():
        for obj in objs:
            by_field[field_of.get(type(obj).__name__, "constraints")].append(obj)
    return SchemaModel(**{k: tuple(v) for k, v in by_field.items()})


def load_project(root: Path) -> Loaded:
    """Load every definition under `root`; raise InputError listing all problems found."""
    schema_dir = root / "schema"
    if not schema_dir.is_dir():
        raise InputError([Problem(
            f"no schema/ folder under {root.resolve()}",
            hint="run from a project root or pass --root DIR (a folder containing schema/)",
        )])
    reader = _Reader(root)
    settings, templates, tpl_where, lint = _project_settings(reader, schema_dir / "project.yaml")
    groups: dict[str, Collected] = {
        "system": _collect(reader, _yaml_files(schema_dir / "system")),
        "tenant": _collect(reader, _yaml_files(schema_dir / "tenant")),
    }
    modules, module_files = _modules(reader, schema_dir / "modules", groups)
    found_policies = read_policies(root / "policies", reader.read)
    problems = list(reader.problems)
    for group, collected in groups.items():
        _apply_templates(collected, group, templates, tpl_where)
        problems.extend(collected.problems)
    if problems:
        raise InputError(problems)
    for name, (_, where) in found_policies.roles.items():  # where lint finds roles
        groups["system"].origins[("role", name)] = where
    project = _with_security(found_policies, Project(
        settings=settings,
        system=_schema_model(groups["system"]),
        tenant=_schema_model(groups["tenant"]),
        modules=tuple(
            m.model_copy(update={"objects": _schema_model(groups[f"module:{m.name}"])})
            for m in modules
        ),
    ))
    return Loaded(root=root, project=project, origins=groups, module_files=module_files,
                  lint=lint)


def _with_security(found: Any, project: Project) -> Project:
    """Return the project with what policies/ declares, or raise its problems."""
    security, problems = build_security(found, project)
    if problems:
        raise InputError(problems)
    return project.model_copy(update={"security": security})


def _project_settings(
    reader: _Reader, file: Path
) -> tuple[Settings, dict[str, Any], dict[str, Location], ProjectLint]:
    if not file.exists():
        return Settings(), {}, {}, ProjectLint()
    read = reader.read(file, s.ProjectFile)
    if read is None:
        return Settings(), {}, {}, ProjectLint()
    doc, spec = read
    where = {n: doc.location(("trigger_templates", n)) for n in spec.trigger_templates}
    ignore = tuple(Suppression(i.code, i.reason, doc.location(("lint", "ignore", n)))
                   for n, i in enumerate(spec.lint.ignore))
    lint = ProjectLint(tuple(spec.lint.select), ignore, tuple(spec.lint.known_roles))
    return Settings(**spec.project.model_dump()), dict(spec.trigger_templates), where, lint


def _modules(
    reader: _Reader, folder: Path, groups: dict[str, Collected]
) -> tuple[list[Module], dict[str, Location]]:
    modules: list[Module] = []
    files: dict[str, Location] = {}
    if not folder.is_dir():
        return modules, files
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        info_file = sub / "module.yaml"
        if not info_file.exists():
            reader.problems.append(Problem(
                f"module folder {sub.name!r} has no module.yaml",
                Location(reader.shown(sub), 1),
                hint="add module.yaml with `module: {description: ..., depends_on: []}`",
            ))
            continue
        read = reader.read(info_file, s.ModuleFile)
        files[sub.name] = Location(reader.shown(info_file), 1)
        objects = [f for f in _yaml_files(sub) if f.name != "module.yaml"]
        groups[f"module:{sub.name}"] = _collect(reader, objects)
        if read is None:
            continue
        doc, spec = read
        files[sub.name] = doc.location(("module",))
        info = spec.module
        modules.append(Module(name=sub.name, display_name=info.display_name,
                              description=info.description, version=info.version,
                              depends_on=tuple(info.depends_on)))
    return modules, files
