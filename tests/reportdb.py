"""Databases for the access report tests: a deliberately bad one and a clean one.

Roles are cluster-wide and the session server is shared, so every role name carries a
suffix unique to the test, and `Roles.drop` removes them (with what they own) afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

Conn = psycopg.Connection[tuple[object, ...]]


@dataclass
class Roles:
    """The roles a test created, named `<base>_<suffix>`."""

    suffix: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    created: list[str] = field(default_factory=list)

    def __call__(self, base: str) -> str:
        """Return the unique name of role `base`."""
        return f"{base}_{self.suffix}"

    def create(self, conn: Conn, base: str, options: str = "") -> str:
        """Create role `base` (with options such as LOGIN) and return its name."""
        name = self(base)
        conn.execute(sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(name)))
        self.created.append(name)
        return name

    def drop(self, conn: Conn) -> None:
        """Drop every role created, with what it owns and was granted in this database."""
        for name in reversed(self.created):
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def build_bad(conn: Conn, r: Roles) -> dict[str, str]:
    """Create roles, grants, RLS and policies with one instance of every finding.

    Returns the names used: tenant schemas are tenant_acme_<sfx>, tenant_xyz_<sfx> and
    tenant_other_<sfx>, each with its own role of the same name.
    """
    n = {k: r(k) for k in ("tenant_acme", "tenant_xyz", "tenant_other")}
    n["app_rw"] = r.create(conn, "app_rw")
    n["app_user"] = r.create(conn, "app_user", f"LOGIN IN ROLE {n['app_rw']}")
    n["app_nested"] = r.create(conn, "app_nested", f"IN ROLE {n['app_user']}")
    n["app_noinherit"] = r.create(conn, "app_noinherit", f"NOINHERIT IN ROLE {n['app_rw']}")
    n["bypass"] = r.create(conn, "bypass", "BYPASSRLS")
    n["super"] = r.create(conn, "super", "SUPERUSER")
    n["creator"] = r.create(conn, "creator", "CREATEROLE")
    for slug in ("tenant_acme", "tenant_xyz", "tenant_other"):
        role = r.create(conn, slug)
        conn.execute(f"""
            CREATE SCHEMA {role};
            CREATE TABLE {role}.customers (id int PRIMARY KEY, name text);
            GRANT USAGE ON SCHEMA {role} TO {role};
            GRANT SELECT, INSERT ON {role}.customers TO {role};
            ALTER TABLE {role}.customers ENABLE ROW LEVEL SECURITY;
            CREATE POLICY owner_rows ON {role}.customers TO {role} USING (id > 0);
        """)
    conn.execute(f"""
        CREATE TABLE public.subscriptions (id int PRIMARY KEY, tenant_id int);
        CREATE TABLE public.invoices (id int PRIMARY KEY, tenant_id int);
        ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;
        CREATE POLICY see_all ON public.invoices FOR SELECT TO {n['app_rw']} USING (true);
        CREATE POLICY write_all ON public.invoices FOR INSERT TO {n['app_rw']}
            WITH CHECK (true);
        CREATE TABLE public.plans (id int PRIMARY KEY, name text);
        GRANT SELECT ON public.plans TO PUBLIC;
        GRANT UPDATE (name) ON public.plans TO {n['app_rw']};
        GRANT SELECT ON public.subscriptions TO {n['app_rw']};
        GRANT CREATE ON SCHEMA public TO PUBLIC;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC;
        CREATE FUNCTION public.definer() RETURNS int SECURITY DEFINER
            LANGUAGE sql AS 'SELECT 1';
        GRANT SELECT ON {n['tenant_xyz']}.customers TO {n['tenant_acme']};
        GRANT SELECT ON public.subscriptions TO {n['tenant_acme']};
    """)
    return n


def build_clean(conn: Conn, r: Roles) -> dict[str, str]:
    """Create a database that does everything right: no finding should appear."""
    n = {"tenant_acme": r("tenant_acme"), "app_rw": r.create(conn, "app_rw")}
    n["app_user"] = r.create(conn, "app_user", f"LOGIN IN ROLE {n['app_rw']}")
    role = r.create(conn, "tenant_acme")
    conn.execute(f"""
        REVOKE ALL ON SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public TO {n['app_rw']};
        CREATE TABLE public.subscriptions (id int PRIMARY KEY, tenant_id int);
        ALTER TABLE public.subscriptions ENABLE ROW LEVEL SECURITY;
        ALTER TABLE public.subscriptions FORCE ROW LEVEL SECURITY;
        CREATE POLICY by_tenant ON public.subscriptions TO {n['app_rw']}
            USING (tenant_id = current_setting('app.tenant_id')::int)
            WITH CHECK (tenant_id = current_setting('app.tenant_id')::int);
        GRANT SELECT, INSERT ON public.subscriptions TO {n['app_rw']};
        CREATE FUNCTION public.safe() RETURNS int SECURITY DEFINER
            SET search_path = pg_catalog LANGUAGE sql AS 'SELECT 1';
        REVOKE EXECUTE ON FUNCTION public.safe() FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION public.safe() TO {n['app_rw']};
        CREATE SCHEMA {role};
        CREATE TABLE {role}.customers (id int PRIMARY KEY, name text);
        GRANT USAGE ON SCHEMA {role} TO {role};
        GRANT SELECT ON {role}.customers TO {role};
    """)
    return n
