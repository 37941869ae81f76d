"""Progress of a fleet run: a bar with counts and ETA on a terminal, plain lines otherwise.

CI logs are not terminals: there, each finished tenant is one line, which greps and
survives log truncation. Reports come from worker threads, hence the lock.
"""

from __future__ import annotations

import sys
import time
from threading import Lock
from typing import TextIO

from .chunk import TenantOutcome

BAR_WIDTH = 30


class Progress:
    """Count finished tenants and show them; call `tick` from any thread."""

    def __init__(self, total: int, stream: TextIO | None = None,
                 tty: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()
        self._lock = Lock()

    @property
    def finished(self) -> int:
        """Return how many tenants have an outcome."""
        return sum(self.counts.values())

    def tick(self, outcome: TenantOutcome) -> None:
        """Record one tenant's outcome and show it."""
        with self._lock:
            self.counts[outcome.outcome] = self.counts.get(outcome.outcome, 0) + 1
            if self.tty:
                self.stream.write("\r" + self.bar())
                if self.finished == self.total:
                    self.stream.write("\n")
            elif outcome.outcome != "noop":
                self.stream.write(self.line(outcome) + "\n")
            self.stream.flush()

    def line(self, o: TenantOutcome) -> str:
        """Return the plain line for one tenant: `[n/total] tenant:slug applied ...`."""
        text = (f"[{self.finished}/{self.total}] {o.tenant.label} ({o.tenant.record.server}): "
                f"{o.outcome}")
        if o.outcome == "applied":
            text += f" ({o.statements} statement(s), {o.seconds:.2f}s)"
        if o.attempts > 1:
            text += f" after {o.attempts} attempts"
        if o.error:
            text += f": {o.error}"
        return text

    def bar(self) -> str:
        """Return the bar: `[#####.....] 12/100 applied 10 failed 2 ETA 0:12`."""
        done = self.finished
        filled = BAR_WIDTH * done // max(1, self.total)
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        return (f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total} "
                f"{counts} ETA {self.eta()}")

    def eta(self) -> str:
        """Return the estimated time left, m:ss, from the pace so far."""
        done = self.finished
        if done == 0:
            return "?"
        left = (time.monotonic() - self.started) / done * (self.total - done)
        return f"{int(left) // 60}:{int(left) % 60:02d}"
