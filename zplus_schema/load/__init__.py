"""YAML -> model. Every problem carries file:line and a hint."""

from pathlib import Path

from ..errors import InputError
from .checks import check_project
from .project import Loaded, load_project

__all__ = ["Loaded", "check_project", "load", "load_project"]


def load(root: Path) -> Loaded:
    """Load a project and check its cross-references; raise InputError on any problem."""
    loaded = load_project(root)
    problems = check_project(loaded)
    if problems:
        raise InputError(problems)
    return loaded
