"""ZS101: a foreign key references a table that is not defined."""

from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..finding import Hit, Severity
from ..rule import Rule
from ..subject import Subject


def check(s: Subject) -> Iterator[Hit]:
    """Report foreign keys whose target table does not exist where the name resolves."""
    for fk in s.model.foreign_keys():
        target = s.resolve(fk.ref_table.schema_name)
        if target is None:
            continue  # a schema this project does not manage: nothing to compare with
        if target.table(fk.ref_table.name) is None:
            yield Hit(f"foreign key {fk.name} references table {fk.ref_table}, which is not "
                      "defined", f"foreign key {fk.table}.{fk.name}", anchors.constraint(fk))


RULE = Rule(
    code="ZS101",
    name="fk-undefined-table",
    severity=Severity.ERROR,
    summary="Foreign key to a table that is not defined",
    why="The schema cannot be created: PostgreSQL rejects the REFERENCES clause. In the seed, "
        "`courses.category_id` and `products.category_id` point at `course_categories` and "
        "`product_categories`, which no script creates. `validate` refuses this in YAML; the "
        "rule also catches it in models read from a database or built in code.",
    bad="""
tables:
  courses:
    comment: Courses of the LMS module
    columns:
      id: {type: uuid, primary_key: true}
      category_id: {type: uuid, references: course_categories}
""",
    good="""
tables:
  course_categories:
    comment: Groups of courses
    columns:
      id: {type: uuid, primary_key: true}
  courses:
    comment: Courses of the LMS module
    columns:
      id: {type: uuid, primary_key: true}
      category_id: {type: uuid, references: course_categories}
""",
    check=check,
)
