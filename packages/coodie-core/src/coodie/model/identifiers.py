"""Validation and quoting of CQL identifiers (keyspaces, tables, columns, indexes).

Identifiers always come from model definitions, never from request data, and are checked
once when a schema is built; this module is the one place that decides how they are written.
"""

from __future__ import annotations

import re

from coodie.exceptions import SchemaError

__all__ = ["check_identifier", "quote"]

_VALID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BARE = re.compile(r"[a-z][a-z0-9_]*")
# Cassandra caps keyspace and table names at 48 characters (schema file names derive from them).
_MAX_NAME = {"keyspace": 48, "table": 48}

# CQL reserved words (a superset across Cassandra 4/5 and ScyllaDB). A bare identifier that is
# one of these would not parse, so it is double-quoted. Quoting a non-reserved word is harmless.
_RESERVED = frozenset(
    """
    add aggregate all allow alter and any apply as asc ascii authorize batch begin between
    bigint blob boolean by called clustering columnfamily compact contains counter create
    custom date decimal default delete desc describe distinct double drop duration entries
    execute exists false filtering finalfunc float from frozen full function functions
    grant if in index inet infinity initcond input insert int into is json key keys
    keyspace keyspaces language limit list login map materialized mbean mbeans modify nan
    norecursive nosuperuser not null of on options or order password per permission
    permissions primary rename replace returns revoke role roles schema select set sfunc
    smallint static storage stype superuser table text time timestamp timeuuid tinyint to
    token trigger true truncate ttl tuple type unlogged unset update use user users using uuid
    values varchar varint view where with writetime
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def check_identifier(name: str, kind: str, owner: str) -> str:
    """Return ``name`` if it is a valid CQL identifier of ``kind``, else raise SchemaError."""
    limit = _MAX_NAME.get(kind)
    if not isinstance(name, str) or not _VALID.fullmatch(name):
        raise SchemaError(
            f"{owner}: {kind} name {name!r} is not a valid CQL identifier. Use letters, digits "
            "and underscores, starting with a letter."
        )
    if limit is not None and len(name) > limit:
        raise SchemaError(
            f"{owner}: {kind} name {name!r} has {len(name)} characters; Cassandra allows at "
            f"most {limit}. Set a shorter name in Settings."
        )
    return name


def quote(name: str) -> str:
    """Write an already validated identifier for CQL, quoting it only where CQL needs it."""
    if _BARE.fullmatch(name) and name not in _RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'
