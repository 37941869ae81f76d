"""User-facing errors: each says where, what, and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file (1-based line)."""

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located and with a hint on how to fix it."""

    message: str
    location: Location | None = None
    obj: str | None = None
    hint: str | None = None

    def render(self) -> str:
        """Render as `file:line: object: message` plus an indented hint."""
        head = f"{self.location}: " if self.location else ""
        what = f"{self.obj}: " if self.obj else ""
        text = f"{head}{what}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class ZplusError(Exception):
    """An error the user can act on; the CLI prints it without a traceback."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """Render the message and its hint for a terminal."""
        if self.hint:
            return f"{self.message}\n    hint: {self.hint}"
        return self.message


class InputError(ZplusError):
    """The definitions under the project root have one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(
            problems, key=lambda p: (str(p.location.file) if p.location else "", p.location.line
                                     if p.location else 0, p.message)
        )
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} found")

    def render(self) -> str:
        """Render every problem, one block each, then the count."""
        lines = [p.render() for p in self.problems]
        lines.append(self.message)
        return "\n".join(lines)
