"""Versioned SQL migration files (golang-migrate layout) generated from and checked against
the YAML: `infra/db/migrations/{system,tenant}/NNN_name.{up,down}.sql`."""

from .files import KINDS, MigrationFile, MigrationPair, scan, scan_all
from .generate import GenerateResult, generate
from .replay import ReplayError, replay
from .verify import VerifyResult, verify

__all__ = ["KINDS", "GenerateResult", "MigrationFile", "MigrationPair", "ReplayError",
           "VerifyResult", "generate", "replay", "scan", "scan_all", "verify"]
