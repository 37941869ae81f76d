"""Provide local PostgreSQL servers: a throwaway cluster for tests and the embedded default."""

from zplus_schema.server.throwaway import ServerError, ThrowawayServer, find_pg_bin

__all__ = ["ServerError", "ThrowawayServer", "find_pg_bin"]
