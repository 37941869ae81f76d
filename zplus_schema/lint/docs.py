"""Generate docs/lint-rules.md from the RULES table (`python -m zplus_schema.lint.docs`)."""

from __future__ import annotations

import sys
from pathlib import Path

from .registry import RULES
from .rule import DEFAULT_FILE, Rule, split_example

DOC_PATH = Path("docs") / "lint-rules.md"
# Where the rendered page lives: SARIF needs absolute help URIs for GitHub code scanning.
DOCS_URL = "https://github.com/zplus/zplus-schema/blob/main/docs/lint-rules.md"
_FAMILIES = (("ZS1", "ZS1xx: definitions"), ("ZS2", "ZS2xx: changes (over a plan)"),
             ("ZS3", "ZS3xx: security"))

INTRO = """\
# Lint rules

`zplus-schema lint` checks the definitions under `schema/` for design mistakes that
`validate` lets through: missing indexes, risky types, unsafe functions, policies that
cannot work. Each rule has a stable code: **ZS1xx** definitions, **ZS2xx** changes (rules
over a plan's steps), **ZS3xx** security.

```bash
zplus-schema lint [--root DIR] [--format text|json|sarif|github] [--select CODES]
                  [--ignore CODES] [--fail-on error|warning|info] [--base DIR]
```

- `--select` / `--ignore`: comma-separated codes or prefixes (`ZS104`, `ZS1`, `ALL`).
  `--select` replaces the project's `lint.select`; `--ignore` leaves rules out.
- `--fail-on`: exit 1 when a finding has this severity or a higher one (default `error`);
  otherwise exit 0. Bad options and invalid definitions exit 1 with a message.
- `--base DIR`: also run the change rules (ZS2xx) on what changes from the definitions under
  DIR (e.g. a checkout of the base branch) to these: the system schema, and a tenant schema
  with every module, planned offline.
- `--format`: `text` (`file:line: ZS101 [error] message (object)`), `json` (stable keys,
  format `zplus-schema.lint/1`), `sarif` (SARIF 2.1.0 for GitHub code scanning), `github`
  (workflow commands that annotate the pull request).

## Suppressing a finding

A finding that is accepted is suppressed where it occurs, with the reason, under `lint:`
on the table, column (long form), index, trigger, policy or function; a suppression on a
table also covers its columns, constraints, indexes, triggers and policies:

```yaml
tables:
  audit_logs:
    lint:
      ignore:
        - {code: ZS306, reason: "read only by the platform role; tenants never reach it"}
```

`schema/project.yaml` may suppress a code everywhere (again with a reason), choose the rules
run by default, and name the roles created outside these definitions, which policies may
use:

```yaml
lint:
  select: [ZS1, ZS3]
  ignore:
    - {code: ZS113, reason: "comments are kept in the wiki"}
  known_roles: [app_user, analytics_user]
```

A suppression without a reason, or with a code no rule has, is an error with its file:line.
The JSON and SARIF outputs list suppressed findings with their reasons.

## Output

`--format json` writes one document with sorted keys:

```json
{"format": "zplus-schema.lint/1", "tool_version": "0.1.0", "rules": ["ZS101", "..."],
 "findings": [{"code": "ZS103", "name": "fk-without-index", "severity": "warning",
               "message": "...", "object": "foreign key order_items.order_items_order_id_fkey",
               "group": "module:pos", "file": "schema/modules/pos/orders.yaml", "line": 38}],
 "suppressed": [{"code": "...", "reason": "...", "suppressed_at": "file:line", "...": "..."}],
 "summary": {"error": 0, "warning": 1, "info": 0, "suppressed": 0}}
```

`group` is `system`, `tenant`, `module:NAME`, or `tenant+modules` for a change of the
composed tenant schema; `file` and `line` are null for an object no file defines (a
dropped table, a model read from a database). `--format sarif` writes a SARIF 2.1.0 log
(`runs[0].tool.driver.rules` and `results` with `ruleId`, `level`, `message` and
`locations`), for `github/codeql-action/upload-sarif`.

## From code

The rules work on models, not only on YAML: `zplus_schema.lint.lint_model(model,
system=system_model)` lints one schema (e.g. one introspected from a database),
`lint_project(project)` every group of a project, and `lint_changes(live, desired, steps)`
the steps `plan_schema` made between two models.
"""


def help_url(rule: Rule | None) -> str:
    """Return the URL of a rule's section of the rules page (or of the page)."""
    if rule is None:
        return DOCS_URL
    return f"{DOCS_URL}#{rule.code.lower()}-{rule.name}"


def _example(text: str) -> str:
    """Return an example as YAML blocks, each captioned with its file when that matters."""
    parts = split_example(text)
    change = bool(parts.live)
    blocks = []
    for files, label in ((parts.live, " (live, before the change)"),
                         (parts.files, " (desired)" if change else "")):
        for path, body in files.items():
            shown = change or len(parts.files) > 1 or path != DEFAULT_FILE
            caption = f"# {path}{label}\n" if shown else ""
            blocks.append(f"```yaml\n{caption}{body.rstrip()}\n```")
    return "\n\n".join(blocks)


def _section(rule: Rule) -> str:
    kind = "changes" if rule.is_change_rule else "definitions"
    return "\n".join([
        f"### {rule.code} {rule.name}",
        "",
        f"**{rule.summary}.** Severity: `{rule.severity.value}`; checks {kind}.",
        "",
        rule.why,
        "",
        "Flagged:",
        "",
        _example(rule.bad),
        "",
        "What to write instead:",
        "",
        _example(rule.good),
        "",
    ])


def render_rules_doc() -> str:
    """Return the whole rules page, generated from RULES."""
    head = ("<!-- Generated from the RULES table by `python -m zplus_schema.lint.docs`; "
            "do not edit. -->\n")
    table = ["| code | name | severity | what |", "|---|---|---|---|"]
    table += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | `{r.name}` | {r.severity.value} | "
              f"{r.summary} |" for r in RULES]
    parts = [head + INTRO, "## Rules", "", *table, ""]
    for prefix, title in _FAMILIES:
        parts.append(f"## {title}\n")
        parts += [_section(r) for r in RULES if r.code.startswith(prefix)]
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the rules page under the given root (default: the current directory)."""
    root = Path((argv if argv is not None else sys.argv[1:] or ["."])[0])
    (root / DOC_PATH).write_text(render_rules_doc(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
