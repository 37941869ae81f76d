"""Catalog digests: one cheap server-side hash per tenant schema, to share introspections.

sql/digests.sql hashes, per schema, the catalog rows the introspection, the grants and the
tenant role are made of, with the schema's own qualifier dropped exactly as
introspect/text.py's relativize drops it and the tenant role written as a placeholder.
Two schemas with equal digests therefore have equal models, equal relative grants and
equal tenant roles: the fleet introspects one of them and gives the others its
fingerprint. The fingerprint stays what users see and what the ledger records; the digest
only saves the reading. Schema or role names that need quoting are not digested (None):
those schemas are introspected as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..ident import quote_ident
from ..introspect.queries import load_query
from ..model.role import Role
from ..sqlfiles import read_sql
from .registry import Conn


def digestible(name: str) -> bool:
    """Return True when `name` prints unquoted, the only spelling the digest relativizes."""
    return quote_ident(name) == name


def _regex_name(name: str) -> str:
    # A plain identifier is [a-z_][a-z0-9_$]*: only `$` means something in a regex.
    return name.replace("$", "\\$")


def digests(conn: Conn, schemas: Sequence[str],
            roles: Mapping[str, Role | None]) -> dict[str, str | None]:
    """Return schema -> catalog digest; "absent" when it does not exist, None when skipped.

    `roles` gives each schema's tenant role as declared (None when it has none): its name
    and its declared comment (which may name the tenant) are written as placeholders.
    The read runs in a
    rolled-back transaction with introspect/sql/settings.sql, like the introspection, so
    texts print the same way.
    """
    names = [s for s in dict.fromkeys(schemas)
             if digestible(s) and digestible(_name(roles.get(s)) or s)]
    out: dict[str, str | None] = dict.fromkeys(schemas)
    present = {str(r[0]) for r in conn.execute(read_sql("zplus_schema.fleet", "present_schemas"),
                                               (list(schemas),)).fetchall()}
    for s in schemas:
        if s not in present:
            out[s] = "absent"
    names = [s for s in names if s in present]
    if not names:
        return out
    with conn.transaction(force_rollback=True):
        conn.execute(load_query("settings"))
        rows = conn.execute(read_sql("zplus_schema.fleet", "digests"), {
            "schemas": names, "roles": [_name(roles.get(s)) for s in names],
            "comments": [_comment(roles.get(s)) for s in names],
            "names": [_regex_name(s) for s in names]}).fetchall()
    for name, digest in rows:
        out[str(name)] = str(digest)
    return out


def _name(role: Role | None) -> str | None:
    return role.name if role else None


def _comment(role: Role | None) -> str | None:
    return role.comment if role else None
