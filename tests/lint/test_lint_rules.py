"""Where each rule draws its line: cases beyond the bad and good examples of the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint.harness import lint_example
from zplus_schema.compile import Target
from zplus_schema.lint import Selection, lint_changes
from zplus_schema.lint.sqltext import body_statements, relations
from zplus_schema.model import Column, Function, Index, IndexKey, SchemaModel, Table
from zplus_schema.plan import PlanOptions, plan_schema


def found(code: str, text: str, tmp: Path) -> list[str]:
    """Return the messages of `code` on an example (see Rule: `# file:` markers)."""
    result = lint_example(text, tmp, Selection(select=(code,)))
    return [f"{f.obj}: {f.message}" for f in result.findings]


def table(columns: str, rest: str = "", name: str = "t") -> str:
    """Return a tables: document with one table (columns and extra keys as YAML text)."""
    return f"tables:\n  {name}:\n    comment: T\n    columns:\n{columns}\n{rest}\n"


COLS = "      a: {type: uuid, primary_key: true}\n      b: uuid\n      c: uuid\n"


@pytest.mark.parametrize("rest, flagged", [
    ("    indexes:\n      i_b: {columns: [b]}\n    unique:\n      - {columns: [b, c]}", ["i_b"]),
    ("    indexes:\n      i1: {columns: [b]}\n      i2: {columns: [b]}", ["i2"]),
    ("    indexes:\n      i1: {columns: [b, c]}\n      i2: {columns: [b]}", ["i2"]),
    ("    indexes:\n      i1: {columns: [b], where: c IS NULL}\n      i2: {columns: [b, c]}",
     []),
    ("    indexes:\n      i1: {columns: [b], include: [c]}\n      i2: {columns: [b, c]}", []),
    ("    indexes:\n      i1: {columns: [b], unique: true}\n    unique:\n"
     "      - {columns: [b, c]}", []),
    ("    indexes:\n      i1: {columns: [b], unique: true}\n    unique:\n"
     "      - {columns: [b]}", ["i1"]),
    ("    indexes:\n      i1: {columns: [b], method: hash}\n      i2: {columns: [b]}", []),
    ("    indexes:\n      i1: {columns: [{column: b, order: desc}]}\n      i2: {columns: [b, c]}",
     ["i1"]),
    ("    indexes:\n      i1: {columns: [c, b]}\n      i2: {columns: [b, c]}", []),
    ("    indexes:\n      i1: {columns: [a]}", ["i1"]),
])
def test_redundant_index(rest: str, flagged: list[str], tmp_path: Path) -> None:
    hits = found("ZS102", table(COLS, rest), tmp_path)
    assert [h.split(":")[0].removeprefix("index ") for h in hits] == flagged


@pytest.mark.parametrize("rest, flagged", [
    ("", True),
    ("    indexes:\n      i: {columns: [c, b, a]}", False),  # leading columns, any order
    ("    indexes:\n      i: {columns: [b, c], where: b IS NOT NULL}", True),  # partial
    ("    indexes:\n      i: {columns: [b]}", True),  # only part of the key
    ("    unique:\n      - {columns: [c, b]}", False),
    ("    indexes:\n      i: {columns: [b, c], method: gin}", True),
])
def test_fk_without_index(rest: str, flagged: bool, tmp_path: Path) -> None:
    cols = COLS + "    foreign_keys:\n      - {columns: [b, c], references: {table: p, " \
                  "columns: [x, y]}}"
    parent = "  p:\n    comment: P\n    columns:\n      x: uuid\n      y: uuid\n" \
             "    primary_key: [x, y]\n"
    text = table(cols, rest) + parent
    assert bool(found("ZS103", text, tmp_path)) == flagged


def trigger_function(body: str, returns: str = "trigger", extra: str = "") -> str:
    """Return a tenant file with one PL/pgSQL function (and extra YAML after it)."""
    lines = "\n".join(f"      {line}" for line in body.strip().splitlines())
    return (f"functions:\n  f:\n    returns: {returns}\n    language: plpgsql\n"
            f"    body: |\n{lines}\n{extra}")


@pytest.mark.parametrize("call, flagged", [
    ("current_setting('app.x')", True),
    ("current_setting('app.x', false)", True),
    ("pg_catalog.current_setting('app.x')", True),
    ("current_setting('app.x', true)", False),
    ("current_setting('app.x', 'on')", False),
])
def test_current_setting(call: str, flagged: bool, tmp_path: Path) -> None:
    text = trigger_function(f"BEGIN\n  PERFORM {call};\n  RETURN NULL;\nEND")
    assert bool(found("ZS104", text, tmp_path)) == flagged


def test_current_setting_outside_triggers_is_fine(tmp_path: Path) -> None:
    text = trigger_function("BEGIN\n  RETURN current_setting('app.x');\nEND", returns="text")
    assert found("ZS104", text, tmp_path) == []


SYSTEM = """
# file: schema/system/core.yaml
tables:
  audit_logs:
    comment: Log
    columns:
      id: {type: bigint, identity: always, primary_key: true}
functions:
  helper:
    returns: trigger
    language: plpgsql
    {set}
    body: |
      {body}
"""
TENANT_TRIGGER = """
# file: schema/tenant/users.yaml
tables:
  users:
    comment: Users
    columns:
      id: {type: uuid, primary_key: true}
    triggers:
      audit: {timing: after, events: [insert], function: public.helper}
"""


@pytest.mark.parametrize("body, set_, tenant, flagged", [
    ("BEGIN INSERT INTO audit_logs DEFAULT VALUES; RETURN NULL; END", "", True, True),
    ("BEGIN INSERT INTO audit_logs DEFAULT VALUES; RETURN NULL; END", "", False, False),
    ("BEGIN INSERT INTO public.audit_logs DEFAULT VALUES; RETURN NULL; END", "", True, False),
    ("BEGIN INSERT INTO audit_logs DEFAULT VALUES; RETURN NULL; END",
     "set: {search_path: 'public, pg_temp'}", True, False),
    ("BEGIN INSERT INTO audit_logs DEFAULT VALUES; RETURN NULL; END",
     "set: {search_path: 'pg_catalog, pg_temp'}", False, True),
    ("BEGIN WITH audit_logs AS (SELECT 1) SELECT 1 FROM audit_logs; RETURN NULL; END", "",
     True, False),
    ("BEGIN EXECUTE 'INSERT INTO audit_logs DEFAULT VALUES'; RETURN NULL; END", "", True,
     False),
])
def test_unqualified_reference_from_a_system_function(body: str, set_: str, tenant: bool,
                                                      flagged: bool, tmp_path: Path) -> None:
    text = SYSTEM.replace("{set}", set_).replace("{body}", body)
    text += TENANT_TRIGGER if tenant else ""
    assert bool(found("ZS105", text, tmp_path)) == flagged


def test_unqualified_reference_from_a_tenant_function(tmp_path: Path) -> None:
    text = SYSTEM.replace("{set}", "").replace("{body}", "BEGIN RETURN NULL; END") + """
# file: schema/tenant/f.yaml
""" + trigger_function("BEGIN\n  INSERT INTO audit_logs DEFAULT VALUES;\n"
                       "  INSERT INTO users DEFAULT VALUES;\n  PERFORM helper();\n"
                       "  RETURN NULL;\nEND", extra=TENANT_TRIGGER.split("\n", 2)[2])
    hits = found("ZS105", text, tmp_path)
    assert len(hits) == 2  # audit_logs and helper(); the tenant's own users is fine
    assert "table audit_logs" in hits[0] and "function helper" in hits[1]


def test_sql_bodies_and_line_numbers() -> None:
    fn = Function(name="f", returns="void", body="\nINSERT INTO a VALUES (1);\n\n"
                                                 "SELECT * FROM public.b JOIN c ON true;\n")
    assert [(line, set(relations(tree))) for line, tree in body_statements(fn)] == [
        (2, {(None, "a")}), (4, {(None, "c"), ("public", "b")})]
    assert body_statements(Function(name="f", returns="void", body="SELEC 1")) == []


@pytest.mark.parametrize("using, flagged", [
    ("owner = current_user", False),
    ("t.owner = current_user", False),
    ("tenant_id = current_setting('app.tenant_id', true)::uuid", True),
    ("t.tenant_id IS NOT NULL", True),
    ("EXISTS (SELECT 1 FROM grants g WHERE g.tenant_id = owner)", False),
])
def test_policy_missing_column(using: str, flagged: bool, tmp_path: Path) -> None:
    text = table("      id: {type: uuid, primary_key: true}\n      owner: text",
                 f"    row_level_security: forced\n    policies:\n      p: {{using: \"{using}\"}}")
    assert bool(found("ZS303", text, tmp_path)) == flagged


def test_known_roles_and_builtin_roles(tmp_path: Path) -> None:
    text = table("      id: {type: uuid, primary_key: true}",
                 "    row_level_security: forced\n    policies:\n"
                 "      p: {roles: [public, current_user, pg_read_all_data, app_user, ghost]}")
    text += "# file: schema/project.yaml\nlint: {known_roles: [app_user]}\n"
    hits = found("ZS302", text, tmp_path)
    assert len(hits) == 1 and "role ghost" in hits[0]


@pytest.mark.parametrize("name, flagged", [
    ("user", True), ("order", True), ("left", True), ("position", False), ("type", False),
])
def test_reserved_words(name: str, flagged: bool, tmp_path: Path) -> None:
    text = table(f"      id: {{type: uuid, primary_key: true}}\n      {name}: text")
    assert bool(found("ZS114", text, tmp_path)) == flagged


def test_security_definer_needs_pg_temp_last(tmp_path: Path) -> None:
    text = ("functions:\n  f:\n    returns: int\n    security_definer: true\n"
            "    set: {search_path: 'pg_temp, public'}\n    body: SELECT 1\n")
    (hit,) = found("ZS304", text, tmp_path)
    assert "without pg_temp last" in hit


def test_cascade_fan_out_threshold(tmp_path: Path) -> None:
    def children(count: int) -> str:
        return "".join(
            f"  c{i}:\n    comment: C\n    columns:\n      id: {{type: uuid, primary_key: "
            f"true}}\n      p_id: {{type: uuid, references: p, on_delete: cascade}}\n"
            for i in range(count))

    parent = table("      id: {type: uuid, primary_key: true}", name="p")
    assert found("ZS116", parent + children(3), tmp_path / "3") == []
    assert len(found("ZS116", parent + children(4), tmp_path / "4")) == 1


def test_index_builds_are_not_flagged_when_planned_concurrently() -> None:
    t = Table(name="t", columns=(Column(name="a", type="int"),))
    live = SchemaModel(tables=(t,))
    desired = SchemaModel(tables=(t,), indexes=(
        Index(name="i", table="t", keys=(IndexKey(column="a"),)),))
    for concurrently, codes in ((False, ["ZS202"]), (True, [])):
        steps = plan_schema(live, desired, Target("tenant_a"),
                            options=PlanOptions(concurrently=concurrently))
        assert lint_changes(live, desired, steps).codes() == codes


def test_volatile_default_rewrites(tmp_path: Path) -> None:
    text = ("# live: schema/tenant/t.yaml\n" + table("      id: {type: uuid, primary_key: true}")
            + "# file: schema/tenant/t.yaml\n"
            + table("      id: {type: uuid, primary_key: true}\n"
                    "      token: {type: uuid, default: gen_random_uuid()}"))
    (hit,) = found("ZS203", text, tmp_path)
    assert "rewrites every row of t" in hit
