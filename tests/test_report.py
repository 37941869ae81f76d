"""`report access` on a real database: findings, the matrix, tenant collapse, formats."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.reportdb import Conn, Roles, build_bad, build_clean
from tests.zplus import build_zplus
from zplus_schema.report import Report, Settings, build_report
from zplus_schema.report.html import render_html
from zplus_schema.report.markdown import render_markdown
from zplus_schema.report.model import Access, Section, Table

SETTINGS = Settings("public", "tenant_", "tenant_")


@pytest.fixture
def roles(db_conn: Conn) -> Iterator[Roles]:
    """Yield a role factory; drop its roles after the test."""
    r = Roles()
    try:
        yield r
    finally:
        r.drop(db_conn)


@pytest.fixture
def bad(db_conn: Conn, roles: Roles) -> tuple[Report, dict[str, str]]:
    """Return the report of the deliberately bad database and its names."""
    names = build_bad(db_conn, roles)
    return build_report(db_conn, SETTINGS, "test"), names


def _finding(report: Report, code: str, obj: str) -> str:
    """Return the severity of the finding `code` on `obj`, failing when it is missing."""
    hits = [f for f in report.findings if f.code == code and f.object == obj]
    assert hits, f"no {code} on {obj}: {[(f.code, f.object) for f in report.findings]}"
    return hits[0].severity


def _section(report: Report, kind: str) -> Section:
    return next(s for s in report.sections if s.kind == kind)


def _table(section: Section, name: str) -> Table:
    return next(t for t in section.tables if t.name == name)


def test_every_finding_with_its_severity(bad: tuple[Report, dict[str, str]]) -> None:
    report, n = bad
    expected = {
        ("AR101", "table public.subscriptions"): "high",
        ("AR102", "table public.invoices"): "medium",
        ("AR104", "policy see_all on public.invoices"): "high",
        ("AR105", "policy write_all on public.invoices"): "high",
        ("AR201", "table public.plans"): "high",
        ("AR202", "schema public"): "high",
        ("AR203", "schema public"): "low",
        ("AR204", "function public.definer()"): "medium",
        ("AR205", "default privileges of postgres on tables in schema public"): "medium",
        ("AR301", "function public.definer()"): "high",
        ("AR401", f"role {n['super']}"): "critical",
        ("AR402", f"role {n['bypass']}"): "high",
        ("AR403", f"role {n['creator']}"): "medium",
        ("AR501", f"role {n['tenant_acme']} on schema {n['tenant_xyz']}"): "critical",
        ("AR502", f"role {n['tenant_acme']} on schema public"): "high",
        ("AR601", f"schema {n['tenant_xyz']}"): "medium",
    }
    for (code, obj), severity in expected.items():
        assert _finding(report, code, obj) == severity, (code, obj)
    cross = next(f for f in report.findings if f.code == "AR501")
    assert "customers: SELECT" in cross.message
    # The bootstrap superuser is expected and not reported; the tenants' own access is fine.
    assert not [f for f in report.findings if f.object == "role postgres"]
    assert not [f for f in report.findings if f.code == "AR501"
                and not f.object.startswith(f"role {n['tenant_acme']} ")]


def test_clean_database_has_no_findings(db_conn: Conn, roles: Roles) -> None:
    build_clean(db_conn, roles)
    report = build_report(db_conn, SETTINGS, "test")
    # Roles of other tests may exist on the shared server: judge only this database's.
    others = {r.name for r in report.roles} - set(roles.created)
    mine = [f for f in report.findings if not any(f.object == f"role {o}" for o in others)]
    assert mine == []
    subs = _table(_section(report, "system"), "subscriptions")
    assert (subs.rls_enabled, subs.rls_forced) == (True, True)
    (policy,) = subs.policies
    assert policy.using is not None and "current_setting" in policy.using


def test_matrix_direct_inherited_column_and_public(bad: tuple[Report, dict[str, str]]) -> None:
    report, n = bad
    system = _section(report, "system")
    plans = set(_table(system, "plans").access)
    assert Access("PUBLIC", "SELECT") in plans
    assert Access(n["app_rw"], "UPDATE", "name") in plans
    assert Access(n["app_user"], "UPDATE", "name", via=n["app_rw"]) in plans
    # Two levels down, still named after the role holding the grant.
    assert Access(n["app_nested"], "UPDATE", "name", via=n["app_rw"]) in plans
    # NOINHERIT members must SET ROLE first: no effective access.
    assert not [a for a in plans if a.role == n["app_noinherit"]]
    subs = set(_table(system, "subscriptions").access)
    assert Access(n["app_user"], "SELECT", via=n["app_rw"]) in subs
    assert Access("postgres", "TRUNCATE") in subs  # the owner's default privileges
    invoices = _table(system, "invoices")
    assert [(p.name, p.command, p.roles) for p in invoices.policies] == [
        ("see_all", "SELECT", (n["app_rw"],)), ("write_all", "INSERT", (n["app_rw"],))]


def test_tenant_schemas_collapse_into_the_template(bad: tuple[Report, dict[str, str]]) -> None:
    report, n = bad
    template = _section(report, "tenant-template")
    assert template.label == "tenant_*"
    assert template.schemas == sorted([n["tenant_acme"], n["tenant_other"]])
    customers = _table(template, "customers")
    assert Access("{tenant_role}", "SELECT") in customers.access
    assert customers.policies[0].roles == ("{tenant_role}",)
    variant = _section(report, "tenant-variant")
    assert variant.schemas == [n["tenant_xyz"]]
    assert Access(n["tenant_acme"], "SELECT") in _table(variant, "customers").access


def test_markdown_lists_findings_matrix_and_roles(bad: tuple[Report, dict[str, str]]) -> None:
    report, n = bad
    text = render_markdown(report)
    assert text.index("## Findings") < text.index("## Roles") < text.index("## System schema")
    assert "## Tenant template `tenant_*` (2 schema(s))" in text
    assert f"| plans | {n['app_user']} |   |   | cols name via {n['app_rw']} |" in text
    assert "2 of 3 tenant schema(s) share the tenant template; differing: " \
           f"`{n['tenant_xyz']}`." in text
    assert render_markdown(report) == text  # deterministic


class _Assets(HTMLParser):
    """Collect what a page would fetch: linked or sourced URLs, scripts, stylesheets."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.fetches += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag in ("script", "link", "img", "iframe"):
            self.fetches.append(tag)


def test_html_is_one_self_contained_page(bad: tuple[Report, dict[str, str]]) -> None:
    report, _ = bad
    page = render_html(report)
    parser = _Assets()
    parser.feed(page)
    parser.close()
    assert parser.fetches == []
    assert "http://" not in page and "https://" not in page
    assert parser.tags.count("style") == 1 and "table" in parser.tags
    assert page.index("Findings (") < page.index("<h2>Roles")
    assert 'class="sev critical"' in page


def test_json_is_stable_and_versioned(bad: tuple[Report, dict[str, str]],
                                      db_conn: Conn) -> None:
    report, n = bad
    doc = json.loads(report.to_json())
    assert doc["version"] == 1
    assert set(doc) == {"version", "source", "settings", "roles", "sections",
                        "default_privileges", "findings"}
    assert {"severity", "code", "object", "message", "action"} == set(doc["findings"][0])
    assert build_report(db_conn, SETTINGS, "test").to_json() == report.to_json()
    role = next(r for r in doc["roles"] if r["name"] == n["app_user"])
    assert role["login"] and role["member_of"] == [
        {"role": n["app_rw"], "admin": False, "inherit": True}]


def test_zplus_tenants_with_other_modules_share_the_template(db_conn: Conn,
                                                             roles: Roles) -> None:
    slugs = {k: f"{k}_{roles.suffix}" for k in ("acme", "xyz", "lite")}
    # The compiled tenant scripts create each tenant's role and grants (policies/).
    build_zplus(db_conn, {slugs["acme"]: None, slugs["xyz"]: None, slugs["lite"]: ["crm"]})
    report = build_report(db_conn, SETTINGS, "test")
    template = _section(report, "tenant-template")
    assert len(template.schemas) == 3
    assert not [s for s in report.sections if s.kind == "tenant-variant"]
    assert _table(template, "courses").in_schemas == 2  # lms: not enabled for `lite`
    assert Access("{tenant_role}", "SELECT") in _table(template, "customers").access
    # Tenant roles reach the shared tables only through zplus_tenant, under forced RLS:
    # medium (by design, see policies/README.md), never another tenant's schema.
    reach = [f for f in report.findings if f.code.startswith(("AR5", "AR6"))]
    assert {(f.code, f.severity) for f in reach} == {("AR502", "medium")}

    db_conn.execute(f"GRANT SELECT ON tenant_{slugs['xyz']}.customers "
                    f"TO tenant_{slugs['acme']}")
    report = build_report(db_conn, SETTINGS, "test")
    (variant,) = [s for s in report.sections if s.kind == "tenant-variant"]
    assert variant.schemas == [f"tenant_{slugs['xyz']}"]
    assert _finding(report, "AR501", f"role tenant_{slugs['acme']} on schema "
                                     f"tenant_{slugs['xyz']}") == "critical"
