"""ZS104: a trigger function reads a setting with current_setting() without missing_ok."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Function
from .. import anchors, sqltext
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def _runs_in_triggers(s: Subject, fn: Function) -> bool:
    return (fn.returns or "").lower() == "trigger" or bool(s.callers(fn))


def _unsafe_calls(fn: Function) -> Iterator[tuple[int, str]]:
    """Yield (body line, setting name) of each current_setting call that can raise."""
    for line, tree in sqltext.body_statements(fn):
        for name, args in sqltext.calls(tree):
            if name[-1] != "current_setting" or name[:-1] not in ([], ["pg_catalog"]):
                continue
            if len(args) >= 2 and sqltext.is_true(args[1]):
                continue
            setting = args[0].get("A_Const", {}).get("sval", {}).get("sval", "?") if args \
                else "?"
            yield line, str(setting)


def check(s: Subject) -> Iterator[Hit]:
    """Report current_setting(name) without `true` in functions that triggers run."""
    for fn in s.model.functions:
        if not _runs_in_triggers(s, fn):
            continue
        for line, setting in _unsafe_calls(fn):
            yield Hit(f"current_setting('{setting}') raises an error when the setting is "
                      f"absent, failing every write that fires {fn.name}; write "
                      f"current_setting('{setting}', true) and handle NULL",
                      f"function {fn.signature}", anchors.body_line(fn, line))


RULE = Rule(
    code="ZS104",
    name="current-setting-without-missing-ok",
    severity=Severity.ERROR,
    summary="`current_setting(...)` without missing_ok in a trigger function",
    why="`current_setting('app.x')` raises `unrecognized configuration parameter` when the "
        "session never set it: a migration, a psql session or a background job then cannot "
        "write to any table with the trigger. The seed's audit trigger reads "
        "`current_setting('app.tenant_id')` this way. Pass `true` as the second argument "
        "and decide what NULL means.",
    bad="""
functions:
  audit_trigger_function:
    returns: trigger
    language: plpgsql
    body: |
      BEGIN
        INSERT INTO public.audit_logs (tenant_id, action)
        VALUES (current_setting('app.tenant_id')::uuid, TG_OP);
        RETURN NULL;
      END
""",
    good="""
functions:
  audit_trigger_function:
    returns: trigger
    language: plpgsql
    body: |
      BEGIN
        INSERT INTO public.audit_logs (tenant_id, action)
        VALUES (NULLIF(current_setting('app.tenant_id', true), '')::uuid, TG_OP);
        RETURN NULL;
      END
""",
    check=check,
)
