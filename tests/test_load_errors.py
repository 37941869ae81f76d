"""Each kind of bad input gives a located, actionable problem (and never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.projectfiles import make_project
from zplus_schema.errors import InputError
from zplus_schema.load import load


def problems(root: Path) -> list[str]:
    """Load `root` and return the rendered problems (failing if it loads cleanly)."""
    with pytest.raises(InputError) as info:
        load(root)
    return [p.render() for p in info.value.problems]


def only(root: Path) -> str:
    """Return the single problem of a project."""
    found = problems(root)
    assert len(found) == 1, found
    return found[0]


def test_minimal_project_loads(tmp_path: Path) -> None:
    loaded = load(make_project(tmp_path, {}))
    assert [t.name for t in loaded.project.tenant.tables] == ["people"]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: {type: uuid
              name: text
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:5: YAML syntax error")


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: {type: uuid, primary_key: true}
              name: {type: text, nulable: false}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:5: tables.things.columns.name.nulable:")
    assert "unknown key 'nulable'" in text
    assert "did you mean 'nullable'?" in text


def test_unquoted_numeric_in_flow_mapping_is_caught(tmp_path: Path) -> None:
    # YAML splits `numeric(10,2)` at the comma inside {...}; the stray key must not pass.
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              price: {type: numeric(10,2)}
        """})
    assert "unknown key '2)'" in only(root)


def test_wrong_type(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: {type: uuid, primary_key: true}
              name: {type: text, nullable: maybe}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:5: tables.things.columns.name.nullable:")
    assert "boolean" in text


def test_dangling_foreign_key(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: {type: uuid, primary_key: true}
              owner_id: {type: uuid, references: owners}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:5: foreign key things_owner_id_fkey:")
    assert "references table 'owners', which is not defined" in text


def test_fk_to_module_table_from_template_explains(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          pins:
            columns:
              id: {type: uuid, primary_key: true}
              post_id: {type: bigint, references: posts}
        """})
    assert "belongs to module blog" in only(root)


def test_duplicate_table_across_files(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/zdup.yaml": """
        # a second definition of people
        tables:
          people:
            columns:
              id: bigint
        """})
    text = only(root)
    assert text.startswith("schema/tenant/zdup.yaml:3: duplicate relation 'people'")
    assert "first defined at schema/tenant/people.yaml:6" in text


def test_duplicate_key_in_one_mapping(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: uuid
              name: text
              id: bigint
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:6: duplicate key 'id' (first defined on line 4)")


def test_module_table_clashing_with_template(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/modules/blog/more.yaml": """
        tables:
          people_account_idx:
            columns:
              id: bigint
        """})
    text = only(root)
    assert text.startswith("schema/modules/blog/more.yaml:2:")
    assert "already used in tenant at schema/tenant/people.yaml:17" in text


def test_invalid_identifier(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          Things:
            columns:
              id: uuid
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:2: table Things:")
    assert "not a plain lower-case name" in text


def test_overlong_identifier(tmp_path: Path) -> None:
    name = "x" * 64
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": f"""
        tables:
          things:
            columns:
              {name}: uuid
        """})
    text = only(root)
    assert text.startswith(f"schema/tenant/bad.yaml:2: column things.{name}:")
    assert "64 bytes" in text


def test_overlong_generated_constraint_name_asks_for_explicit_name(tmp_path: Path) -> None:
    col = "c" * 55
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": f"""
        tables:
          things:
            columns:
              {col}: {{type: int, unique: true}}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:4: constraint things_")
    assert "shorter explicit `name:`" in text


def test_circular_module_dependency(tmp_path: Path) -> None:
    root = make_project(tmp_path, {
        "schema/modules/blog/module.yaml": "module:\n  depends_on: [shop]\n",
        "schema/modules/shop/module.yaml": "module:\n  description: Shop\n  depends_on: [blog]\n",
    })
    found = problems(root)
    assert any(
        p.startswith("schema/modules/blog/module.yaml:1: module blog: circular module dependency:"
                     " blog -> shop -> blog") for p in found), found
    assert any(p.startswith("schema/modules/shop/module.yaml:1:") for p in found), found


def test_unknown_module_dependency(tmp_path: Path) -> None:
    module = "module:\n  depends_on: [crm]\n"
    root = make_project(tmp_path, {"schema/modules/blog/module.yaml": module})
    assert "depends on unknown module 'crm'" in only(root)


def test_missing_trigger_function(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: uuid
            triggers:
              stamp: {timing: before, events: [insert], function: stamp_it}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:6: trigger stamp on things:")
    assert "function 'stamp_it' is not defined" in text


def test_index_on_missing_column(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: uuid
            indexes:
              things_name_idx: {columns: [name]}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:6: index things_name_idx:")
    assert "column 'name' does not exist in table 'things'" in text


def test_sql_expression_that_does_not_parse(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: {type: int, check: "id >> > 0"}
        """})
    text = only(root)
    assert text.startswith("schema/tenant/bad.yaml:4: check things_id_check:")
    assert "does not parse" in text


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"schema/tenant/bad.yaml": """
        tables:
          things:
            columns:
              id: uuid
              owner_id: {type: uuid, references: owners}
            indexes:
              things_name_idx: {columns: [name]}
        """})
    assert len(problems(root)) == 2


def test_no_schema_folder(tmp_path: Path) -> None:
    text = only(tmp_path)
    assert "no schema/ folder" in text and "--root" in text
