"""The migration folder: parse golang-migrate file names, check the numbering, write pairs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ZplusError

KINDS = ("system", "tenant")
# golang-migrate reads `{version}_{title}.{up|down}.{ext}`; the seed pads versions to 3 digits.
FILE_RE = re.compile(r"^(?P<version>\d+)_(?P<name>[A-Za-z0-9_]+)\.(?P<way>up|down)\.sql$")
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@dataclass(frozen=True)
class MigrationFile:
    """One file on disk."""

    path: Path
    version: int
    name: str
    way: str  # up | down


@dataclass(frozen=True)
class MigrationPair:
    """The up and down files of one version."""

    version: int
    name: str
    up: Path
    down: Path


def check_name(name: str) -> None:
    """Refuse a migration name golang-migrate or a shell would stumble on."""
    if not NAME_RE.match(name):
        raise ZplusError(f"migration name {name!r} is not lower-case letters, digits and _",
                         hint="e.g. add_people_nickname")


def _parse(path: Path) -> MigrationFile:
    match = FILE_RE.match(path.name)
    if match is None:
        raise ZplusError(f"{path}: not a migration file name",
                         hint="name files NNN_name.up.sql and NNN_name.down.sql")
    return MigrationFile(path, int(match["version"]), match["name"], match["way"])


def _pair(version: int, files: list[MigrationFile]) -> MigrationPair:
    """Return the pair of one version, or say what is wrong with its files."""
    names = ", ".join(sorted(f.path.name for f in files))
    if len({f.name for f in files}) > 1 or len(files) > 2:
        raise ZplusError(f"version {version} is used more than once: {names}",
                         hint="renumber one of them: every version must be unique")
    ways = {f.way: f for f in files}
    if len(ways) < len(files):
        raise ZplusError(f"version {version} is used more than once: {names}",
                         hint="renumber one of them: every version must be unique")
    for way, other in (("up", "down"), ("down", "up")):
        if way not in ways:
            present = ways[other].path
            raise ZplusError(f"{present} has no {way} file",
                             hint=f"add {present.name.replace(f'.{other}.', f'.{way}.')}")
    return MigrationPair(version, files[0].name, ways["up"].path, ways["down"].path)


def scan(folder: Path) -> list[MigrationPair]:
    """Return the pairs in `folder` in version order; refuse gaps in pairing or duplicates."""
    if not folder.is_dir():
        return []
    by_version: dict[int, list[MigrationFile]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix == ".sql":
            parsed = _parse(path)
            by_version.setdefault(parsed.version, []).append(parsed)
    return [_pair(v, files) for v, files in sorted(by_version.items())]


def scan_all(base: Path) -> dict[str, list[MigrationPair]]:
    """Return the pairs of each kind (system, tenant) under the migrations folder."""
    return {kind: scan(base / kind) for kind in KINDS}


def next_version(pairs: list[MigrationPair]) -> int:
    """Return the number after the highest present (1 for an empty folder)."""
    return max((p.version for p in pairs), default=0) + 1


def write_pair(folder: Path, version: int, name: str, up: str, down: str) -> MigrationPair:
    """Write NNN_name.up.sql and NNN_name.down.sql; never overwrite an existing file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{version:03d}_{name}"
    pair = MigrationPair(version, name, folder / f"{stem}.up.sql", folder / f"{stem}.down.sql")
    for path, text in ((pair.up, up), (pair.down, down)):
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    return pair
