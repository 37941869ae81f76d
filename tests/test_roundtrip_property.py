"""Round-trip property of the planner on a real server: plan(A -> B) applied to A gives B.

For random schema pairs (tests/strategies.py: A has 1-4 tables with columns of eleven types,
nullability, defaults, primary keys, unique and check constraints, foreign keys, indexes,
views, SQL functions, trigger functions, triggers and comments; B is A after 0-6 random
add/drop/alter mutations, repaired so it stays valid SQL):

1. A and B are built in their own schemas `a_<n>` and `b_<n>` and introspected: these are the
   live and desired sides. Each is built in two rounds (the compiled spec in `<schema>_r1`,
   then the introspected model of that compiled again), as live/normalize.py does, so both
   sides are fixed points: PostgreSQL's deparsed text is not always one after the first
   round (`varchar_col IN ('a', 'b')` gains casts), and the generator produces such checks
   on purpose. Round one must already hold every declared object (by key).
2. steps = plan_schema(model_a, model_b, Target("a_<n>")); every step runs, in order, in one
   transaction with the executor's settings (search_path, check_function_bodies = off).
3. The introspected a_<n> must equal model_b, and plan_schema(it, model_b) must be [].

Each example runs in a transaction that is rolled back, in the test's own database.
MAX_EXAMPLES = 300 takes about 38 s against PostgreSQL 15 on the development machine
(~0.12 s per example; ZPLUS_ROUNDTRIP_EXAMPLES=3000 for a deeper search, about 7 minutes;
2000 examples took 5-6 minutes on a shared 2-core machine).
No generator feature is switched off for a known engine bug: a failure is a new bug.
"""

from __future__ import annotations

import itertools
import os

import psycopg
from hypothesis import HealthCheck, event, given, note, settings

from tests.strategies import SchemaPair, schema_pairs, to_model
from zplus_schema.compile import Target, compile_schema, render_script
from zplus_schema.diff import key_text
from zplus_schema.introspect import introspect
from zplus_schema.model import SchemaModel
from zplus_schema.plan import Step, plan_schema

Conn = psycopg.Connection[tuple[object, ...]]

# ZPLUS_ROUNDTRIP_EXAMPLES=3000 runs a deeper search (e.g. nightly, or after engine changes).
MAX_EXAMPLES = int(os.environ.get("ZPLUS_ROUNDTRIP_EXAMPLES", "300"))
_schema_numbers = itertools.count()


def script(model: SchemaModel, schema: str) -> str:
    """Return the creation script of a model in a schema."""
    target = Target(schema, "public")
    return render_script(compile_schema(model, target), target, schema)


def keys(model: SchemaModel) -> dict[str, set[str]]:
    """Return the keys of every object of a model, per collection."""
    return {name: {key_text(o) for o in getattr(model, name)} for name in SchemaModel.model_fields}


def build(conn: Conn, models: dict[str, SchemaModel]) -> dict[str, SchemaModel]:
    """Create each model as its schema in two rounds; return the introspected (fixed) models.

    Round one must already hold exactly the declared objects (by key): a compiled script
    that silently loses or adds an object is a compiler bug, not a normalization. All
    schemas are read in one introspection per round.
    """
    for schema, model in models.items():
        conn.execute(script(model, f"{schema}_r1"))
    first = introspect(conn, [f"{schema}_r1" for schema in models])
    for schema, model in models.items():
        found = first[f"{schema}_r1"]
        assert found.unmanaged == [], found.unmanaged
        assert keys(found.model) == keys(model), f"the compiled script of {schema} lost objects"
        conn.execute(script(found.model, schema))
    return {schema: found.model for schema, found in introspect(conn, list(models)).items()}


def model_diff(got: SchemaModel, want: SchemaModel) -> str:
    """Return the objects that differ, per collection, for an assertion message."""
    lines = []
    for name in SchemaModel.model_fields:
        mine, theirs = set(getattr(got, name)), set(getattr(want, name))
        lines += [f"  {name} only in live:    {o!r}" for o in sorted(mine - theirs, key=repr)]
        lines += [f"  {name} only in desired: {o!r}" for o in sorted(theirs - mine, key=repr)]
    return "\n".join(lines)


def plan_text(steps: list[Step]) -> str:
    """Return the plan as one SQL script."""
    return "\n".join(f"{s.sql};" for s in steps) or "-- (empty plan)"


def apply_steps(conn: Conn, steps: list[Step], schema: str) -> None:
    """Run every step in order in one transaction, as apply's executor does."""
    with conn.transaction():
        conn.execute("SELECT pg_catalog.set_config('search_path', %s, true),"
                     " pg_catalog.set_config('check_function_bodies', 'off', true)",
                     (f"{schema}, public",))
        for i, step in enumerate(steps):
            assert step.transactional, step
            try:
                conn.execute(step.sql)
            except psycopg.Error as exc:
                raise AssertionError(
                    f"step {i + 1}/{len(steps)} failed: {exc}\n{step.sql}") from exc


@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pair=schema_pairs())
def test_plan_from_a_to_b_reaches_b(db_conn: Conn, pair: SchemaPair) -> None:
    n = next(_schema_numbers)
    a_name, b_name = f"a_{n}", f"b_{n}"
    spec_a, spec_b = to_model(pair.a), to_model(pair.b)
    note(f"-- A\n{script(spec_a, 'a')}")
    note(f"-- B\n{script(spec_b, 'b')}")
    note(f"-- mutations: {pair.mutations}")
    for kind in sorted(set(pair.kinds)):
        event(f"mutation: {kind}")
    with db_conn.transaction(force_rollback=True):
        built = build(db_conn, {a_name: spec_a, b_name: spec_b})
        model_a, model_b = built[a_name], built[b_name]
        target = Target(a_name, "public")
        steps = plan_schema(model_a, model_b, target)
        note(f"-- plan\n{plan_text(steps)}")
        for kind_action in sorted({f"{s.kind} {s.action}" for s in steps}):
            event(f"step: {kind_action}")
        apply_steps(db_conn, steps, a_name)
        after = introspect(db_conn, [a_name])[a_name].model
        assert after == model_b, f"a_{n} after the plan differs from B:\n" + model_diff(
            after, model_b)
        replan = plan_schema(after, model_b, target)
        assert replan == [], f"re-plan is not empty:\n{plan_text(replan)}"
