"""policies/: the YAML loads into roles and grant rules; each mistake is one located problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.projectfiles import make_project
from tests.zplus import REPO, zplus
from zplus_schema.cli import main
from zplus_schema.errors import InputError
from zplus_schema.load import load
from zplus_schema.model import tenant_model
from zplus_schema.model.security import public_execute_revokes, target_security

ROLES = """
roles:
  app_login: {login: true, inherit: false}
  readers: {}
tenant_role:
  prefix: t_
  members: [app_login]
"""


def only_problem(tmp_path: Path, files: dict[str, str]) -> str:
    """Load a minimal project with `files` added; return its single problem, rendered."""
    root = make_project(tmp_path / "p", {"policies/roles.yaml": ROLES, **files})
    with pytest.raises(InputError) as info:
        load(root)
    found = [p.render() for p in info.value.problems]
    assert len(found) == 1, found
    return found[0]


def grants(text: str) -> dict[str, str]:
    """Return a policies/grants.yaml file with `text` under grants:."""
    return {"policies/grants.yaml": "grants:\n" + text}


def test_minimal_policies_load_and_expand(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"policies/roles.yaml": ROLES, **grants("""
      tenant:
        - {kind: schema, to: "{tenant_role}", privileges: usage}
        - {kind: tables, to: ["{tenant_role}", readers], privileges: [select]}
        - {kind: tables, objects: people, except_columns: [email], to: app_login,
           privileges: [select, update]}
        - {kind: sequences, to: "{tenant_role}", privileges: all}
      system:
        - {kind: functions, objects: touch, to: readers, privileges: execute}
    """)})
    project = load(root).project
    sec = project.security
    assert [r.name for r in sec.roles] == ["app_login", "readers"]
    desired = target_security(sec, "tenant", tenant_model(project, ["blog"]), "x")
    assert [r.name for r in desired.roles] == ["t_x"]
    assert [m.key for m in desired.memberships] == [("t_x", "app_login")]
    keys = {g.key for g in desired.grants}
    assert ("schema", "", "", "t_x", "usage") in keys
    assert ("table", "posts", "", "readers", "select") in keys
    assert ("sequence", "badge_no", "", "t_x", "update") in keys
    assert ("column", "people", "name", "app_login", "update") in keys
    assert not any(g.column == "email" for g in desired.grants)
    system = target_security(sec, "system", project.system, None)
    assert [g.name for g in system.grants] == ["touch()"]


def test_a_password_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/more.yaml": """
        roles:
          other: {login: true, password: secret}
        """})
    assert problem.startswith("policies/more.yaml:2:")
    assert "passwords never go in YAML" in problem


def test_a_powerful_attribute_needs_a_reason(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/more.yaml": """
        roles:
          admin: {bypassrls: true, createrole: true}
        """})
    assert problem.startswith("policies/more.yaml:2: role admin: createrole, bypassrls")
    assert "reason" in problem
    root = make_project(tmp_path / "ok", {"policies/roles.yaml": ROLES, "policies/more.yaml": """
        roles:
          admin: {bypassrls: true, reason: "nightly exports read every tenant"}
        """})
    assert load(root).project.security.roles[0].bypassrls


@pytest.mark.parametrize(("text", "line", "words"), [
    ("  tenant:\n    - {kind: tables, to: nobody, privileges: select}\n", 3,
     "names role 'nobody', which policies/ does not declare"),
    ("  system:\n    - {kind: tables, objects: nope, to: readers, privileges: select}\n", 3,
     "no table 'nope'"),
    ("  system:\n    - {kind: schema, to: readers, privileges: select}\n", 3,
     "'select' is not a privilege on a schema"),
    ("  tenant:\n    - {kind: tables, columns: [name], to: readers, privileges: select}\n", 3,
     "columns need named tables, not *"),
    ("  tenant:\n    - {kind: tables, objects: people, columns: [nose], to: readers,"
     " privileges: select}\n", 3, "table 'people' has no column 'nose'"),
    ("  system:\n    - {kind: schema, to: \"{tenant_role}\", privileges: usage}\n", 3,
     "names role '{tenant_role}'"),
    ("  tenant:\n    - {kind: tables, to: readers, privileges: select, grant: true}\n", 3,
     "unknown key 'grant'"),
    ("  tenant:\n    - {kind: views, to: readers, privileges: select}\n", 3,
     "kind"),
])
def test_grant_mistakes_are_located(tmp_path: Path, text: str, line: int, words: str) -> None:
    problem = only_problem(tmp_path, grants(text))
    assert problem.startswith(f"policies/grants.yaml:{line}:"), problem
    assert words in problem


def test_a_role_named_like_a_tenant_role_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/more.yaml": "roles:\n  t_admin: {}\n"})
    assert "starts with the tenant role prefix 't_'" in problem


def test_a_role_declared_twice_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/more.yaml": "roles:\n  readers: {}\n"})
    # Files are read in name order: the second declaration is the one reported.
    assert problem.startswith("policies/roles.yaml:3: role readers: role declared twice "
                              "(also at policies/more.yaml:2)")


def test_member_of_an_undeclared_role_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/more.yaml": """
        roles:
          other: {member_of: [ghost]}
        """})
    assert "member_of names role 'ghost'" in problem


def test_validate_prints_problems_without_a_traceback(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {"policies/roles.yaml": "roles:\n  x: {superuser: 1}\n"})
    code = main(["validate", "--root", str(root)])
    _, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert "policies/roles.yaml:2: role x: superuser declared without a reason" in err


def test_the_zplus_policies_manage_what_the_issue_asks() -> None:
    sec = zplus().project.security
    app = next(r for r in sec.roles if r.name == "zplus_app")
    assert (app.login, app.inherit, app.powers) == (True, False, ())
    assert all(not r.powers for r in sec.roles)
    assert sec.tenant_role is not None and sec.tenant_role.prefix == "tenant_"
    assert sec.manages("tenant_acme") and sec.manages("analytics_user")
    assert not sec.manages("postgres")
    # PUBLIC may not execute the SECURITY DEFINER functions; the roles of RLS queries may.
    system = target_security(sec, "system", zplus().project.system, None)
    assert system.public_execute == ("audit_row_change()", "role_may_act_for(name, uuid)")
    assert sorted(g.grantee for g in system.grants if g.object_type == "function") == [
        "analytics_user", "zplus_app", "zplus_tenant"]


def fns_project(tmp_path: Path, mode: str, public_grant: bool) -> Path:
    """Return a project with two SECURITY DEFINER functions and an invoker one."""
    grant = ("grants:\n  system:\n    - {kind: functions, objects: open, to: public,"
             " privileges: execute}\n") if public_grant else ""
    return make_project(tmp_path / "p", {
        "policies/roles.yaml": ROLES,
        "policies/functions.yaml": f"functions:\n  public_execute: {mode}\n{grant}",
        "schema/system/fns.yaml": """
        functions:
          secret: {returns: int, body: SELECT 1, security_definer: true}
          open: {returns: int, body: SELECT 2, security_definer: true}
          plain: {returns: int, body: SELECT 3}
        """})


@pytest.mark.parametrize(("mode", "public_grant", "managed", "revoked"), [
    ("default", False, [], []),
    ("default", True, ["open()"], []),
    ("security_definer_revoked", False, ["open()", "secret()"], ["open()", "secret()"]),
    ("security_definer_revoked", True, ["open()", "secret()"], ["secret()"]),
    ("revoked", True, ["open()", "plain()", "secret()", "touch()"],
     ["plain()", "secret()", "touch()"]),
])
def test_public_execute_picks_the_functions_it_manages(
        tmp_path: Path, mode: str, public_grant: bool, managed: list[str],
        revoked: list[str]) -> None:
    project = load(fns_project(tmp_path, mode, public_grant)).project
    desired = target_security(project.security, "system", project.system, None)
    assert list(desired.public_execute) == managed
    assert [g.name for g in public_execute_revokes(desired)] == revoked


def test_public_execute_declared_twice_or_unknown_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {
        "policies/a.yaml": "functions: {public_execute: revoked}\n",
        "policies/b.yaml": "functions: {public_execute: revoked}\n"})
    assert problem.startswith("policies/b.yaml:1: functions: functions declared twice")
    problem = only_problem(tmp_path / "x", {
        "policies/a.yaml": "functions: {public_execute: never}\n"})
    assert "policies/a.yaml:1" in problem and "security_definer_revoked" in problem


def test_default_privilege_mistakes_are_located(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, {"policies/defaults.yaml": """
        default_privileges:
          tenant:
            - {kind: tables, to: "{tenant_role}", privileges: [select]}
            - {kind: sequences, to: readers, privileges: [execute]}
        """})
    assert problem.startswith("policies/defaults.yaml:4:")
    assert "'execute' is not a privilege on sequences" in problem


def test_lint_knows_the_roles_of_policies(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p", {"policies/roles.yaml": ROLES,
                                         "schema/tenant/notes.yaml": """
        tables:
          notes:
            comment: Notes
            row_level_security: forced
            columns:
              id: {type: bigint, identity: always, primary_key: true}
            policies:
              mine: {roles: [readers, t_acme], using: "true"}
              theirs: {roles: [strangers], using: "true"}
        """})
    main(["lint", "--root", str(root), "--select", "ZS302"])
    out, _ = capsys.readouterr()
    assert "strangers" in out
    assert "'readers'" not in out and "t_acme" not in out


def test_validate_counts_the_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(REPO)]) == 0
    out, _ = capsys.readouterr()
    assert ("policies: 3 roles, tenant roles tenant_<slug>, 13 grant rules,"
            " functions.public_execute security_definer_revoked") in out
