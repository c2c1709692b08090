"""What a statement does and to which table, read off its CQL text (for logs and spans).

coodie renders every statement itself, so the first keyword is the operation and the table
follows ``FROM`` / ``INTO`` / ``UPDATE``. The answer is cached per text: a model has a handful
of distinct statements, so the parsing runs once each.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["StatementInfo", "statement_info"]

_NAME = r'(?:"(?:[^"]|"")+"|\w+)'
_TARGET = re.compile(
    rf"^\s*(?:SELECT\b.*?\bFROM|INSERT\s+INTO|UPDATE|DELETE\b.*?\bFROM|TRUNCATE(?:\s+TABLE)?"
    rf"|(?:CREATE|ALTER|DROP)\s+(?:TABLE|TYPE|INDEX|MATERIALIZED\s+VIEW)"
    rf"(?:\s+IF\s+(?:NOT\s+)?EXISTS)?)\s+({_NAME})(?:\.({_NAME}))?",
    re.IGNORECASE | re.DOTALL,
)
_CACHE_LIMIT = 2048


class StatementInfo(NamedTuple):
    """What a statement's text names, for logging and tracing attributes."""

    #: The CQL keyword in upper case (``SELECT``, ``INSERT``, ...); ``BATCH`` for batches.
    operation: str
    #: The keyspace named in the text, if any (else the connection's applies).
    keyspace: str | None
    #: The table (or type, index, view) the statement acts on, if it names one.
    table: str | None


_cache: dict[str, StatementInfo] = {}


def _unquoted(name: str | None) -> str | None:
    if name is None or not name.startswith('"'):
        return name
    return name[1:-1].replace('""', '"')


def statement_info(cql: str) -> StatementInfo:
    """The operation, keyspace and table of ``cql`` (cached per text)."""
    info = _cache.get(cql)
    if info is not None:
        return info
    words = cql.split(None, 1)
    operation = words[0].upper() if words else ""
    match = _TARGET.match(cql)
    if match is None:
        info = StatementInfo(operation, None, None)
    elif match.group(2) is None:
        info = StatementInfo(operation, None, _unquoted(match.group(1)))
    else:
        info = StatementInfo(operation, _unquoted(match.group(1)), _unquoted(match.group(2)))
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()  # hand-written statements with literals must not grow it forever
    _cache[cql] = info
    return info
