"""The end of a fleet run: a summary table, the failed tenants, and the exit code."""

from __future__ import annotations

from .chunk import TenantOutcome

OUTCOMES = ("applied", "noop", "failed", "skipped")
# Exit codes of --all-tenants runs (README): 0 all done, 4 some tenants not applied.
EXIT_OK, EXIT_PARTIAL = 0, 4


def summary_table(outcomes: list[TenantOutcome]) -> str:
    """Return a table of outcome counts per server, and a total row."""
    servers = sorted({o.tenant.record.server for o in outcomes})
    rows = [[s, *(str(sum(1 for o in outcomes if o.tenant.record.server == s
                          and o.outcome == k)) for k in OUTCOMES)] for s in servers]
    rows.append(["total", *(str(sum(1 for o in outcomes if o.outcome == k))
                            for k in OUTCOMES)])
    head = ["server", *OUTCOMES]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()

    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    return "\n".join(lines) + "\n"


def problem_lines(outcomes: list[TenantOutcome]) -> list[str]:
    """Return a line per failed or skipped tenant (one per shared cause), and warnings.

    Tenants failing for the same reason (their server is down, a canary failed) share one
    line naming them, so one unreachable server is one line, not one per tenant.
    """
    by_cause: dict[tuple[str, str], list[TenantOutcome]] = {}
    for o in sorted(outcomes, key=lambda o: o.tenant.record.slug):
        if o.outcome in ("failed", "skipped"):
            by_cause.setdefault((o.outcome, o.error or "unknown error"), []).append(o)
    lines = []
    for (outcome, error), members in by_cause.items():
        if len(members) == 1:
            t = members[0].tenant
            lines.append(f"{outcome}: {t.label} ({t.record.server}, schema {t.record.schema})"
                         f": {error}")
            continue
        slugs = [o.tenant.record.slug for o in members]
        shown = ", ".join(slugs[:10]) + (f" and {len(slugs) - 10} more" if len(slugs) > 10
                                         else "")
        lines.append(f"{outcome}: {len(slugs)} tenants ({shown}): {error}")
    lines += [f"warning: {o.tenant.label}: {note}" for o in outcomes for note in o.notes
              if note != "already as desired"]
    return lines


def exit_code(outcomes: list[TenantOutcome]) -> int:
    """Return 0 when every tenant is applied or already in sync, else 4."""
    ok = all(o.outcome in ("applied", "noop") for o in outcomes)
    return EXIT_OK if ok else EXIT_PARTIAL
