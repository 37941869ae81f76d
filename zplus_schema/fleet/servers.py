"""Servers of the fleet, from `zplus.yaml`: names, and where their credentials come from.

A tenant's row in `tenant_schemas` names its server in `database_host`; that name is
looked up here. Passwords never live in YAML: a server's connection comes from an
environment variable holding a libpq DSN, a libpq service (pg_service.conf + pgpass), or
host/port/dbname/user fields with the password from an environment variable or pgpass.
Without a `zplus.yaml`, the fleet is one server named `localhost` (the column's default)
reached through `--dsn` / `ZPLUS_DSN`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg.conninfo
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError, Location, Problem, ZplusError
from ..load.yamlsrc import SourceDoc, read_yaml

CONFIG_FILE = "zplus.yaml"
DEFAULT_SERVER = "localhost"


class _ServerSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dsn_env: str | None = Field(None, description="environment variable holding a libpq DSN")
    service: str | None = Field(None, description="libpq service name (pg_service.conf)")
    host: str | None = None
    port: int | None = None
    dbname: str | None = None
    user: str | None = None
    password_env: str | None = Field(None, description="environment variable with the password")
    sslmode: str | None = None


class _ConfigSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    registry: str = Field(DEFAULT_SERVER, description="the server holding the system schema")
    servers: dict[str, _ServerSpec]


@dataclass(frozen=True)
class Server:
    """One PostgreSQL server (database) of the fleet and how to connect to it."""

    name: str
    conninfo: str  # may carry a password taken from the environment: never print it

    def describe(self) -> str:
        """Return `name (host:port/dbname)` without credentials, for messages."""
        try:
            parts = psycopg.conninfo.conninfo_to_dict(self.conninfo)
        except psycopg.ProgrammingError:
            return self.name
        where = f"{parts.get('host') or 'local'}:{parts.get('port') or 5432}"
        if parts.get("service"):
            where = f"service={parts['service']}"
        return f"{self.name} ({where}/{parts.get('dbname') or ''})"


@dataclass(frozen=True)
class FleetConfig:
    """The servers of the fleet and which one holds the registry (the system schema)."""

    registry: str
    servers: dict[str, Server]

    def server(self, name: str) -> Server:
        """Return the server called `name`, or fail with the names that exist."""
        try:
            return self.servers[name]
        except KeyError:
            known = ", ".join(sorted(self.servers)) or "none"
            raise ZplusError(f"unknown server {name!r}",
                             hint=f"servers in {CONFIG_FILE}: {known}") from None

    @property
    def registry_server(self) -> Server:
        """Return the server that holds the system schema and the tenant registry."""
        return self.server(self.registry)


def load_config(root: Path, dsn: str | None, config: Path | None = None) -> FleetConfig:
    """Read `zplus.yaml` (or `config`) under the project root; fall back to one server.

    `dsn` (from --dsn / ZPLUS_DSN), when given, is the registry server's connection and
    overrides what the file says for it, so one-off runs need no file edit.
    """
    file = config or root / CONFIG_FILE
    if not file.exists():
        if config is not None:
            raise ZplusError(f"{file}: no such file", hint="pass an existing --config file")
        if not dsn:
            raise ZplusError("no server to connect to",
                             hint=f"pass --dsn, set ZPLUS_DSN, or write {CONFIG_FILE}")
        return FleetConfig(DEFAULT_SERVER, {DEFAULT_SERVER: Server(DEFAULT_SERVER, dsn)})
    doc, problems = read_yaml(file)
    if doc is None or problems:
        raise InputError(problems)
    spec = _parse(doc)
    if spec.registry not in spec.servers:
        raise InputError([Problem(f"registry server {spec.registry!r} is not in servers",
                                  doc.location(("registry",)),
                                  hint="name one of the servers listed under servers:")])
    servers = {name: Server(name, dsn if dsn and name == spec.registry
                            else _conninfo(doc, name, s)) for name, s in spec.servers.items()}
    return FleetConfig(spec.registry, servers)


def _parse(doc: SourceDoc) -> _ConfigSpec:
    """Validate the document; report every problem with its line."""
    data: Any = doc.data
    if isinstance(data, dict):
        for name, value in (data.get("servers") or {}).items():
            if isinstance(value, dict) and "password" in value:
                raise InputError([Problem(
                    "passwords do not belong in zplus.yaml", doc.location(("servers", name,
                                                                           "password")),
                    obj=f"server {name}",
                    hint="use password_env: VAR, a libpq service with ~/.pgpass, or dsn_env")])
    try:
        return _ConfigSpec.model_validate(data)
    except ValidationError as exc:
        raise InputError([
            Problem(err["msg"], doc.location(tuple(err["loc"])),
                    obj=".".join(str(p) for p in err["loc"]) or None,
                    hint="see docs/fleet.md for the zplus.yaml format")
            for err in exc.errors()]) from None


def _conninfo(doc: SourceDoc, name: str, spec: _ServerSpec) -> str:
    """Build a libpq conninfo for one server from its environment, service or fields."""
    where: Location = doc.location(("servers", name))
    if spec.dsn_env:
        value = os.environ.get(spec.dsn_env)
        if not value:
            # Resolved lazily would hide the mistake until a run is half done: fail now.
            raise InputError([Problem(f"environment variable {spec.dsn_env} is not set",
                                      where, obj=f"server {name}",
                                      hint=f"export {spec.dsn_env}=postgresql://...")])
        return value
    fields: dict[str, Any] = {k: v for k, v in {
        "service": spec.service, "host": spec.host, "port": spec.port, "dbname": spec.dbname,
        "user": spec.user, "sslmode": spec.sslmode}.items() if v is not None}
    if spec.password_env:
        password = os.environ.get(spec.password_env)
        if password is None:
            raise InputError([Problem(f"environment variable {spec.password_env} is not set",
                                      where, obj=f"server {name}",
                                      hint="export it, or drop password_env to use ~/.pgpass")])
        fields["password"] = password
    if not fields:
        raise InputError([Problem("a server needs dsn_env, service or host/dbname", where,
                                  obj=f"server {name}")])
    return psycopg.conninfo.make_conninfo(**fields)
