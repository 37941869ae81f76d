"""Read YAML keeping the line of every value, and refuse duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem

PathKey = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it (the wheels are): it keeps the same marks
# (lines) and errors, about ten times faster than the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class SourceDoc:
    """A parsed YAML file: plain Python data plus the line of every path in it."""

    file: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def location(self, path: PathKey) -> Location:
        """Return the location of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while probe and probe not in self.lines:
            probe = probe[:-1]
        return Location(self.file, self.lines.get(probe, 1))


class _Builder:
    """Turns a composed YAML node tree into Python data, recording lines and duplicates."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.problems: list[Problem] = []
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            # Keys are names: take their text as written, so `on:` or `1:` stay strings.
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "a mapping key must be a plain name")
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                self._problem(
                    key_node,
                    f"duplicate key {key!r} (first defined on line {seen[key]})",
                    "each name may appear once in a mapping; remove or rename one of them",
                )
                continue
            seen[key] = line
            result[key] = self.build(value_node, (*path, key))
            self.lines[(*path, key)] = line
        return result

    def _problem(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        loc = Location(self.file, node.start_mark.line + 1)
        self.problems.append(Problem(message, loc, hint=hint))


def read_yaml(file: Path, display: Path | None = None) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse one YAML file; return the document (None if unreadable) and any problems."""
    shown = display or file
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(f"cannot read file: {exc}", Location(shown, 1))]
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        return None, [
            Problem(
                f"YAML syntax error: {what}",
                Location(shown, line),
                hint="check indentation and quoting on this line (SQL text with ':' or '#' "
                "must be quoted)",
            )
        ]
    builder = _Builder(shown)
    data = {} if root is None else builder.build(root, ())
    return SourceDoc(shown, data, builder.lines), builder.problems
