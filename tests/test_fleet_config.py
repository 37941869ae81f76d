"""zplus.yaml: servers, where credentials come from, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from zplus_schema.errors import InputError, ZplusError
from zplus_schema.fleet import DEFAULT_SERVER, load_config


def test_without_a_file_the_dsn_is_the_one_server(tmp_path: Path) -> None:
    config = load_config(tmp_path, "postgresql://u@h/db")
    assert config.registry == DEFAULT_SERVER
    assert config.registry_server.conninfo == "postgresql://u@h/db"


def test_without_a_file_or_dsn_there_is_nothing_to_connect_to(tmp_path: Path) -> None:
    with pytest.raises(ZplusError, match="no server"):
        load_config(tmp_path, None)


def test_servers_from_env_service_and_fields(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAIN_DSN", "postgresql://main@db1/zplus")
    monkeypatch.setenv("EU_PW", "s3cret")
    (tmp_path / "zplus.yaml").write_text(
        "registry: main\n"
        "servers:\n"
        "  main: {dsn_env: MAIN_DSN}\n"
        "  eu: {service: zplus_eu}\n"
        "  us: {host: db3, port: 5433, dbname: zplus, user: app, password_env: EU_PW}\n")
    config = load_config(tmp_path, None)
    assert config.registry_server.conninfo == "postgresql://main@db1/zplus"
    assert config.server("eu").conninfo == "service=zplus_eu"
    us = config.server("us")
    assert "password=s3cret" in us.conninfo
    assert "s3cret" not in us.describe()
    assert us.describe() == "us (db3:5433/zplus)"


def test_a_password_in_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "zplus.yaml").write_text(
        "servers:\n  localhost:\n    host: h\n    password: hunter2\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path, None)
    text = info.value.render()
    assert "zplus.yaml:4" in text and "passwords do not belong" in text
    assert "hunter2" not in text


def test_an_unknown_key_and_a_missing_registry_are_located(tmp_path: Path) -> None:
    (tmp_path / "zplus.yaml").write_text("registry: nope\nservers:\n  a: {hots: h}\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path, None)
    assert "zplus.yaml:3" in info.value.render()
    (tmp_path / "zplus.yaml").write_text("registry: nope\nservers:\n  a: {host: h}\n")
    with pytest.raises(InputError, match="problem") as info:
        load_config(tmp_path, None)
    assert "zplus.yaml:1" in info.value.render()


def test_an_unset_environment_variable_is_named(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET_DSN", raising=False)
    (tmp_path / "zplus.yaml").write_text("servers:\n  localhost: {dsn_env: NOT_SET_DSN}\n")
    with pytest.raises(InputError) as info:
        load_config(tmp_path, None)
    assert "NOT_SET_DSN is not set" in info.value.render()
    with pytest.raises(ZplusError, match="unknown server 'x'"):
        load_config(tmp_path, "postgresql://h/db").server("x")
