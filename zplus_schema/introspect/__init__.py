"""pg_catalog -> model: read live schemas into the same SchemaModel the YAML loads into.

One query per object kind for all requested schemas (sql/<kind>.sql, one module per kind);
text the server renders is made relative to each object's own schema, so two schemas built
from the same definitions give equal models (the very same frozen objects, built once).
"""

from .core import QUERIES, READERS, Introspected, introspect
from .found import Unmanaged
from .text import relativize

__all__ = ["QUERIES", "READERS", "Introspected", "Unmanaged", "introspect", "relativize"]
