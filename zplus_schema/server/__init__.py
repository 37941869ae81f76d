"""Provide local PostgreSQL servers: a throwaway cluster for tests and the embedded default."""

from zplus_schema.server.throwaway import (
    EMBEDDED,
    VERSION_ENV,
    ServerError,
    ThrowawayServer,
    find_pg_bin,
    requested_version,
)

__all__ = [
    "EMBEDDED",
    "VERSION_ENV",
    "ServerError",
    "ThrowawayServer",
    "find_pg_bin",
    "requested_version",
]
