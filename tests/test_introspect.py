"""Introspection: a live database read back into the model, several schemas in one pass.

Everything runs against a real PostgreSQL server (tests/conftest.py). The central check is
the fixed point: compile(introspect(X)) built in a fresh schema introspects equal to X, which
proves the compiler and introspection agree on every convention.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests.zplus import build_zplus, zplus
from zplus_schema.compile import Target, compile_schema, render_script
from zplus_schema.introspect import QUERIES, Introspected, Unmanaged, introspect, relativize
from zplus_schema.model import (
    Check,
    Exclusion,
    ForeignKey,
    PrimaryKey,
    QualName,
    SchemaModel,
    Unique,
    fingerprint,
    tenant_model,
)

Conn = psycopg.Connection[tuple[object, ...]]

# One of everything the model knows, plus three things it does not (at the end).
# Function bodies start and end with a newline, as the compiler writes them (see
# test_compiled_function_body_gains_newlines).
KITCHEN_SINK = """
CREATE TABLE public.publishers (id integer PRIMARY KEY);
CREATE SCHEMA ks;
CREATE TYPE ks.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN ks.positive_int AS integer DEFAULT 1 NOT NULL
    CONSTRAINT positive_int_check CHECK (VALUE > 0)
    CONSTRAINT a_small CHECK (VALUE < 1000000);
CREATE TABLE ks.authors (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    mood ks.mood DEFAULT 'ok',
    score ks.positive_int,
    tags text[] DEFAULT '{}' NOT NULL,
    name_len integer GENERATED ALWAYS AS (length(name)) STORED,
    mentor_id integer REFERENCES ks.authors (id) ON DELETE SET NULL,
    email text,
    region text,
    CONSTRAINT authors_email_region_key UNIQUE NULLS NOT DISTINCT (email, region)
);
CREATE SEQUENCE ks.ticket_seq AS integer
    START WITH 100 INCREMENT BY 5 MINVALUE 10 MAXVALUE 100000 CACHE 3 CYCLE;
CREATE TABLE ks.books (
    author_id integer NOT NULL,
    seq integer NOT NULL DEFAULT nextval('ks.ticket_seq'),
    title varchar(200) NOT NULL,
    price numeric(10,2) CHECK (price >= 0),
    during tstzrange,
    body jsonb,
    publisher_id integer REFERENCES public.publishers (id),
    created_at timestamptz DEFAULT now(),
    PRIMARY KEY (author_id, seq),
    CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES ks.authors (id)
        ON UPDATE CASCADE ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT books_during_excl EXCLUDE USING gist (during WITH &&),
    CONSTRAINT books_title_check CHECK (title <> '') NO INHERIT
);
ALTER SEQUENCE ks.ticket_seq OWNED BY ks.books.seq;
CREATE INDEX books_title_lower_idx ON ks.books (lower(title) text_pattern_ops)
    WHERE price IS NOT NULL;
CREATE INDEX books_created_idx ON ks.books (created_at DESC NULLS LAST, title COLLATE "C")
    INCLUDE (price);
CREATE INDEX books_price_idx ON ks.books (price NULLS FIRST);
CREATE INDEX books_body_idx ON ks.books USING gin (body jsonb_path_ops);
CREATE INDEX books_expr_idx ON ks.books ((price * 2), (title || 'x'));
CREATE UNIQUE INDEX authors_lower_name_idx ON ks.authors (lower(name)) NULLS NOT DISTINCT;
CREATE TABLE ks.events (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at))
    PARTITION BY RANGE (at);
CREATE TABLE ks.events_2024 PARTITION OF ks.events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ks.events_2025 PARTITION OF ks.events
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ks.events_other PARTITION OF ks.events DEFAULT;
CREATE INDEX events_at_idx ON ks.events (at);
CREATE VIEW ks.author_names WITH (security_barrier = true) AS
    SELECT a.id, a.name FROM ks.authors a WHERE a.mood <> 'sad';
CREATE MATERIALIZED VIEW ks.book_counts AS
    SELECT author_id, count(*) AS n FROM ks.books GROUP BY author_id;
CREATE UNIQUE INDEX book_counts_author_idx ON ks.book_counts (author_id);
CREATE FUNCTION ks.price_with_tax(p numeric, rate numeric DEFAULT 0.2,
                                  label text DEFAULT 'a, b', OUT total numeric)
    LANGUAGE sql IMMUTABLE STRICT SET search_path = pg_catalog, ks
    AS $$
  SELECT p * (1 + rate)
$$;
CREATE PROCEDURE ks.touch(INOUT n integer, VARIADIC xs integer[]) LANGUAGE plpgsql AS $$
BEGIN
  n := n + 1;
END
$$;
CREATE FUNCTION ks.books_guard() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  RETURN NEW;
END
$$;
CREATE TRIGGER books_guard BEFORE INSERT OR UPDATE OF title, price ON ks.books
    FOR EACH ROW WHEN (NEW.price IS NOT NULL AND NEW.price > 0)
    EXECUTE FUNCTION ks.books_guard('one', 'two words', 'it''s');
ALTER TABLE ks.authors ENABLE ROW LEVEL SECURITY;
ALTER TABLE ks.authors FORCE ROW LEVEL SECURITY;
CREATE POLICY authors_write ON ks.authors FOR INSERT
    WITH CHECK (ks.price_with_tax(1) > 0);
COMMENT ON TYPE ks.mood IS 'How it feels';
COMMENT ON DOMAIN ks.positive_int IS 'A positive integer';
COMMENT ON TABLE ks.authors IS 'Authors';
COMMENT ON COLUMN ks.authors.name IS 'Full name';
COMMENT ON CONSTRAINT books_during_excl ON ks.books IS 'No overlap';
COMMENT ON INDEX ks.books_price_idx IS 'By price';
COMMENT ON SEQUENCE ks.ticket_seq IS 'Tickets';
COMMENT ON VIEW ks.author_names IS 'Names';
COMMENT ON MATERIALIZED VIEW ks.book_counts IS 'Counts';
COMMENT ON FUNCTION ks.price_with_tax(numeric, numeric, text) IS 'Tax';
COMMENT ON PROCEDURE ks.touch(integer, integer[]) IS 'Touch';
COMMENT ON TRIGGER books_guard ON ks.books IS 'Guard';
CREATE TYPE ks.pair AS (a integer, b text);
CREATE TYPE ks.floatrange AS RANGE (subtype = float8);
CREATE AGGREGATE ks.total(integer) (sfunc = int4pl, stype = integer, initcond = '0');
"""

# Kinds the first kitchen sink leaves out; checked by the fixed point and a few fields.
MORE_KINDS = """
CREATE SCHEMA k2;
CREATE TYPE k2.color AS ENUM ('red', 'green');
CREATE DOMAIN k2.code AS text COLLATE "C" CHECK (VALUE ~ '^[A-Z]+$');
CREATE DOMAIN k2.favorite AS k2.color DEFAULT 'red';
CREATE TABLE k2.items (
    id serial PRIMARY KEY, c k2.color, code k2.code, fav k2.favorite, qty int,
    during tsrange, note text COLLATE "POSIX",
    CONSTRAINT items_excl EXCLUDE USING gist (during WITH &&) WHERE (qty > 0)
        DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT items_uq UNIQUE (code) DEFERRABLE);
CREATE FUNCTION k2.norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT lower(t)
$$;
CREATE FUNCTION k2.norm(t text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT left(lower(t), n)
$$;
CREATE FUNCTION k2.by_color(c k2.color DEFAULT 'red', VARIADIC extra int[] DEFAULT '{}')
    RETURNS SETOF k2.color LANGUAGE sql STABLE AS $$
SELECT c
$$;
CREATE FUNCTION k2.pairs(int, text) RETURNS TABLE(a int, b text) LANGUAGE sql AS $$
SELECT $1, $2
$$;
CREATE FUNCTION k2.cfg() RETURNS void LANGUAGE plpgsql
    SET work_mem = '64MB' SET search_path = k2, pg_temp AS $$
BEGIN END
$$;
CREATE FUNCTION k2.noop() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END
$$;
CREATE INDEX items_norm_idx ON k2.items (k2.norm(note) DESC NULLS FIRST, (qty + 1) NULLS LAST);
CREATE INDEX items_note_idx ON k2.items (note COLLATE "C" DESC);
CREATE INDEX items_hash_idx ON k2.items USING hash (code);
CREATE VIEW k2.red_items WITH (check_option = local, security_invoker = true) AS
    SELECT id, qty FROM k2.items WHERE c = 'red';
CREATE TRIGGER red_ins INSTEAD OF INSERT OR UPDATE OR DELETE ON k2.red_items
    FOR EACH ROW EXECUTE FUNCTION k2.noop();
CREATE TRIGGER items_trunc AFTER TRUNCATE ON k2.items
    FOR EACH STATEMENT EXECUTE FUNCTION k2.noop();
CREATE TRIGGER items_when AFTER UPDATE ON k2.items FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.* AND NEW.note <> 'x WHEN (y')
    EXECUTE FUNCTION k2.noop();
CREATE TABLE k2.sub (id int, at date, region text) PARTITION BY LIST (region);
CREATE TABLE k2.sub_eu PARTITION OF k2.sub FOR VALUES IN ('eu', 'uk') PARTITION BY RANGE (at);
CREATE TABLE k2.sub_eu_old PARTITION OF k2.sub_eu FOR VALUES FROM (MINVALUE) TO ('2025-01-01');
CREATE TABLE k2.hashy (id int) PARTITION BY HASH (id);
CREATE TABLE k2.hashy_0 PARTITION OF k2.hashy FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE k2.hashy_1 PARTITION OF k2.hashy FOR VALUES WITH (MODULUS 2, REMAINDER 1);
ALTER TABLE k2.items ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_all ON k2.items USING (qty > 0) WITH CHECK (qty < 100);
CREATE POLICY p_upd ON k2.items FOR UPDATE USING (true);
CREATE POLICY p_del ON k2.items FOR DELETE USING (k2.norm(note) = 'a');
"""

KS_UNMANAGED = [
    Unmanaged("ks", "aggregate", "total(integer)"),
    Unmanaged("ks", "composite type", "pair"),
    Unmanaged("ks", "range type", "floatrange"),
]


class CountingCursor(psycopg.Cursor[Any]):
    """A cursor that counts every execute() of every connection it is the factory of."""

    calls = 0

    def execute(self, *args: Any, **kwargs: Any) -> CountingCursor:
        """Count the call, then execute as usual."""
        CountingCursor.calls += 1
        super().execute(*args, **kwargs)
        return self


@pytest.fixture
def reader_role(db_conn: Conn) -> Iterator[str]:
    """Yield a fresh role for a policy; drop what uses it and the role afterwards."""
    role = f"zs_reader_{uuid.uuid4().hex[:10]}"
    db_conn.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(role)))
    try:
        yield role
    finally:
        db_conn.execute("DROP SCHEMA IF EXISTS ks, copy, copy2 CASCADE")
        db_conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def kitchen_sink(db_conn: Conn, reader_role: str) -> Introspected:
    """Build schema ks with one of everything; return its introspection."""
    db_conn.execute(KITCHEN_SINK)
    db_conn.execute(sql.SQL(
        "CREATE POLICY authors_reader ON ks.authors AS RESTRICTIVE FOR SELECT TO {}"
        " USING (mood <> 'sad'::ks.mood)").format(sql.Identifier(reader_role)))
    db_conn.execute("COMMENT ON POLICY authors_reader ON ks.authors IS 'Readers'")
    return introspect(db_conn, ["ks"])["ks"]


def copy_of(conn: Conn, model: SchemaModel, schema: str) -> Introspected:
    """Compile `model` into a fresh `schema` of the same database; return its introspection."""
    target = Target(schema, "public")
    conn.execute(render_script(compile_schema(model, target), target, schema))
    return introspect(conn, [schema])[schema]


def differences(a: SchemaModel, b: SchemaModel) -> list[tuple[str, Any, Any]]:
    """Return (collection, object in a, object in b) for objects of equal key that differ."""
    out = []
    for field in SchemaModel.model_fields:
        left = {o.key: o for o in getattr(a, field)}
        right = {o.key: o for o in getattr(b, field)}
        assert left.keys() == right.keys(), field
        out += [(field, left[k], right[k]) for k in left if left[k] != right[k]]
    return out


# --- the Zplus database --------------------------------------------------------------------


def test_zplus_tenants_introspect_equal(db_conn: Conn) -> None:
    build_zplus(db_conn, {"a": None, "b": None})
    result = introspect(db_conn, ["public", "tenant_a", "tenant_b"])

    assert list(result) == ["public", "tenant_a", "tenant_b"]
    a, b = result["tenant_a"].model, result["tenant_b"].model
    assert a == b
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint(result["public"].model)
    assert len(result["public"].model.tables) == 11
    assert len(a.tables) == 24
    assert all(r.unmanaged == [] for r in result.values())

    fk = next(c for c in a.constraints if c.name == "customers_assigned_to_fkey")
    assert isinstance(fk, ForeignKey)
    assert fk.ref_table == QualName(name="users")
    audit = [t for t in a.triggers if t.name == "audit_row_change"]
    assert audit
    assert {t.function for t in audit} == {QualName(schema_name="public", name="audit_row_change")}
    system = result["public"].model
    assert {f.name for f in system.functions} == {"audit_row_change", "set_updated_at",
                                                  "current_tenant_id", "acts_as_table_owner",
                                                  "current_user_acts_as", "role_may_act_for"}
    assert [e.name for e in system.extensions] == ["pgcrypto"]  # its functions are not ours


def test_zplus_tenant_matches_the_yaml_object_names(db_conn: Conn) -> None:
    build_zplus(db_conn, {"a": None})
    live = introspect(db_conn, ["tenant_a"])["tenant_a"].model
    project = zplus().project
    desired = tenant_model(project, list(project.module_names))
    for field in ("tables", "constraints", "indexes", "triggers", "sequences", "functions"):
        assert {o.key for o in getattr(live, field)} == {o.key for o in getattr(desired, field)}
    for table in desired.tables:
        live_table = live.table(table.name)
        assert live_table is not None
        assert live_table.column_names == table.column_names


# --- one of everything ---------------------------------------------------------------------


def test_kitchen_sink_types_and_sequences(kitchen_sink: Introspected) -> None:
    m = kitchen_sink.model
    (mood,) = m.enums
    assert (mood.name, mood.values, mood.comment) == ("mood", ("sad", "ok", "happy"),
                                                     "How it feels")
    (domain,) = m.domains
    assert (domain.type, domain.nullable, domain.default) == ("integer", False, "1")
    assert domain.checks == (("a_small", "(VALUE < 1000000)"), ("positive_int_check",
                                                                 "(VALUE > 0)"))
    assert domain.comment == "A positive integer"
    (seq,) = m.sequences  # the identity column's sequence is the column's business
    assert (seq.name, seq.type, seq.start, seq.increment) == ("ticket_seq", "integer", 100, 5)
    assert (seq.min_value, seq.max_value, seq.cache, seq.cycle) == (10, 100000, 3, True)
    assert seq.owned_by == ("books", "seq")
    assert seq.comment == "Tickets"


def test_kitchen_sink_tables_and_columns(kitchen_sink: Introspected) -> None:
    m = kitchen_sink.model
    assert [t.name for t in m.tables] == [
        "authors", "books", "events", "events_2024", "events_2025", "events_other"]
    authors, books = m.table("authors"), m.table("books")
    assert authors is not None and books is not None
    assert (authors.rls_enabled, authors.rls_forced, authors.comment) == (True, True, "Authors")
    ident = authors.column("id")
    assert ident is not None and (ident.identity, ident.default) == ("always", None)
    name = authors.column("name")
    assert name is not None and (name.collation, name.comment) == ("C", "Full name")
    mood = authors.column("mood")
    assert mood is not None and (mood.type, mood.default) == ("mood", "'ok'::mood")
    score = authors.column("score")
    assert score is not None and score.type == "positive_int"
    tags = authors.column("tags")
    assert tags is not None and (tags.type, tags.default) == ("text[]", "'{}'::text[]")
    generated = authors.column("name_len")
    assert generated is not None and (generated.generated, generated.default) == (
        "length(name)", None)
    seq = books.column("seq")
    assert seq is not None and seq.default == "nextval('ticket_seq'::regclass)"
    title = books.column("title")
    assert title is not None and (title.type, title.collation) == ("character varying(200)",
                                                                   None)

    events, p2024, other = m.table("events"), m.table("events_2024"), m.table("events_other")
    assert events is not None and events.partition_by == "RANGE (at)"
    assert p2024 is not None and (p2024.partition_of, p2024.columns) == ("events", ())
    assert p2024.partition_bound == "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    assert other is not None and other.partition_bound == "DEFAULT"


def test_kitchen_sink_constraints(kitchen_sink: Introspected) -> None:
    by_name = {c.name: c for c in kitchen_sink.model.constraints}
    # Partitions' copies of events_pkey belong to the parent.
    assert set(by_name) == {
        "authors_pkey", "authors_email_region_key", "authors_mentor_id_fkey", "books_pkey",
        "books_author_fkey", "books_during_excl", "books_price_check", "books_title_check",
        "books_publisher_id_fkey", "events_pkey",
    }
    assert by_name["books_pkey"] == PrimaryKey(table="books", name="books_pkey",
                                               columns=("author_id", "seq"))
    unique = by_name["authors_email_region_key"]
    assert isinstance(unique, Unique)
    assert (unique.columns, unique.nulls_not_distinct) == (("email", "region"), True)
    fk = by_name["books_author_fkey"]
    assert isinstance(fk, ForeignKey)
    assert (fk.ref_table, fk.ref_columns) == (QualName(name="authors"), ("id",))
    assert (fk.on_update, fk.on_delete) == ("cascade", "restrict")
    assert (fk.deferrable, fk.initially_deferred) == (True, True)
    self_fk = by_name["authors_mentor_id_fkey"]
    assert isinstance(self_fk, ForeignKey)
    assert (self_fk.table, self_fk.ref_table, self_fk.on_delete) == (
        "authors", QualName(name="authors"), "set null")
    other_schema = by_name["books_publisher_id_fkey"]
    assert isinstance(other_schema, ForeignKey)
    assert other_schema.ref_table == QualName(schema_name="public", name="publishers")
    check = by_name["books_price_check"]
    assert isinstance(check, Check)
    assert (check.expression, check.columns, check.no_inherit) == (
        "(price >= (0)::numeric)", (), False)
    no_inherit = by_name["books_title_check"]
    assert isinstance(no_inherit, Check) and no_inherit.no_inherit
    excl = by_name["books_during_excl"]
    assert isinstance(excl, Exclusion)
    assert (excl.definition, excl.comment) == ("USING gist (during WITH &&)", "No overlap")


def test_kitchen_sink_indexes(kitchen_sink: Introspected) -> None:
    by_name = {i.name: i for i in kitchen_sink.model.indexes}
    # No index that backs a constraint, no partition's copy of events_at_idx.
    assert set(by_name) == {
        "authors_lower_name_idx", "book_counts_author_idx", "books_body_idx",
        "books_created_idx", "books_expr_idx", "books_price_idx", "books_title_lower_idx",
        "events_at_idx",
    }
    partial = by_name["books_title_lower_idx"]
    (key,) = partial.keys
    assert (key.column, key.expression, key.opclass) == (None, "lower(title::text)",
                                                         "text_pattern_ops")
    assert partial.where == "(price IS NOT NULL)"
    created = by_name["books_created_idx"]
    first, second = created.keys
    assert (first.column, first.order, first.nulls) == ("created_at", "desc", "last")
    assert (second.column, second.order, second.nulls, second.collation) == (
        "title", None, None, "C")
    assert created.include == ("price",)
    (price,) = by_name["books_price_idx"].keys
    assert (price.order, price.nulls) == (None, "first")
    assert by_name["books_price_idx"].comment == "By price"
    gin = by_name["books_body_idx"]
    assert (gin.method, gin.keys[0].opclass) == ("gin", "jsonb_path_ops")
    assert [k.expression for k in by_name["books_expr_idx"].keys] == [
        "price * 2::numeric", "title::text || 'x'::text"]
    unique = by_name["authors_lower_name_idx"]
    assert (unique.unique, unique.nulls_not_distinct) == (True, True)
    assert by_name["book_counts_author_idx"].table == "book_counts"


def test_kitchen_sink_routines_and_triggers(kitchen_sink: Introspected) -> None:
    fns = {f.name: f for f in kitchen_sink.model.functions}
    assert set(fns) == {"books_guard", "price_with_tax", "touch"}  # not the range's helpers
    tax = fns["price_with_tax"]
    assert [(a.name, a.type, a.mode, a.default) for a in tax.arguments] == [
        ("p", "numeric", "in", None),
        ("rate", "numeric", "in", "0.2"),
        ("label", "text", "in", "'a, b'::text"),
        ("total", "numeric", "out", None),
    ]
    assert (tax.returns, tax.language, tax.volatility, tax.strict) == (
        "numeric", "sql", "immutable", True)
    assert tax.config == (("search_path", "pg_catalog, ks"),)
    assert (tax.body, tax.comment) == ("\n  SELECT p * (1 + rate)\n", "Tax")
    touch = fns["touch"]
    assert (touch.kind, touch.returns, touch.comment) == ("procedure", None, "Touch")
    assert [a.mode for a in touch.arguments] == ["inout", "variadic"]
    assert fns["books_guard"].security_definer

    (trigger,) = kitchen_sink.model.triggers
    assert (trigger.table, trigger.timing, trigger.events, trigger.level) == (
        "books", "before", ("insert", "update"), "row")
    assert trigger.update_of == ("title", "price")
    assert trigger.when == "new.price IS NOT NULL AND new.price > 0::numeric"
    assert trigger.function == QualName(name="books_guard")
    assert trigger.arguments == ("one", "two words", "it's")
    assert trigger.comment == "Guard"


def test_kitchen_sink_views_and_policies(kitchen_sink: Introspected, reader_role: str) -> None:
    m = kitchen_sink.model
    (view,) = m.views
    assert view.options == (("security_barrier", "true"),)
    # The query is pg_get_viewdef's text, relative and without the final `;`. Whether the
    # server qualifies the columns of a query over one relation depends on its version
    # (15 prints `SELECT a.id`, 18 `SELECT id`): compare without the alias qualifier.
    query = re.sub(r"\ba\.", "", " ".join(view.query.split()))
    assert query == "SELECT id, name FROM authors a WHERE mood <> 'sad'::mood"
    assert view.comment == "Names"
    (mview,) = m.materialized_views
    assert (mview.name, mview.comment) == ("book_counts", "Counts")
    assert "FROM books" in mview.query

    policies = {p.name: p for p in m.policies}
    reader = policies["authors_reader"]
    assert (reader.command, reader.permissive, reader.roles) == ("select", False, (reader_role,))
    assert (reader.using, reader.with_check, reader.comment) == (
        "(mood <> 'sad'::mood)", None, "Readers")
    writer = policies["authors_write"]
    assert (writer.command, writer.permissive, writer.roles) == ("insert", True, ("public",))
    assert writer.with_check == "(price_with_tax((1)::numeric) > (0)::numeric)"


def test_kitchen_sink_unmanaged(kitchen_sink: Introspected) -> None:
    assert kitchen_sink.unmanaged == KS_UNMANAGED


def test_more_unmanaged_objects_are_reported(db_conn: Conn) -> None:
    db_conn.execute("""
        CREATE SCHEMA um;
        CREATE TABLE um.parent (id integer, b integer);
        CREATE TABLE um.child () INHERITS (um.parent);
        CREATE TYPE um.pair AS (a integer);
        CREATE TABLE um.typed OF um.pair;
        CREATE FUNCTION um.eq(integer, integer) RETURNS boolean LANGUAGE sql
            RETURN $1 = $2;
        CREATE OPERATOR um.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = um.eq);
        CREATE VIEW um.v AS SELECT id FROM um.parent;
        CREATE RULE v_insert AS ON INSERT TO um.v DO INSTEAD NOTHING;
        CREATE STATISTICS um.st ON id, b FROM um.parent;
    """)
    kinds = {(u.kind, u.name) for u in introspect(db_conn, ["um"])["um"].unmanaged}
    assert kinds == {
        ("inheritance child table", "child"), ("composite type", "pair"),
        ("typed table", "typed"), ("function with SQL-standard body", "eq(integer, integer)"),
        ("operator", "===(integer, integer)"), ("rule", "v.v_insert"), ("statistics", "st"),
    }


def test_index_keys_print_only_non_default_opclass_and_collation(db_conn: Conn) -> None:
    """Opclass and collation of column keys: given exactly when ruleutils would print them.

    Most keys need no pg_get_indexdef (sql/indexes.sql decides from the catalog); the rest
    are read back from it, which covers domains, binary-coercible types and opclass options.
    """
    db_conn.execute("""
        CREATE SCHEMA ix;
        CREATE DOMAIN ix.d AS integer;
        CREATE TABLE ix.t (gone integer, a integer, b ix.d, c varchar(10), e text COLLATE "C",
                           f integer[], h text, v tsvector);
        ALTER TABLE ix.t DROP COLUMN gone;
        CREATE INDEX t_defaults ON ix.t (a int4_ops, b, c, e COLLATE "C", h text_ops);
        CREATE INDEX t_explicit ON ix.t (c varchar_pattern_ops, e COLLATE "POSIX" DESC, h)
            INCLUDE (a);
        CREATE INDEX t_gin ON ix.t USING gin (f);
        CREATE INDEX t_options ON ix.t USING gist (v tsvector_ops (siglen = 100));
        CREATE MATERIALIZED VIEW ix.mv AS SELECT a, h FROM ix.t;
        CREATE INDEX mv_h ON ix.mv (h COLLATE "C", (a + 1));
    """)
    by_name = {i.name: i for i in introspect(db_conn, ["ix"])["ix"].model.indexes}

    def keys(name: str) -> list[tuple[str | None, str | None, str | None]]:
        return [(k.column or k.expression, k.opclass, k.collation) for k in by_name[name].keys]

    assert keys("t_defaults") == [
        ("a", None, None), ("b", None, None), ("c", None, None), ("e", None, None),
        ("h", None, None)]
    assert keys("t_explicit") == [
        ("c", "varchar_pattern_ops", None), ("e", None, "POSIX"), ("h", None, None)]
    assert by_name["t_explicit"].include == ("a",)
    assert keys("t_gin") == [("f", None, None)]
    assert keys("t_options") == [("v", "tsvector_ops", None)]
    assert keys("mv_h") == [("h", None, "C"), ("a + 1", None, None)]


# --- the fixed point: compile(introspect(X)) introspects equal to X -------------------------


def test_fixed_point_kitchen_sink(db_conn: Conn, kitchen_sink: Introspected) -> None:
    copy = copy_of(db_conn, kitchen_sink.model, "copy")
    assert differences(kitchen_sink.model, copy.model) == []
    assert copy.model == kitchen_sink.model
    # The compiler cannot make what the model does not hold.
    assert copy.unmanaged == []


def test_fixed_point_zplus_tenant(db_conn: Conn) -> None:
    build_zplus(db_conn, {"a": None})
    original = introspect(db_conn, ["tenant_a"])["tenant_a"].model
    copy = copy_of(db_conn, original, "copy").model
    # PostgreSQL's deparser is not idempotent for `varchar_col IN ('x', ...)`: the first
    # parse casts the whole array, `((ARRAY['x'::character varying])::text[])`; parsing
    # that text again casts each element, `ARRAY[('x'::character varying)::text]`. Same
    # constraint, other text. Everything else must come back exactly.
    for field, before, after in differences(original, copy):
        assert field == "constraints" and isinstance(before, Check), before
        assert "= ANY ((ARRAY[" in before.expression
        assert after.expression.count("::text") > before.expression.count("::text")
    # ... and from the second generation on, the text is stable.
    assert copy_of(db_conn, copy, "copy2").model == copy


def test_fixed_point_more_kinds(db_conn: Conn) -> None:
    db_conn.execute(MORE_KINDS)
    k2 = introspect(db_conn, ["k2"])["k2"]
    m = k2.model
    assert k2.unmanaged == []
    assert [f.signature for f in m.functions] == [
        "by_color(color, integer[])", "cfg()", "noop()", "norm(text)", "norm(text, integer)",
        "pairs(integer, text)"]
    fns = {f.signature: f for f in m.functions}
    assert fns["pairs(integer, text)"].returns == "TABLE(a integer, b text)"
    assert [a.name for a in fns["pairs(integer, text)"].arguments] == [None, None]
    assert [a.default for a in fns["by_color(color, integer[])"].arguments] == [
        "'red'::color", "'{}'::integer[]"]
    assert fns["cfg()"].config == (("search_path", "k2, pg_temp"), ("work_mem", "64MB"))
    triggers = {t.name: t for t in m.triggers}
    assert (triggers["red_ins"].timing, triggers["red_ins"].table) == ("instead of", "red_items")
    assert (triggers["items_trunc"].events, triggers["items_trunc"].level) == (
        ("truncate",), "statement")
    assert triggers["items_when"].when == (
        "old.* IS DISTINCT FROM new.* AND new.note <> 'x WHEN (y'::text")
    sequences = [(s.name, s.owned_by) for s in m.sequences]
    assert sequences == [("items_id_seq", ("items", "id"))]  # serial
    sub_eu = m.table("sub_eu")
    assert sub_eu is not None
    assert (sub_eu.partition_of, sub_eu.partition_by) == ("sub", "RANGE (at)")
    assert copy_of(db_conn, m, "copy").model == m


def test_introspect_in_an_open_transaction_keeps_its_search_path(db_conn: Conn) -> None:
    build_zplus(db_conn, {"a": ["crm"]})
    with db_conn.transaction():
        db_conn.execute("SET LOCAL search_path TO tenant_a, public")
        result = introspect(db_conn, ["tenant_a"])
        row = db_conn.execute("SELECT current_setting('search_path')").fetchone()
    assert row == ("tenant_a, public",)
    assert result["tenant_a"].model.table("opportunities") is not None


def test_session_settings_do_not_change_the_model(db_conn: Conn) -> None:
    db_conn.execute("""
        CREATE SCHEMA st;
        CREATE TABLE st.log (at timestamptz DEFAULT '2024-06-01 12:00+02', d date,
                             every interval DEFAULT '1 day 02:00', f float8 DEFAULT 0.1)
            PARTITION BY RANGE (d);
        CREATE TABLE st.log_2024 PARTITION OF st.log
            FOR VALUES FROM ('2024-01-02') TO ('2024-02-01');
    """)
    before = introspect(db_conn, ["st"])["st"].model
    db_conn.execute("SET DateStyle = 'SQL, DMY'; SET TimeZone = 'America/New_York';"
                    " SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3")
    assert introspect(db_conn, ["st"])["st"].model == before
    row = db_conn.execute("SELECT current_setting('DateStyle')").fetchone()
    assert row == ("SQL, DMY",)  # the session's own settings are left alone
    log = before.table("log")
    assert log is not None and log.columns[0].default == (
        "'2024-06-01 10:00:00+00'::timestamp with time zone")


def test_quoted_schema_names_are_relativized(db_conn: Conn) -> None:
    db_conn.execute("""
        CREATE SCHEMA "Odd Schema";
        CREATE SEQUENCE "Odd Schema".n;
        CREATE TABLE "Odd Schema".t (
            id integer PRIMARY KEY DEFAULT nextval('"Odd Schema".n'),
            parent integer REFERENCES "Odd Schema".t (id)
        );
    """)
    model = introspect(db_conn, ["Odd Schema", "absent"])["Odd Schema"].model
    table = model.table("t")
    assert table is not None and table.columns[0].default == "nextval('n'::regclass)"
    fk = next(c for c in model.constraints if isinstance(c, ForeignKey))
    assert fk.ref_table == QualName(name="t")


def test_absent_schema_is_empty(db_conn: Conn) -> None:
    result = introspect(db_conn, ["nowhere"])
    assert result["nowhere"].model == SchemaModel()
    assert result["nowhere"].unmanaged == []


# --- a fixed number of queries, whatever the size -------------------------------------------


def test_query_count_does_not_depend_on_size(db_conn: Conn) -> None:
    db_conn.execute("CREATE SCHEMA e1; CREATE SCHEMA e2; CREATE SCHEMA e3")
    build_zplus(db_conn, {"a": None, "b": None})
    db_conn.cursor_factory = CountingCursor
    CountingCursor.calls = 0
    introspect(db_conn, ["e1", "e2", "e3"])
    empty = CountingCursor.calls

    CountingCursor.calls = 0
    result = introspect(db_conn, ["public", "tenant_a", "tenant_b"])
    full = CountingCursor.calls

    assert sum(len(r.model.tables) for r in result.values()) == 59
    assert empty == full == len(QUERIES) + 1  # + sql/settings.sql


# --- relativize ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("tenant_a.users", "users"),
    ('"tenant_a".users', "users"),
    ('tenant_a."Users"', '"Users"'),
    ("nextval('tenant_a.orders_id_seq'::regclass)", "nextval('orders_id_seq'::regclass)"),
    ("'sad'::tenant_a.mood", "'sad'::mood"),
    ("tenant_a.mood[]", "mood[]"),
    ("public.tenants", "public.tenants"),
    ("tenant_ab.users", "tenant_ab.users"),
    ('"tenant_ab".users', '"tenant_ab".users'),
    ("xtenant_a.users", "xtenant_a.users"),
    ("other.tenant_a.users", "other.tenant_a.users"),
    ("tenant_a", "tenant_a"),
    ("f(tenant_a.x, tenant_ab.y, (tenant_a.z))", "f(x, tenant_ab.y, (z))"),
])
def test_relativize(text: str, expected: str) -> None:
    assert relativize(text, "tenant_a") == expected


def test_relativize_a_schema_that_needs_quotes() -> None:
    assert relativize('"Odd Schema".t', "Odd Schema") == "t"
    assert relativize('"Odd Schema2".t', "Odd Schema") == '"Odd Schema2".t'
    assert relativize('"user".t', "user") == "t"
    assert relativize("user.t", "user") == "user.t"  # `user` alone is a keyword, not a schema
    assert relativize('"Tenant".t', "Tenant") == "t"
    assert relativize("tenant.t", "Tenant") == "tenant.t"


def test_compiled_function_body_is_verbatim(db_conn: Conn) -> None:
    """A body written `$$ SELECT 1 $$` comes back exactly after a round through compile."""
    db_conn.execute("CREATE SCHEMA f; CREATE FUNCTION f.one() RETURNS int LANGUAGE sql"
                    " AS $$ SELECT 1 $$")
    original = introspect(db_conn, ["f"])["f"].model
    once = copy_of(db_conn, original, "copy").model
    assert original.functions[0].body == " SELECT 1 "
    assert once == original
