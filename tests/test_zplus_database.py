"""The repository's own Zplus schema, compiled and loaded into a real PostgreSQL database.

Everything is read back from pg_catalog: which tables exist where, that every foreign key
is served by an index, that no index repeats a unique constraint, which triggers fire, and
a few constraints whose behaviour the application relies on.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from tests.zplus import build_zplus, system_sql, tenant_sql

Conn = psycopg.Connection[tuple[object, ...]]

SYSTEM_TABLES = {
    "system_users",
    "system_sessions",
    "tenants",
    "tenant_schemas",
    "plans",
    "subscriptions",
    "payments",
    "modules",
    "tenant_modules",
    "usage_stats",
    "audit_logs",
}
TENANT_TABLES = {
    "users",
    "roles",
    "permissions",
    "role_permissions",
    "user_roles",
    "customers",
    "customer_activities",
    "files",
    "file_associations",
    "notifications",
}
MODULE_TABLES = {
    "crm": {"opportunities", "pipeline_stages"},
    "lms": {"course_categories", "courses", "lessons", "enrollments"},
    "pos": {"product_categories", "products", "orders", "order_items"},
    "hrm": {"employees", "attendance_records"},
    "checkin": {"check_in_locations", "check_ins"},
}
ALL_TENANT_TABLES = TENANT_TABLES.union(*MODULE_TABLES.values())
# System tables with an explicit audit trigger (schema/README.md); the other three are
# high-volume (system_sessions, usage_stats) or the log itself (audit_logs).
AUDITED_SYSTEM_TABLES = {
    "system_users",
    "tenants",
    "tenant_schemas",
    "plans",
    "subscriptions",
    "payments",
    "modules",
    "tenant_modules",
}

# pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
TRIGGER_ROW, TRIGGER_BEFORE, TRIGGER_INSERT, TRIGGER_DELETE, TRIGGER_UPDATE = 1, 2, 4, 8, 16
AUDIT_TGTYPE = TRIGGER_ROW | TRIGGER_INSERT | TRIGGER_DELETE | TRIGGER_UPDATE  # AFTER
UPDATED_AT_TGTYPE = TRIGGER_ROW | TRIGGER_BEFORE | TRIGGER_UPDATE


# --- catalog helpers -----------------------------------------------------------------------


def tables(conn: Conn, schema: str) -> set[str]:
    """Return the names of the ordinary tables of `schema`."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
        (schema,),
    ).fetchall()
    return {str(r[0]) for r in rows}


def tables_with_column(conn: Conn, schema: str, column: str) -> set[str]:
    """Return the tables of `schema` that have a (live) column named `column`."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_attribute a"
        " JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind = 'r' AND a.attname = %s"
        " AND a.attnum > 0 AND NOT a.attisdropped",
        (schema, column),
    ).fetchall()
    return {str(r[0]) for r in rows}


def triggers(conn: Conn, schema: str, name: str) -> dict[str, tuple[int, str, str]]:
    """Return table -> (tgtype, function, tgenabled) of the triggers called `name`."""
    rows = conn.execute(
        "SELECT c.relname, t.tgtype, fn.nspname || '.' || p.proname, t.tgenabled::text"
        " FROM pg_trigger t"
        " JOIN pg_proc p ON p.oid = t.tgfoid"
        " JOIN pg_namespace fn ON fn.oid = p.pronamespace"
        " JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND t.tgname = %s AND NOT t.tgisinternal",
        (schema, name),
    ).fetchall()
    return {str(r[0]): (int(str(r[1])), str(r[2]), str(r[3])) for r in rows}


def unindexed_foreign_keys(conn: Conn, schema: str) -> list[str]:
    """Return `table.constraint` of the foreign keys whose columns lead no index.

    A foreign key counts as indexed when its columns, in order, are the leading columns
    of some index of the referencing table (what ON DELETE on the parent needs).
    """
    rows = conn.execute(
        "SELECT c.relname, k.conname FROM pg_constraint k"
        " JOIN pg_class c ON c.oid = k.conrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND k.contype = 'f'"
        " AND NOT EXISTS ("
        "   SELECT 1 FROM pg_index i WHERE i.indrelid = k.conrelid"
        "   AND (i.indkey::int2[])[0:cardinality(k.conkey) - 1] = k.conkey)"
        " ORDER BY 1, 2",
        (schema,),
    ).fetchall()
    return [f"{r[0]}.{r[1]}" for r in rows]


def foreign_key_count(conn: Conn, schema: str) -> int:
    """Return how many foreign keys the tables of `schema` declare."""
    row = conn.execute(
        "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace"
        " WHERE n.nspname = %s AND k.contype = 'f'",
        (schema,),
    ).fetchone()
    assert row is not None
    return int(str(row[0]))


def indexes_shadowed_by_unique(conn: Conn, schema: str) -> list[str]:
    """Return `index (by constraint)` for each index made redundant by a unique constraint.

    A plain (non-unique) index is redundant when its key columns equal, or are a leading
    prefix of, those of a primary key or unique constraint of the same table: that
    constraint's own index serves the same lookups.
    """
    rows = conn.execute(
        "SELECT ic.relname, k.conname FROM pg_index i"
        " JOIN pg_class ic ON ic.oid = i.indexrelid"
        " JOIN pg_namespace n ON n.oid = ic.relnamespace"
        " JOIN pg_constraint k ON k.conrelid = i.indrelid AND k.contype IN ('p', 'u')"
        " WHERE n.nspname = %s AND k.conindid <> i.indexrelid AND NOT i.indisunique"
        " AND i.indexprs IS NULL AND i.indpred IS NULL"
        " AND k.conkey[1:i.indnkeyatts] = (i.indkey::int2[])[0:i.indnkeyatts - 1]"
        " ORDER BY 1, 2",
        (schema,),
    ).fetchall()
    return [f"{r[0]} (by {r[1]})" for r in rows]


def duplicate_indexes(conn: Conn, schema: str) -> list[str]:
    """Return pairs of indexes of one table with the same key columns."""
    rows = conn.execute(
        "SELECT a.relname, b.relname FROM pg_index ia"
        " JOIN pg_index ib ON ib.indrelid = ia.indrelid AND ib.indexrelid > ia.indexrelid"
        "   AND ib.indkey = ia.indkey"
        " JOIN pg_class a ON a.oid = ia.indexrelid"
        " JOIN pg_class b ON b.oid = ib.indexrelid"
        " JOIN pg_namespace n ON n.oid = a.relnamespace"
        " WHERE n.nspname = %s ORDER BY 1, 2",
        (schema,),
    ).fetchall()
    return [f"{r[0]} = {r[1]}" for r in rows]


def load_collecting_notices(conn: Conn, script: str) -> list[str]:
    """Execute `script` and return the severity and text of every notice it raised."""
    notices: list[str] = []

    def collect(diag: psycopg.errors.Diagnostic) -> None:
        notices.append(f"{diag.severity_nonlocalized}: {diag.message_primary}")

    conn.add_notice_handler(collect)
    try:
        conn.execute(script)
    finally:
        conn.remove_notice_handler(collect)
    return notices


# --- loading -------------------------------------------------------------------------------


def test_system_sql_loads_into_empty_database(db_conn: Conn) -> None:
    notices = load_collecting_notices(db_conn, system_sql())
    assert [n for n in notices if not n.startswith(("NOTICE", "INFO", "DEBUG"))] == []
    assert tables(db_conn, "public") == SYSTEM_TABLES
    assert len(tables(db_conn, "public")) == 11


def test_system_function_bodies_are_valid_plpgsql(db_conn: Conn) -> None:
    """The script loads with check_function_bodies off; validate the bodies explicitly."""
    db_conn.execute(system_sql())
    db_conn.execute("SET check_function_bodies = on")
    for name in ("public.audit_row_change", "public.set_updated_at"):
        db_conn.execute("SELECT plpgsql_validator(%s::regproc::oid)", (name,))
    row = db_conn.execute(
        "SELECT prosecdef, proconfig FROM pg_proc WHERE oid = 'public.audit_row_change'::regproc"
    ).fetchone()
    assert row == (True, ["search_path=pg_catalog, pg_temp"])


def test_tenant_with_all_modules_loads_after_system(db_conn: Conn) -> None:
    db_conn.execute(system_sql())
    notices = load_collecting_notices(db_conn, tenant_sql("tenant_acme"))
    assert [n for n in notices if not n.startswith(("NOTICE", "INFO", "DEBUG"))] == []
    assert tables(db_conn, "tenant_acme") == ALL_TENANT_TABLES
    assert len(tables(db_conn, "tenant_acme")) == 24
    assert tables(db_conn, "public") == SYSTEM_TABLES  # nothing leaked into public


def test_tenant_template_alone_loads(db_conn: Conn) -> None:
    db_conn.execute(system_sql())
    db_conn.execute(tenant_sql("tenant_bare", []))
    assert tables(db_conn, "tenant_bare") == TENANT_TABLES
    assert len(TENANT_TABLES) == 10


@pytest.mark.parametrize(
    ("module", "count"), [("crm", 2), ("lms", 4), ("pos", 4), ("hrm", 2), ("checkin", 2)]
)
def test_each_module_alone_loads_on_the_template(db_conn: Conn, module: str, count: int) -> None:
    db_conn.execute(system_sql())
    db_conn.execute(tenant_sql(f"tenant_{module}", [module]))
    found = tables(db_conn, f"tenant_{module}")
    assert found - TENANT_TABLES == MODULE_TABLES[module]
    assert len(found) == 10 + count
    assert unindexed_foreign_keys(db_conn, f"tenant_{module}") == []


def test_two_tenants_load_side_by_side(db_conn: Conn) -> None:
    ids = build_zplus(db_conn, {"acme": None, "beta": ["crm", "hrm"]})
    assert tables(db_conn, "tenant_acme") == ALL_TENANT_TABLES
    assert tables(db_conn, "tenant_beta") == (
        TENANT_TABLES | MODULE_TABLES["crm"] | MODULE_TABLES["hrm"]
    )
    assert len(tables(db_conn, "tenant_beta")) == 14
    registered = db_conn.execute(
        "SELECT schema_name, tenant_id::text FROM public.tenant_schemas ORDER BY 1"
    ).fetchall()
    assert registered == [("tenant_acme", ids["acme"]), ("tenant_beta", ids["beta"])]
    # Same table name, two distinct tables.
    db_conn.execute("INSERT INTO tenant_acme.customers (name) VALUES ('only in acme')")
    count = db_conn.execute("SELECT count(*) FROM tenant_beta.customers").fetchone()
    assert count == (0,)


# --- indexes -------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", ["public", "tenant_acme"])
def test_every_foreign_key_leads_an_index(db_conn: Conn, schema: str) -> None:
    build_zplus(db_conn, {"acme": None})
    assert foreign_key_count(db_conn, schema) > 5  # the check below is not vacuous
    assert unindexed_foreign_keys(db_conn, schema) == []


def test_unindexed_foreign_key_is_detected(db_conn: Conn) -> None:
    """The index check can fail: drop one FK index and it is reported."""
    build_zplus(db_conn, {"acme": ["lms"]})
    db_conn.execute("DROP INDEX tenant_acme.idx_enrollments_student_id")
    assert unindexed_foreign_keys(db_conn, "tenant_acme") == [
        "enrollments.enrollments_student_id_fkey"
    ]


@pytest.mark.parametrize("schema", ["public", "tenant_acme"])
def test_no_index_repeats_a_unique_constraint(db_conn: Conn, schema: str) -> None:
    build_zplus(db_conn, {"acme": None})
    assert indexes_shadowed_by_unique(db_conn, schema) == []
    assert duplicate_indexes(db_conn, schema) == []


def test_index_shadowed_by_unique_is_detected(db_conn: Conn) -> None:
    """The seed's idx_enrollments_course_id would be redundant with the unique constraint."""
    build_zplus(db_conn, {"acme": ["lms"]})
    db_conn.execute("CREATE INDEX idx_enrollments_course_id ON tenant_acme.enrollments (course_id)")
    assert indexes_shadowed_by_unique(db_conn, "tenant_acme") == [
        "idx_enrollments_course_id (by enrollments_course_id_student_id_key)"
    ]


# --- triggers ------------------------------------------------------------------------------


@pytest.mark.parametrize("schema", ["public", "tenant_acme"])
def test_every_updated_at_table_has_set_updated_at(db_conn: Conn, schema: str) -> None:
    build_zplus(db_conn, {"acme": None})
    with_column = tables_with_column(db_conn, schema, "updated_at")
    assert len(with_column) > 5
    found = triggers(db_conn, schema, "set_updated_at")
    assert set(found) == with_column  # and no trigger on a table without the column
    assert set(found.values()) == {(UPDATED_AT_TGTYPE, "public.set_updated_at", "O")}


def test_every_tenant_table_with_id_has_the_audit_trigger(db_conn: Conn) -> None:
    build_zplus(db_conn, {"acme": None})
    with_id = tables_with_column(db_conn, "tenant_acme", "id")
    assert with_id == ALL_TENANT_TABLES
    found = triggers(db_conn, "tenant_acme", "audit_row_change")
    assert set(found) == with_id
    assert set(found.values()) == {(AUDIT_TGTYPE, "public.audit_row_change", "O")}


def test_audited_system_tables(db_conn: Conn) -> None:
    build_zplus(db_conn, {})
    found = triggers(db_conn, "public", "audit_row_change")
    assert set(found) == AUDITED_SYSTEM_TABLES
    assert set(found.values()) == {(AUDIT_TGTYPE, "public.audit_row_change", "O")}


# --- constraints ---------------------------------------------------------------------------


def test_tenant_schema_name_must_be_an_identifier(db_conn: Conn) -> None:
    ids = build_zplus(db_conn, {"acme": []})
    with pytest.raises(errors.CheckViolation, match="tenant_schemas_schema_name_check"):
        db_conn.execute(
            "INSERT INTO public.tenant_schemas (tenant_id, schema_name, database_name)"
            " VALUES (%s, 'Bad-Name', 'db')",
            (ids["acme"],),
        )
    with pytest.raises(errors.UniqueViolation):  # one schema, one tenant
        db_conn.execute(
            "INSERT INTO public.tenant_schemas (tenant_id, schema_name, database_name)"
            " VALUES (%s, 'tenant_acme', 'db')",
            (ids["acme"],),
        )


def test_enrollment_is_unique_per_course_and_student(db_conn: Conn) -> None:
    build_zplus(db_conn, {"acme": ["lms"]})
    course = db_conn.execute(
        "INSERT INTO tenant_acme.courses (title) VALUES ('SQL') RETURNING id"
    ).fetchone()
    student = db_conn.execute(
        "INSERT INTO tenant_acme.customers (name) VALUES ('Ann') RETURNING id"
    ).fetchone()
    assert course is not None and student is not None
    enrol = "INSERT INTO tenant_acme.enrollments (course_id, student_id) VALUES (%s, %s)"
    db_conn.execute(enrol, (course[0], student[0]))
    with pytest.raises(errors.UniqueViolation, match="enrollments_course_id_student_id_key"):
        db_conn.execute(enrol, (course[0], student[0]))


def test_check_in_needs_a_user_or_a_customer(db_conn: Conn) -> None:
    build_zplus(db_conn, {"acme": ["checkin"]})
    location = db_conn.execute(
        "INSERT INTO tenant_acme.check_in_locations (name) VALUES ('Front desk') RETURNING id"
    ).fetchone()
    assert location is not None
    with pytest.raises(errors.CheckViolation, match="check_ins_subject_check"):
        db_conn.execute(
            "INSERT INTO tenant_acme.check_ins (location_id) VALUES (%s)", (location[0],)
        )


def test_deleting_a_user_sets_customer_assignee_null(db_conn: Conn) -> None:
    build_zplus(db_conn, {"acme": []})
    user = db_conn.execute(
        "INSERT INTO tenant_acme.users (email, password_hash, name)"
        " VALUES ('a@x.test', 'h', 'A') RETURNING id"
    ).fetchone()
    assert user is not None
    db_conn.execute(
        "INSERT INTO tenant_acme.customers (name, assigned_to) VALUES ('C', %s)", (user[0],)
    )
    db_conn.execute("DELETE FROM tenant_acme.users")
    assert db_conn.execute("SELECT assigned_to FROM tenant_acme.customers").fetchall() == [(None,)]
