"""Show a fleet plan: one entry per group with its tenant count (text, markdown, json)."""

from __future__ import annotations

import json
from typing import Any

from .grouping import FleetPlan, Group

FLEET_PLAN_FORMAT = "zplus-schema.fleet-plan/1"
SHOWN_TENANTS = 10


def _tenants(group: Group) -> str:
    names = [t.record.slug for t in group.tenants]
    more = len(names) - SHOWN_TENANTS
    return ", ".join(names[:SHOWN_TENANTS]) + (f" and {more} more" if more > 0 else "")


def _headline(i: int, group: Group) -> str:
    n = len(group.tenants)
    mods = ", ".join(group.modules) or "none"
    what = "in sync" if group.empty else f"{len(group.template.steps)} statement(s)"
    return f"group {i}: {n} tenant{'s' if n != 1 else ''} (modules: {mods}): {what}"


def _sql(group: Group) -> list[str]:
    """Return the group's statements as they run for its first tenant."""
    plan = group.plan_for(group.tenants[0])
    return [s.sql.rstrip() + ";" for s in plan.steps]


def render_fleet_text(fleet: FleetPlan) -> str:
    """Return the plan for a terminal: each group, its tenants, hazards and SQL."""
    lines = [f"fleet plan: {fleet.tenant_count} tenant(s) in {len(fleet.groups)} group(s)"]
    for i, g in enumerate(fleet.groups, 1):
        lines.append(_headline(i, g))
        lines.append(f"  tenants: {_tenants(g)}")
        if g.empty:
            continue
        if g.template.hazards:
            lines.append(f"  hazards: {', '.join(g.template.hazards)}")
        lines.append(f"  SQL (for schema {g.tenants[0].record.schema}; each tenant runs it "
                     "in its own schema):")
        lines += ["    " + part for stmt in _sql(g) for part in stmt.splitlines()]
    lines += _unreachable(fleet)
    return "\n".join(lines) + "\n"


def _unreachable(fleet: FleetPlan) -> list[str]:
    out = []
    for server, reason in sorted(fleet.unreachable.items()):
        n = sum(1 for t in fleet.stranded if t.record.server == server)
        out.append(f"unreachable: {n} tenant(s) on server {server}: {reason}")
    out += [f"unreadable: {t.label}: {t.error}" for t in fleet.stranded if t.error]
    return out


def render_fleet_markdown(fleet: FleetPlan) -> str:
    """Return the plan as markdown, for a pull request comment."""
    lines = [f"## Fleet plan: {fleet.tenant_count} tenant(s) in {len(fleet.groups)} group(s)",
             "", "| group | tenants | modules | statements | hazards |",
             "|---:|---:|---|---:|---|"]
    for i, g in enumerate(fleet.groups, 1):
        lines.append(f"| {i} | {len(g.tenants)} | {', '.join(g.modules) or 'none'} | "
                     f"{len(g.template.steps)} | {', '.join(g.template.hazards) or '-'} |")
    for i, g in enumerate(fleet.groups, 1):
        if g.empty:
            continue
        lines += ["", f"### Group {i}: {_tenants(g)}", "", "```sql", *_sql(g), "```"]
    extra = _unreachable(fleet)
    if extra:
        lines += ["", *[f"- {line}" for line in extra]]
    return "\n".join(lines) + "\n"


def fleet_plan_data(fleet: FleetPlan) -> dict[str, Any]:
    """Return the plan as JSON-ready data (statements as run for each group's first tenant)."""
    groups = []
    for g in fleet.groups:
        first = g.plan_for(g.tenants[0])
        groups.append({
            "tenant_count": len(g.tenants), "tenants": [t.record.slug for t in g.tenants],
            "modules": list(g.modules), "server_version": g.key[0],
            "fingerprint_live": g.template.fingerprint_live,
            "fingerprint_desired": g.template.fingerprint_desired,
            "hazards": g.template.hazards, "schema_shown": first.schema_name,
            "steps": [s.model_dump(mode="json") for s in first.steps]})
    return {"format": FLEET_PLAN_FORMAT, "tenant_count": fleet.tenant_count,
            "groups": groups,
            "unreachable": [{"server": s, "reason": r, "tenants": [
                t.record.slug for t in fleet.stranded if t.record.server == s]}
                for s, r in sorted(fleet.unreachable.items())]}


def render_fleet_json(fleet: FleetPlan) -> str:
    """Return the plan as stable JSON."""
    return json.dumps(fleet_plan_data(fleet), indent=2, sort_keys=True) + "\n"


def render_fleet_drift(fleet: FleetPlan) -> str:
    """Return one line per group: in sync, or drifted with the objects that differ."""
    lines = []
    for g in fleet.groups:
        n = len(g.tenants)
        if g.empty:
            lines.append(f"{n} tenant(s) in sync: {_tenants(g)}")
            continue
        objects = sorted({s.object for s in g.plan_for(g.tenants[0]).steps})
        lines.append(f"{n} tenant(s) drifted ({len(objects)} object(s) differ): {_tenants(g)}")
        lines += [f"  {o}" for o in objects]
    lines += _unreachable(fleet)
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_fleet_text, "markdown": render_fleet_markdown,
             "json": render_fleet_json}
