"""Rules: a code, a name, a severity, why it matters, examples, and a check function."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .finding import Hit, Severity
from .subject import ChangeSet, Subject

DefinitionCheck = Callable[[Subject], Iterable[Hit]]
ChangeCheck = Callable[[ChangeSet], Iterable[Hit]]

DEFAULT_FILE = "schema/tenant/example.yaml"
_MARKER = re.compile(r"^# (file|live): (\S+)\s*$")


@dataclass(frozen=True)
class Rule:
    """One lint rule. `bad` and `good` are YAML examples, shown in the docs and tested.

    An example is one YAML text; a line `# file: PATH` starts another file of the project
    (the first file defaults to schema/tenant/example.yaml), and in change rules
    `# live: PATH` starts a file of the live schema the change is planned against.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    bad: str
    good: str
    check: DefinitionCheck | None = None  # over one schema group (ZS1xx, ZS3xx)
    check_change: ChangeCheck | None = None  # over a planned change (ZS2xx)

    @property
    def is_change_rule(self) -> bool:
        """Return True for rules over a plan's changes rather than over definitions."""
        return self.check_change is not None


@dataclass(frozen=True)
class ExampleFiles:
    """An example split into its project files: desired (`files`) and live (`live`)."""

    files: dict[str, str]
    live: dict[str, str]


def split_example(text: str) -> ExampleFiles:
    """Split an example's text at its `# file:` / `# live:` markers into project files."""
    files: dict[str, str] = {}
    live: dict[str, str] = {}
    target, path = files, DEFAULT_FILE
    lines: list[str] = []

    def flush() -> None:
        body = "\n".join(lines).strip("\n")
        if body:
            target[path] = target.get(path, "") + body + "\n"

    for line in text.strip("\n").splitlines():
        marker = _MARKER.match(line)
        if marker is None:
            lines.append(line)
            continue
        flush()
        lines = []
        target = live if marker.group(1) == "live" else files
        path = marker.group(2)
    flush()
    return ExampleFiles(files, live)
