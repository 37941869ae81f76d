"""Lint example projects: a rule's bad/good YAML, or a folder of YAML files."""

from __future__ import annotations

from pathlib import Path

from tests.projectfiles import make_project
from zplus_schema.lint import LintResult, Selection, lint_loaded
from zplus_schema.lint.changes import lint_project_change
from zplus_schema.lint.rule import split_example
from zplus_schema.lint.selection import EVERY_RULE
from zplus_schema.load import Loaded, load_project
from zplus_schema.load.references import link_foreign_keys


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write the files as a project under `root`, adding what a project needs around them."""
    make_project(root, files, base=None)
    (root / "schema").mkdir(parents=True, exist_ok=True)
    modules = root / "schema" / "modules"
    for folder in modules.iterdir() if modules.is_dir() else []:
        info = folder / "module.yaml"
        if folder.is_dir() and not info.exists():
            info.write_text("module: {description: example}\n", encoding="utf-8")
    return root


def load_unchecked(root: Path) -> Loaded:
    """Load a project without the cross-reference checks of validate (the linter's input
    may be what validate refuses, e.g. a foreign key to an undefined table)."""
    loaded = load_project(root)
    loaded.project = link_foreign_keys(loaded.project)
    return loaded


def lint_example(text: str, tmp: Path, selection: Selection = EVERY_RULE) -> LintResult:
    """Lint a rule example: definitions, or (with `# live:` files) the change it makes."""
    example = split_example(text)
    head = load_unchecked(write_project(tmp / "head", example.files))
    if not example.live:
        return lint_loaded(head, selection)
    base = load_unchecked(write_project(tmp / "base", example.live))
    return lint_project_change(base, head, selection)
