"""What `tenants list` and `tenants show` print: registry rows plus live schema and data state."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg

from ..errors import ZplusError
from . import tenant_registry as reg
from .refdata import load_refdata, tenant_data_drift, tenant_rows
from .registry import TenantRecord
from .tenant_context import TenantFleet
from .tenant_schema import schema_state


@dataclass
class TenantState:
    """One tenant as registered and as found on its server."""

    slug: str
    name: str
    status: str
    server: str
    schema: str
    modules: list[str]
    disabled_modules: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    schema_steps: int | None = None
    data_drift: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def sync(self) -> str:
        """Return `in sync`, `drifted`, `unchecked` or `error`."""
        if self.error:
            return "error"
        if self.schema_steps is None:
            return "unchecked"
        return "in sync" if self.schema_steps == 0 and not self.data_drift else "drifted"

    def as_json(self) -> dict[str, Any]:
        """Return the JSON form (with the sync verdict)."""
        return {**asdict(self), "sync": self.sync}


def tenant_states(fleet: TenantFleet, only: list[str] | None = None,
                  check: bool = True) -> list[TenantState]:
    """Return every registered tenant (or those in `only`), checked against its definitions."""
    out = []
    for rec in fleet.tenants(only):
        rows = reg.module_rows(fleet.registry, fleet.system_schema, rec.slug)
        state = TenantState(rec.slug, rec.name, rec.status, rec.server, rec.schema,
                            list(rec.modules), sorted(m for m, on in rows.items() if not on))
        if check:
            _check(fleet, rec, state)
        out.append(state)
    return out


def _check(fleet: TenantFleet, rec: TenantRecord, state: TenantState) -> None:
    """Fill in the fingerprint and drift; a server that fails is reported, not raised."""
    kept = sorted(set(rec.modules) | set(state.disabled_modules))
    try:
        conn = fleet.conn(rec.server)
        found = schema_state(conn, fleet, rec.slug, kept)
        state.fingerprint, state.schema_steps = found.fingerprint, found.steps
        ref = load_refdata(fleet.loaded.root, fleet.loaded.project)
        with conn.transaction():
            state.data_drift = tenant_data_drift(
                conn, rec.schema, tenant_rows(fleet.loaded.project, ref, rec.modules))
    except psycopg.errors.UndefinedTable:
        state.data_drift = ["reference tables missing"]
    except (ZplusError, psycopg.Error) as exc:
        state.error = (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def render_table(states: list[TenantState]) -> str:
    """Return the `tenants list` text table."""
    head = ("SLUG", "STATUS", "SERVER", "MODULES", "FINGERPRINT", "SYNC")
    rows = [head] + [(s.slug, s.status, s.server, ",".join(s.modules) or "-",
                      (s.fingerprint or "-")[:12], s.sync) for s in states]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n"
                   for r in rows)


def render_show(state: TenantState) -> str:
    """Return the `tenants show` text."""
    lines = [f"tenant:       {state.slug}", f"name:         {state.name}",
             f"status:       {state.status}", f"server:       {state.server}",
             f"schema:       {state.schema}",
             f"modules:      {', '.join(state.modules) or 'none'}"]
    if state.disabled_modules:
        lines.append(f"disabled:     {', '.join(state.disabled_modules)} (tables kept)")
    lines.append(f"fingerprint:  {state.fingerprint or '-'}")
    lines.append(f"sync:         {state.sync}")
    if state.schema_steps:
        lines.append(f"  schema: {state.schema_steps} step(s) pending "
                     f"(plan --target tenant:{state.slug})")
    lines += [f"  data: {d}" for d in state.data_drift]
    if state.error:
        lines.append(f"  error: {state.error}")
    return "\n".join(lines) + "\n"
