"""Progress, summary and chunking of fleet runs (no database needed)."""

from __future__ import annotations

import io

from zplus_schema.fleet.chunk import TenantOutcome, Work
from zplus_schema.fleet.inventory import FleetTenant
from zplus_schema.fleet.progress import Progress
from zplus_schema.fleet.registry import TenantRecord
from zplus_schema.fleet.runner import chunks
from zplus_schema.fleet.summary import exit_code, problem_lines, summary_table
from zplus_schema.plan.document import TargetPlan


def tenant(slug: str, server: str = "localhost") -> FleetTenant:
    record = TenantRecord(slug, slug, slug, "active", f"tenant_{slug}", server, "db", ())
    return FleetTenant(record, "f" * 64, 15)


def test_plain_lines_when_not_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(3, out, tty=False)
    progress.tick(TenantOutcome(tenant("a"), "applied", 2, 0.5))
    progress.tick(TenantOutcome(tenant("b"), "noop"))
    progress.tick(TenantOutcome(tenant("c"), "failed", 2, attempts=3, error="lock timeout"))
    assert out.getvalue().splitlines() == [
        "[1/3] tenant:a (localhost): applied (2 statement(s), 0.50s)",
        "[3/3] tenant:c (localhost): failed after 3 attempts: lock timeout"]


def test_a_bar_with_counts_and_eta_on_a_terminal() -> None:
    out = io.StringIO()
    progress = Progress(4, out, tty=True)
    progress.tick(TenantOutcome(tenant("a"), "applied"))
    bar = out.getvalue()
    assert bar.startswith("\r[#######.") and "1/4 applied 1 ETA " in bar
    for slug in "bcd":
        progress.tick(TenantOutcome(tenant(slug), "applied"))
    assert out.getvalue().endswith("4/4 applied 4 ETA 0:00\n")


def test_summary_table_and_one_line_per_shared_cause() -> None:
    down = "server eu (h:5432/db) is unreachable: connection refused"
    outcomes = [TenantOutcome(tenant("a"), "applied"), TenantOutcome(tenant("b"), "noop"),
                TenantOutcome(tenant("e1", "eu"), "failed", error=down),
                TenantOutcome(tenant("e2", "eu"), "failed", error=down)]
    table = summary_table(outcomes).splitlines()
    assert table[0].split() == ["server", "applied", "noop", "failed", "skipped"]
    assert table[2].split() == ["eu", "0", "0", "2", "0"]
    assert table[-1].split() == ["total", "1", "1", "2", "0"]
    assert problem_lines(outcomes) == [f"failed: 2 tenants (e1, e2): {down}"]
    assert exit_code(outcomes) == 4 and exit_code(outcomes[:2]) == 0


def test_chunks_stay_on_one_server_and_feed_every_job() -> None:
    plan = TargetPlan(target="t", schema_name="s", fingerprint_live="x",
                      fingerprint_desired="y")
    work = [Work(tenant(f"a{i}"), plan) for i in range(10)]
    work += [Work(tenant(f"b{i}", "eu"), plan) for i in range(3)]
    parts = chunks(work, jobs=4, size=250)
    assert all(len({w.tenant.record.server for w in p}) == 1 for p in parts)
    assert sorted(len(p) for p in parts) == [2, 3, 4, 4]  # ceil(13 / 4) at most, per server
    assert sum(len(p) for p in chunks(work, jobs=1, size=5)) == 13
