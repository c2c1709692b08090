"""Validation of the per-write options: USING TTL and USING TIMESTAMP, and the request
options (consistency, serial consistency, timeout) a write or a query may carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from coodie.drivers.statement import Consistency, Statement
from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "MAX_TIMESTAMP",
    "MAX_TTL",
    "MIN_TIMESTAMP",
    "ConditionalOptions",
    "RequestOptions",
    "check_consistency",
    "check_serial_consistency",
    "check_timeout",
    "check_timestamp",
    "check_ttl",
    "hand_written",
    "request_options",
    "with_request_options",
]

MAX_TTL = 630_720_000  # 20 years, Cassandra's limit
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
#: An int timestamp is microseconds since the epoch between 2000-01-01 and 2200-01-01 (UTC):
#: a value in seconds or milliseconds falls below the range and is refused, not written as a
#: date in 1970 that every later write silently wins over.
MIN_TIMESTAMP = (dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc) - _EPOCH) // _MICROSECOND
MAX_TIMESTAMP = (dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc) - _EPOCH) // _MICROSECOND
_INT64 = 2**63


class RequestOptions(TypedDict, total=False):
    """The per-request options every write takes as keywords."""

    consistency: Consistency | str | None
    timeout: float | None


class ConditionalOptions(RequestOptions, total=False):
    """Options of a write that may be conditional (a lightweight transaction)."""

    serial_consistency: Consistency | str | None


_REQUEST = RequestOptions.__optional_keys__
_CONDITIONAL = ConditionalOptions.__optional_keys__


def check_ttl(ttl: Any, model: str) -> int:
    """``ttl`` if it is an int from 0 to MAX_TTL seconds, else InvalidQueryError."""
    if type(ttl) is not int or not 0 <= ttl <= MAX_TTL:
        raise InvalidQueryError(
            f"{model}: ttl={ttl!r} must be an int number of seconds from 0 to {MAX_TTL} "
            "(0 means the row never expires)."
        )
    return ttl


def check_timestamp(timestamp: Any, model: str) -> int:
    """USING TIMESTAMP takes microseconds since the epoch: an int in the plausible range
    (see ``MIN_TIMESTAMP``), or a datetime, converted (naive = UTC)."""
    if type(timestamp) is int:
        if MIN_TIMESTAMP <= timestamp < MAX_TIMESTAMP:
            return timestamp
        raise InvalidQueryError(
            f"{model}: timestamp={timestamp} is not microseconds since the epoch between "
            "2000-01-01 and 2200-01-01. A time in milliseconds? multiply by 1000 or pass a "
            "datetime (e.g. timestamp=datetime.now(timezone.utc))."
        )
    if isinstance(timestamp, dt.datetime):
        aware = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=dt.timezone.utc)
        micros = (aware - _EPOCH) // _MICROSECOND
        if -_INT64 <= micros < _INT64:  # always true for datetime's years 1-9999
            return micros
    raise InvalidQueryError(
        f"{model}: timestamp={timestamp!r} must be an int (microseconds since the epoch) or a "
        "datetime."
    )


def check_consistency(level: Any, what: str = "consistency") -> Consistency:
    """A consistency level given as a :class:`Consistency` or its name (any case)."""
    try:
        return Consistency(str(getattr(level, "value", level)).upper())
    except ValueError:
        names = ", ".join(c.value for c in Consistency)
        raise InvalidQueryError(f"Unknown {what} {level!r}; use one of {names}.") from None


def check_serial_consistency(level: Any) -> Consistency:
    """``level`` as a Consistency if it is SERIAL or LOCAL_SERIAL, else InvalidQueryError."""
    value = check_consistency(level, "serial consistency")
    if value not in (Consistency.SERIAL, Consistency.LOCAL_SERIAL):
        raise InvalidQueryError(
            f"serial consistency {level!r} must be SERIAL or LOCAL_SERIAL (it is the level of "
            "the Paxos round of a conditional write)."
        )
    return value


def check_timeout(seconds: Any, *, keyword: bool = False) -> float:
    """A positive number of seconds; ``keyword``: the error names ``timeout=`` rather than
    the QuerySet's ``timeout()``."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        where = f"timeout={seconds!r}" if keyword else f"timeout({seconds!r})"
        raise InvalidQueryError(f"{where} must be a positive number of seconds.")
    return float(seconds)


def with_request_options(
    statement: Statement,
    consistency: Any,
    timeout: Any,
    serial_consistency: Any = None,
    conditional: bool = True,
) -> Statement:
    """``statement`` carrying the checked per-call options (set only when given: statements
    built by the hot paths share the class-level defaults). ``serial_consistency`` is only
    for conditional writes (``conditional``)."""
    if consistency is not None:
        statement.consistency = check_consistency(consistency)
    if timeout is not None:
        statement.timeout = check_timeout(timeout, keyword=True)
    if serial_consistency is not None:
        if not conditional:
            raise InvalidQueryError(
                f"serial_consistency={serial_consistency!r} applies only to conditional "
                "writes (insert(), if_exists=, if_conditions=); drop it here."
            )
        statement.serial_consistency = check_serial_consistency(serial_consistency)
    return statement


def hand_written(
    statement: Statement | str, values: Sequence[Any], consistency: Any, timeout: Any
) -> Statement:
    """The Statement ``execute()`` runs: a Statement as given, or CQL text with its ``?``
    values and options (which a Statement carries itself)."""
    if isinstance(statement, Statement):
        if values or consistency is not None or timeout is not None:
            raise InvalidQueryError(
                "execute(Statement(...)) takes its values and options from the Statement; "
                "pass them to Statement(cql, values, consistency=..., timeout=...), or pass "
                "the CQL text instead: execute('SELECT ... WHERE k = ?', [k])."
            )
        return statement
    if not isinstance(statement, str):
        raise InvalidQueryError(
            f"execute() takes CQL text or a Statement, not {type(statement).__name__}."
        )
    if isinstance(values, (str, bytes, Mapping)) or not hasattr(values, "__iter__"):
        raise InvalidQueryError(
            f"execute(cql, values): values must be a list or tuple of the ? markers' values "
            f"in order, not {type(values).__name__}."
        )
    return with_request_options(Statement(statement, list(values)), consistency, timeout)


def request_options(
    statement: Statement,
    options: Mapping[str, Any],
    method: str,
    conditional: bool | None = None,
) -> Statement:
    """``statement`` with the ``**options`` a write method took, checked: ``consistency``
    and ``timeout``, and ``serial_consistency`` when the method may write conditionally
    (``conditional`` is not None; it says whether this statement is)."""
    allowed = _REQUEST if conditional is None else _CONDITIONAL
    unknown = options.keys() - allowed
    if unknown:
        raise InvalidQueryError(
            f"{method}() got unexpected keyword {', '.join(map(repr, sorted(unknown)))}; "
            f"its request options are {', '.join(sorted(allowed))}."
        )
    return with_request_options(
        statement,
        options.get("consistency"),
        options.get("timeout"),
        options.get("serial_consistency"),
        bool(conditional),
    )
