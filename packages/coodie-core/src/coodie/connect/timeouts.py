"""coodie's default deadlines: connecting, and schema changes (DDL).

Both are longer than the clients' own defaults on purpose: a node that a launcher reports
ready may still refuse or time out connections for a while on a loaded machine, and a schema
change waits for every node to agree on the new schema, which takes seconds under load.
"""

from __future__ import annotations

import re

__all__ = [
    "ATTEMPT_TIMEOUT",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_DDL_TIMEOUT",
    "ddl_timeout",
    "is_schema_change",
]

#: Seconds ``init_coodie`` keeps trying to connect when ``connect_timeout=`` is not given.
DEFAULT_CONNECT_TIMEOUT = 60.0

#: Seconds one connection attempt may take with the client's own timeout (both clients
#: default to 5 s): once less is left before the connect deadline, the attempt gets the time
#: left as its ``connect_timeout``, so the last one ends in time.
ATTEMPT_TIMEOUT = 10.0

#: Request timeout of schema changes (CREATE / ALTER / DROP / TRUNCATE) that set none, in
#: seconds, on a connection without ``request_timeout=`` (one given applies to them too).
#: Also how long drivers wait for schema agreement after one.
DEFAULT_DDL_TIMEOUT = 60.0

_SCHEMA_CHANGE = re.compile(r"\s*(CREATE|ALTER|DROP|TRUNCATE)\b", re.IGNORECASE)


def is_schema_change(cql: str) -> bool:
    """True for CQL that changes the schema (or truncates), which gets the DDL timeout."""
    return _SCHEMA_CHANGE.match(cql) is not None


def ddl_timeout(request_timeout: float | None) -> float:
    """The timeout of a schema change on a connection whose requests time out after
    ``request_timeout`` seconds (None: not given, the client's default for other requests)."""
    return DEFAULT_DDL_TIMEOUT if request_timeout is None else request_timeout
