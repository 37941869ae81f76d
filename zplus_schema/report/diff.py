"""`report access --diff`: what a change adds to or removes from access.

Both sides become sets of one-line facts (a grant, an RLS state, a policy, a role and its
attributes, a membership, a default privilege, a finding); the difference is two sets.
Facts are read from the JSON form of the report, so a saved report and a fresh one compare
the same way, whichever version of zplus-schema wrote the base.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from ..errors import ZplusError
from .model import REPORT_VERSION

Fact = tuple[str, str]  # (category, text)
CATEGORIES = ("role", "membership", "schema", "owner", "rls", "policy", "grant", "function",
              "default privilege", "finding")


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _access(a: dict[str, Any]) -> str:
    col = f"({a['column']})" if a.get("column") else ""
    via = f" via {a['via']}" if a.get("via") else ""
    grant = " WITH GRANT OPTION" if a.get("grantable") else ""
    return f"{a['role']} {a['privilege']}{col}{via}{grant}"


def _role_facts(report: dict[str, Any]) -> Iterator[Fact]:
    attrs = ("login", "superuser", "bypassrls", "createrole", "createdb", "inherit")
    for r in report["roles"]:
        on = [a for a in attrs if r[a]]
        yield "role", (f"{r['name']}: {', '.join(on) or 'no attributes'}, connection limit "
                       f"{r['connection_limit']}")
        for m in r["member_of"]:
            how = ("inherit" if m["inherit"] else "noinherit") + (", admin" if m["admin"] else "")
            yield "membership", f"{r['name']} member of {m['role']} ({how})"


def _table_facts(where: str, t: dict[str, Any]) -> Iterator[Fact]:
    name = f"{where}.{t['name']}"
    yield "owner", f"{t['kind']} {name}: owner {t['owner']}"
    if t["kind"] in ("table", "partitioned table"):
        state = "enabled" if t["rls_enabled"] else "disabled"
        state += ", forced" if t["rls_forced"] else ""
        yield "rls", f"{name}: row-level security {state}"
    for p in t["policies"]:
        kind = "permissive" if p["permissive"] else "restrictive"
        text = f"{name} policy {p['name']}: {p['command']} {kind} to {', '.join(p['roles'])}"
        text += f" USING ({_flat(p['using'])})" if p["using"] is not None else ""
        text += f" WITH CHECK ({_flat(p['with_check'])})" if p["with_check"] is not None else ""
        yield "policy", text
    for a in t["access"]:
        yield "grant", f"{name}: {_access(a)}"


def _section_facts(report: dict[str, Any]) -> Iterator[Fact]:
    for s in report["sections"]:
        where = s["label"]
        yield "owner", f"schema {where}: owner {s['owner']}"
        for a in s["schema_access"]:
            yield "schema", f"schema {where}: {_access(a)}"
        for t in s["tables"]:
            yield from _table_facts(where, t)
        for f in s["functions"]:
            mode = "SECURITY DEFINER" if f["security_definer"] else "SECURITY INVOKER"
            path = f"search_path={f['search_path']}" if f["search_path"] else "no search_path"
            yield "function", f"{where}.{f['signature']}: {mode}, {path}, owner {f['owner']}"
            for a in f["execute"]:
                yield "grant", f"function {where}.{f['signature']}: {_access(a)}"


def facts(report: dict[str, Any]) -> set[Fact]:
    """Return the access facts of a report in its JSON form."""
    out = {*_role_facts(report), *_section_facts(report)}
    for d in report["default_privileges"]:
        text = (f"{d['owner']} in {d['schema'] or 'every schema'}: new {d['object_type']}"
                      f" grant {d['privilege']} to {d['grantee']}")
        out.add(("default privilege", text))
    for f in report["findings"]:
        out.add(("finding", f"[{f['severity']}] {f['code']} {f['object']}: {f['message']}"))
    return out


@dataclass
class AccessDiff:
    """What the head adds to and removes from the base's access."""

    base: str
    head: str
    added: list[Fact] = field(default_factory=list)
    removed: list[Fact] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Return True when access did not change."""
        return not self.added and not self.removed


def _order(fact: Fact) -> tuple[int, str]:
    return (CATEGORIES.index(fact[0]) if fact[0] in CATEGORIES else len(CATEGORIES), fact[1])


def diff_reports(base: dict[str, Any], head: dict[str, Any]) -> AccessDiff:
    """Return the facts only the head has (added) and only the base has (removed)."""
    b, h = facts(base), facts(head)
    return AccessDiff(str(base.get("source", "base")), str(head.get("source", "head")),
                      sorted(h - b, key=_order), sorted(b - h, key=_order))


def load_report(path: Path) -> dict[str, Any]:
    """Return a report saved with --format json, or raise one clear error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ZplusError(f"{path}: cannot read the base report: {exc}",
                         hint="give a file written by `report access --format json`, or a "
                              "git revision") from exc
    needed = {"version", "roles", "sections", "default_privileges", "findings"}
    if not isinstance(data, dict) or not needed <= data.keys():
        raise ZplusError(f"{path}: not an access report (written by `report access --format "
                         "json`)")
    if data["version"] != REPORT_VERSION:
        raise ZplusError(f"{path}: access report version {data['version']}; this zplus-schema "
                         f"reads version {REPORT_VERSION}",
                         hint="write the base again with this version")
    return data


def render_diff_markdown(d: AccessDiff) -> str:
    """Return the changes as markdown: one diff block per category."""
    lines = ["# Access changes", "", f"Base: {d.base}. Head: {d.head}.", ""]
    if d.empty:
        return "\n".join([*lines, "No change in access.", ""])
    lines.append(f"{len(d.added)} added, {len(d.removed)} removed.")
    for cat in CATEGORIES:
        rows = [f"- {t}" for c, t in d.removed if c == cat]
        rows += [f"+ {t}" for c, t in d.added if c == cat]
        if rows:
            lines += ["", f"## {cat}", "", "```diff", *rows, "```"]
    return "\n".join(lines) + "\n"


def render_diff_json(d: AccessDiff) -> str:
    """Return the changes as JSON (docs/report.md)."""
    doc = {"version": REPORT_VERSION, "kind": "access-diff", "base": d.base, "head": d.head,
           "added": [{"category": c, "text": t} for c, t in d.added],
           "removed": [{"category": c, "text": t} for c, t in d.removed]}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_diff_html(d: AccessDiff) -> str:
    """Return the changes as one self-contained HTML page."""
    rows = "".join(f"<tr class={kind}><td>{sign}</td><td>{escape(c)}</td><td><code>"
                   f"{escape(t)}</code></td></tr>"
                   for sign, kind, items in (("-", "rm", d.removed), ("+", "add", d.added))
                   for c, t in items)
    body = (f"<table><tr><th></th><th>category</th><th>change</th></tr>{rows}</table>"
            if rows else "<p>No change in access.</p>")
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>Access changes"
            "</title><style>body{font:14px system-ui,sans-serif;margin:2em}td,th{border:1px "
            "solid #ccd;padding:.2em .5em;text-align:left}table{border-collapse:collapse}"
            ".add td{background:#e6ffec}.rm td{background:#ffebe9}</style></head><body>"
            f"<h1>Access changes</h1><p>Base: {escape(d.base)}. Head: {escape(d.head)}.</p>"
            f"{body}</body></html>\n")
