"""Adopt an existing database: read one schema and write it as idiomatic YAML definitions.

The written root validates and plans empty against the schema it came from, except for what
the summary lists as not imported (objects the model cannot hold, or options the YAML cannot
say).
"""

from .core import ImportOptions, ImportResult, import_schema, tenant_prefix
from .notes import Note
from .source import script_database
from .verify import verify_import

__all__ = ["ImportOptions", "ImportResult", "Note", "import_schema", "script_database",
           "tenant_prefix", "verify_import"]
