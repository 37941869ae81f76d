"""The project root an import writes: schema/project.yaml and the group folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ZplusError
from .yamlemit import Block, emit

YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path) -> list[Path]:
    """Return the YAML files under a folder (none when it does not exist)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def clear_group(folder: Path, force: bool) -> None:
    """Make sure a group folder holds no definitions; with `force`, remove the old ones.

    Writing next to existing definitions would define objects twice (or keep ones the
    database no longer has), so an import starts from an empty group folder.
    """
    existing = yaml_files(folder)
    if existing and not force:
        raise ZplusError(
            f"{folder} already holds {len(existing)} YAML file(s); refusing to mix an import "
            "with existing definitions", hint="choose another --out, or pass --force to "
            "replace the YAML files of that folder")
    for file in existing:
        file.unlink()


def read_project(root: Path) -> dict[str, Any]:
    """Return schema/project.yaml as plain data ({} when there is none)."""
    file = root / "schema" / "project.yaml"
    if not file.exists():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ZplusError(f"{file} is not valid YAML: {exc}",
                         hint="fix or remove it before importing into this root") from exc
    if not isinstance(data, dict):
        raise ZplusError(f"{file} is not a YAML mapping", hint="fix or remove it")
    return data


def project_settings(existing: dict[str, Any]) -> dict[str, Any]:
    """Return the `project:` settings of an existing project.yaml."""
    settings = existing.get("project") or {}
    return dict(settings) if isinstance(settings, dict) else {}


def write_project(root: Path, settings: dict[str, str], header: list[str]) -> Path:
    """Write schema/project.yaml with `settings`, keeping the file's other sections."""
    existing = read_project(root)
    merged = {**project_settings(existing), **settings}
    data = Block(project=Block(merged))
    for key, value in existing.items():
        if key != "project":
            data[key] = value
    file = root / "schema" / "project.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(emit(data, header), encoding="utf-8")
    return file
