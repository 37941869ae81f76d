"""Turn pydantic validation errors into located, readable problems."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem
from . import spec as spec_module
from .yamlsrc import PathKey, SourceDoc


def _known_keys() -> list[str]:
    names: set[str] = set()
    for obj in vars(spec_module).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            for name, info in obj.model_fields.items():
                names.add(info.alias or name)
    return sorted(names)


def _data_path(data: Any, loc: tuple[str | int, ...]) -> PathKey:
    """Follow `loc` through `data`, skipping the union-member tags pydantic inserts."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        if in_dict or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and "[" not in part and (
            part[:1].islower() and part not in ("str", "int", "float", "bool", "list", "dict")
        ):
            # A missing or unknown key: name it, but it has no line of its own.
            path.append(part)
            break
    return tuple(path)


def _describe(path: PathKey) -> str:
    return ".".join(str(p) for p in path) or "(file)"


def _message(err: ErrorDetails, path: PathKey) -> tuple[str, str | None]:
    kind = err["type"]
    last = path[-1] if path else ""
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(last), _known_keys(), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "remove it; see docs/yaml-reference.md"
        return f"unknown key {last!r}", hint
    if kind == "missing":
        return f"missing required key {last!r}", "add it; see docs/yaml-reference.md"
    got = err.get("input")
    shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
    return f"{err['msg'].rstrip('.')} (got {shown})", None


def problems_from(exc: ValidationError, doc: SourceDoc) -> list[Problem]:
    """Map each validation error to the file:line of the value it is about."""
    found: dict[PathKey, tuple[str, str | None]] = {}
    for err in exc.errors():
        path = _data_path(doc.data, tuple(err["loc"]))
        found.setdefault(path, _message(err, path))
    # Inside a union pydantic reports every member; the deepest path is the real mistake.
    paths = list(found)
    keep = [p for p in paths if not any(q != p and q[: len(p)] == p for q in paths)]
    problems = []
    for path in keep:
        message, hint = found[path]
        problems.append(Problem(message, doc.location(path), obj=_describe(path), hint=hint))
    return problems
