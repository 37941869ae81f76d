"""The linter: every rule's bad and good example, the seed's defects, models, the RULES table.

The command line (formats, exit codes, suppressions, --select/--ignore) is tested in
tests/lint/test_lint_cli.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.lint.harness import lint_example, load_unchecked
from tests.zplus import REPO, zplus
from zplus_schema.compile import Target
from zplus_schema.errors import InputError
from zplus_schema.lint import (
    RULES,
    Rule,
    Selection,
    Severity,
    lint_changes,
    lint_loaded,
    lint_model,
    lint_project,
)
from zplus_schema.lint.docs import DOC_PATH, render_rules_doc
from zplus_schema.load import load
from zplus_schema.model import (
    Column,
    EnumType,
    ForeignKey,
    PrimaryKey,
    QualName,
    SchemaModel,
    Sequence,
    Table,
)
from zplus_schema.plan import plan_schema

SEED = Path(__file__).parent / "lint" / "seed"
RULE_IDS = [r.code for r in RULES]


# -- the RULES table ------------------------------------------------------------------------

def test_rules_table_is_explicit_complete_and_ordered() -> None:
    assert len(RULES) >= 20
    assert sorted(set(RULE_IDS)) == RULE_IDS
    assert all(re.fullmatch(r"ZS[123]\d\d", c) for c in RULE_IDS)
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    modules = sorted(p.stem for p in (REPO / "zplus_schema/lint/rules").glob("zs*.py"))
    assert [m[:5].upper() for m in modules] == RULE_IDS  # one module per rule, none unlisted


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_rule_is_described_and_has_one_kind_of_check(rule: Rule) -> None:
    assert rule.summary and rule.why and rule.bad.strip() and rule.good.strip()
    assert (rule.check is None) != (rule.check_change is None)
    assert rule.is_change_rule == rule.code.startswith("ZS2")


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_bad_example_is_flagged_with_file_and_line(rule: Rule, tmp_path: Path) -> None:
    found = [f for f in lint_example(rule.bad, tmp_path).findings if f.code == rule.code]
    assert found, f"{rule.code} did not fire on its bad example"
    assert all(f.severity is rule.severity and f.name == rule.name for f in found)
    if rule.code != "ZS205":  # a dropped table is no longer written anywhere
        assert all(f.location and f.location.file.suffix == ".yaml" for f in found)


@pytest.mark.parametrize("rule", RULES, ids=RULE_IDS)
def test_good_example_passes(rule: Rule, tmp_path: Path) -> None:
    assert rule.code not in lint_example(rule.good, tmp_path).codes()


def test_rules_doc_is_generated_from_the_rules_table() -> None:
    committed = (REPO / DOC_PATH).read_text(encoding="utf-8")
    assert committed == render_rules_doc(), "run: python -m zplus_schema.lint.docs"
    assert committed.startswith("<!-- Generated")


# -- the seed's defects ---------------------------------------------------------------------

def test_validate_refuses_the_seed() -> None:
    with pytest.raises(InputError, match="problem"):
        load(SEED)


def test_every_seed_defect_is_caught_by_its_rule() -> None:
    result = lint_loaded(load_unchecked(SEED))
    found = {(f.code, f.obj) for f in result.findings}
    expected = {
        ("ZS101", "foreign key courses.courses_category_id_fkey"),
        ("ZS101", "foreign key products.products_category_id_fkey"),
        ("ZS102", "index idx_tenants_slug"),
        ("ZS102", "index idx_users_email"),
        ("ZS102", "index idx_products_sku"),
        ("ZS102", "index idx_employees_employee_id"),
        ("ZS102", "index idx_attendance_employee_date"),
        ("ZS103", "foreign key customer_activities.customer_activities_customer_id_fkey"),
        ("ZS103", "foreign key order_items.order_items_order_id_fkey"),
        ("ZS104", "function audit_trigger_function()"),
        ("ZS105", "function audit_trigger_function()"),
        ("ZS106", "column users.created_at"),
        ("ZS302", "policy customers.tenant_isolation"),
        ("ZS303", "policy customers.tenant_isolation"),
    }
    assert expected <= found
    assert len([f for f in result.findings if f.code == "ZS102"]) == 5
    # Each of the three INSERTs of the seed's audit function, at its line in the YAML.
    lines = sorted(f.location.line for f in result.findings
                   if f.code == "ZS104" and f.location is not None)
    assert lines == [9, 21, 33]


def test_seed_audit_function_defects_point_at_the_statement() -> None:
    result = lint_loaded(load_unchecked(SEED), Selection(select=("ZS105",)))
    text = (SEED / "schema/tenant/audit.yaml").read_text().splitlines()
    for f in result.findings:
        assert f.location is not None
        assert "INSERT INTO audit_logs" in text[f.location.line - 1]
        assert "public.audit_logs" in f.message


# -- the Zplus schema -----------------------------------------------------------------------

def test_zplus_schema_has_no_error_or_warning() -> None:
    result = lint_loaded(zplus())
    assert not result.failed(Severity.WARNING), [f.message for f in result.findings]
    assert all(sup.reason for _, sup in result.suppressed)


# -- models (e.g. read from a database) -----------------------------------------------------

def _table(name: str, *cols: tuple[str, str]) -> Table:
    return Table(name=name, comment="x", columns=tuple(Column(name=n, type=t) for n, t in cols))


def test_fk_to_undefined_table_fires_on_a_model() -> None:
    model = SchemaModel(
        tables=(_table("courses", ("id", "uuid"), ("category_id", "uuid")),),
        constraints=(PrimaryKey(table="courses", name="courses_pkey", columns=("id",)),
                     ForeignKey(table="courses", name="courses_category_id_fkey",
                                columns=("category_id",),
                                ref_table=QualName(name="course_categories"),
                                ref_columns=("id",))))
    result = lint_model(model, Selection(select=("ZS101",)))
    assert [(f.code, f.group, f.location) for f in result.findings] == [("ZS101", "tenant", None)]
    assert lint_project(zplus().project, Selection(select=("ZS101",))).findings == []


def test_model_without_its_system_schema_does_not_guess() -> None:
    fk = ForeignKey(table="people", name="people_account_id_fkey", columns=("account_id",),
                    ref_table=QualName(schema_name="public", name="accounts"),
                    ref_columns=("id",))
    model = SchemaModel(tables=(_table("people", ("id", "bigint"), ("account_id", "bigint")),),
                        constraints=(fk,))
    assert "ZS101" not in lint_model(model).codes()
    system = SchemaModel(tables=(_table("accounts", ("id", "bigint")),))
    assert "ZS101" not in lint_model(model, system=system).codes()
    assert "ZS101" in lint_model(model, system=SchemaModel()).codes()


def test_serial_as_the_catalog_shows_it() -> None:
    table = Table(name="invoices", comment="x", columns=(Column(
        name="id", type="integer", nullable=False,
        default="nextval('invoices_id_seq'::regclass)"),))
    seq = Sequence(name="invoices_id_seq", type="integer", owned_by=("invoices", "id"))
    assert "ZS110" in lint_model(SchemaModel(tables=(table,), sequences=(seq,))).codes()
    assert "ZS110" not in lint_model(SchemaModel(tables=(table,))).codes()


# -- change rules over plan_schema on models ------------------------------------------------

def _plan_lint(live: SchemaModel, desired: SchemaModel) -> list[str]:
    steps = plan_schema(live, desired, Target("tenant_acme"))
    return lint_changes(live, desired, steps).codes()


def test_change_rules_on_a_plan_between_models() -> None:
    live = SchemaModel(tables=(_table("users", ("id", "uuid"), ("phone", "text")),))
    renamed = SchemaModel(tables=(_table("users", ("id", "uuid"), ("phone_no", "text")),))
    assert _plan_lint(live, renamed) == ["ZS204", "ZS206"]
    strict = Table(name="users", comment="x", columns=(
        Column(name="id", type="uuid"), Column(name="phone", type="text"),
        Column(name="status", type="text", nullable=False)))
    assert _plan_lint(live, SchemaModel(tables=(strict,))) == ["ZS201"]
    assert _plan_lint(live, live) == []


def test_enum_value_removal_is_found_without_steps() -> None:
    live = SchemaModel(enums=(EnumType(name="mood", values=("happy", "sad")),))
    desired = SchemaModel(enums=(EnumType(name="mood", values=("happy",)),))
    assert lint_changes(live, desired, []).codes() == ["ZS207"]
    reordered = SchemaModel(enums=(EnumType(name="mood", values=("sad", "happy")),))
    assert "reorders" in lint_changes(live, reordered, []).findings[0].message
