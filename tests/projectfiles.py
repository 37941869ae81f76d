"""Build small projects on disk for loader and CLI tests."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

MINIMAL = Path(__file__).parent / "projects" / "minimal"


def make_project(root: Path, files: dict[str, str], *, base: Path | None = MINIMAL) -> Path:
    """Copy `base` (if any) to `root`, then write each `files` entry (dedented) over it."""
    if base is not None:
        shutil.copytree(base, root, dirs_exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root
