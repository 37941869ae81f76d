"""Render a plan for people (text, markdown) and machines (sql, json)."""

from __future__ import annotations

from itertools import groupby

import click

from .document import Plan, TargetPlan
from .step import HAZARD_HELP, Hazard


def render_sql(plan: Plan) -> str:
    """Return the SQL of every target, hazards as comments."""
    out: list[str] = []
    for t in plan.targets:
        out.append(f"-- target {t.target} (schema {t.schema_name}): {len(t.steps)} statement(s)")
        for s in t.steps:
            if s.hazards:
                out.append(f"-- hazard: {', '.join(s.hazards)}")
            if not s.transactional:
                out.append("-- runs outside the transaction")
            out.append(s.sql.rstrip() + ";")
        out.append("")
    return "\n".join(out)


def render_json(plan: Plan) -> str:
    """Return the plan document (stable keys, with plan_hash)."""
    return plan.to_json()


def _summary(t: TargetPlan) -> str:
    if t.empty:
        return f"{t.target}: in sync"
    hz = f", hazards: {', '.join(t.hazards)}" if t.hazards else ""
    return f"{t.target}: {len(t.steps)} statement(s){hz}"


def render_text(plan: Plan, color: bool = False) -> str:
    """Return a terminal view: grouped by object, hazards marked."""
    lines: list[str] = []
    for t in plan.targets:
        lines.append(click.style(f"== {_summary(t)}", bold=True) if color else f"== {_summary(t)}")
        for obj, steps in groupby(t.steps, key=lambda s: s.object):
            lines.append(f"  {obj}")
            for s in steps:
                mark = "!" if s.hazards else " "
                sql = s.sql.replace("\n", "\n      ")
                text = f"   {mark} {sql};"
                if s.hazards:
                    text += f"   [{', '.join(s.hazards)}]"
                    text = click.style(text, fg="yellow") if color else text
                lines.append(text)
        for u in t.unmanaged:
            lines.append(f"  unmanaged (left alone): {u}")
    return "\n".join(lines) + "\n"


def render_markdown(plan: Plan) -> str:
    """Return a pull-request comment: a summary table, hazards explained, SQL per target."""
    lines = ["## zplus-schema plan", "", "| target | statements | hazards |", "|---|---|---|"]
    for t in plan.targets:
        lines.append(f"| `{t.target}` | {len(t.steps)} | {', '.join(t.hazards) or '—'} |")
    used = sorted({h for t in plan.targets for h in t.hazards})
    if used:
        lines += ["", "**Hazards** (each needs `--allow-hazard KIND` to apply):", ""]
        lines += [f"- `{h}`: {HAZARD_HELP[Hazard(h)]}" for h in used]
    for t in plan.targets:
        if t.empty:
            continue
        lines += ["", f"<details><summary><code>{t.target}</code> — {len(t.steps)} statement(s)"
                  "</summary>", "", "```sql"]
        for s in t.steps:
            if s.hazards:
                lines.append(f"-- hazard: {', '.join(s.hazards)}")
            lines.append(s.sql.rstrip() + ";")
        lines += ["```", "", "</details>"]
    lines += ["", f"plan hash `{plan.content_hash()[:16]}`"]
    return "\n".join(lines) + "\n"


RENDERERS = {"sql": render_sql, "json": render_json, "markdown": render_markdown}
