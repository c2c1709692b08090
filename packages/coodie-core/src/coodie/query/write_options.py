"""Validation of the per-write options USING TTL and USING TIMESTAMP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coodie.exceptions import InvalidQueryError

__all__ = ["MAX_TTL", "check_timestamp", "check_ttl"]

MAX_TTL = 630_720_000  # 20 years, Cassandra's limit
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def check_ttl(ttl: Any, model: str) -> int:
    if type(ttl) is not int or not 0 <= ttl <= MAX_TTL:
        raise InvalidQueryError(
            f"{model}: ttl={ttl!r} must be an int number of seconds from 0 to {MAX_TTL} "
            "(0 means the row never expires)."
        )
    return ttl


def check_timestamp(timestamp: Any, model: str) -> int:
    """USING TIMESTAMP takes microseconds since the epoch; datetimes are converted (naive = UTC)."""
    if type(timestamp) is int:
        return timestamp
    if isinstance(timestamp, dt.datetime):
        aware = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.timezone.utc)
        return (aware - _EPOCH) // dt.timedelta(microseconds=1)
    raise InvalidQueryError(
        f"{model}: timestamp={timestamp!r} must be an int (microseconds since the epoch) or a "
        "datetime."
    )
