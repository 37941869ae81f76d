"""A digest of this package's own source, for caches that must not outlive the code.

What the tool remembers between runs (fleet states, normalized models) was computed by
some version of the code; a change to how schemas are read, compiled or fingerprinted
must invalidate it. Hashing the source (a few hundred small files, milliseconds) needs no
version bump to be remembered.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from importlib.resources.abc import Traversable


@functools.cache
def code_digest() -> str:
    """Return the sha256 of every .py and .sql file of the package, by relative path."""
    h = hashlib.sha256()
    for path, data in sorted(_files(resources.files("zplus_schema"), "")):
        h.update(path.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def _files(node: Traversable, prefix: str) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for child in node.iterdir():
        name = prefix + child.name
        if child.is_dir():
            if child.name != "__pycache__":
                out += _files(child, name + "/")
        elif child.name.endswith((".py", ".sql")):
            out.append((name, child.read_bytes()))
    return out
