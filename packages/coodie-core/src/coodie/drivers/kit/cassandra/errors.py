"""cassandra-driver's (and scylla-driver's) exceptions -> coodie's driver-neutral errors.

:data:`CASSANDRA_ERRORS` is the :class:`~coodie.drivers.kit.ErrorTable` of the ``cassandra``
import package, for any driver built on it.

cassandra-driver reports most server refusals wrapped: its default retry policy sends an
``Unavailable`` or an overloaded coordinator's answer to the next host, and when there is no
next host it raises ``NoHostAvailable`` holding each host's error. The wrapped errors are
looked at, so a single-node cluster answering "unavailable" is an :class:`UnavailableError`,
not a "no host" error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cassandra import (
    AuthenticationFailed,
    ConfigurationException,
    ConsistencyLevel,
    InvalidRequest,
    OperationTimedOut,
    ReadTimeout,
    Unauthorized,
    Unavailable,
    WriteTimeout,
)
from cassandra.cluster import NoHostAvailable
from cassandra.connection import ConnectionException
from cassandra.protocol import (
    BadCredentials,
    OverloadedErrorMessage,
    RequestValidationException,
)

from coodie.drivers.kit.errors import ErrorTable
from coodie.exceptions import (
    AuthenticationFailedError,
    ClientTimeoutError,
    DriverError,
    InvalidRequestError,
    NoHostAvailableError,
    OverloadedError,
    ReadTimeoutError,
    RequestTimeoutError,
    UnavailableError,
    WriteTimeoutError,
)

__all__ = ["CASSANDRA_ERRORS", "map_error"]

#: Refusals of the CQL itself: the same request fails the same way again.
_INVALID = (InvalidRequest, Unauthorized, ConfigurationException, RequestValidationException)
_AUTH = (AuthenticationFailed, BadCredentials)


def _level(value: Any) -> str | None:
    if value is None:
        return None
    return str(ConsistencyLevel.value_to_name.get(value, value))


def _replica_timeout(kind: type[RequestTimeoutError]) -> Any:
    """The coordinator's timeouts report the consistency level and the replica counts."""

    def build(exc: BaseException, message: str) -> DriverError:
        return kind(
            message,
            consistency=_level(getattr(exc, "consistency", None)),
            required=getattr(exc, "required_responses", None),
            received=getattr(exc, "received_responses", None),
        )

    return build


def _unavailable(exc: BaseException, message: str) -> DriverError:
    return UnavailableError(
        message,
        consistency=_level(getattr(exc, "consistency", None)),
        required=getattr(exc, "required_replicas", None),
        alive=getattr(exc, "alive_replicas", None),
    )


def _from_hosts(exc: BaseException, message: str) -> DriverError:
    """``NoHostAvailable``: an authentication failure on any host wins (every host would
    refuse the same credentials); else the hosts' one shared kind of error, if any."""
    reported = getattr(exc, "errors", None) or {}
    # A dict of host -> error, or (when no connection was even tried) a list of hosts.
    hosts = dict(reported) if isinstance(reported, Mapping) else dict.fromkeys(reported)
    errors = {
        str(host): "no error reported" if e is None else f"{type(e).__name__}: {e}"
        for host, e in hosts.items()
    }
    inner = [e for e in hosts.values() if isinstance(e, BaseException)]
    if any(isinstance(e, _AUTH) for e in inner):
        return AuthenticationFailedError(message)
    # A client timeout while connecting means "no host answered", not a request timeout.
    mapped = [
        None if isinstance(e, OperationTimedOut) else _HOST_ERRORS.lookup(e, message) for e in inner
    ]
    if mapped and len(inner) == len(hosts):
        kinds = {type(m) for m in mapped}
        first = mapped[0]
        if first is not None and len(kinds) == 1:
            return first
    return NoHostAvailableError(message, errors=errors)


#: What one host's error becomes (also inside ``NoHostAvailable``).
_HOST_ROWS: list[tuple[Any, Any]] = [
    (WriteTimeout, _replica_timeout(WriteTimeoutError)),
    (ReadTimeout, _replica_timeout(ReadTimeoutError)),
    (Unavailable, _unavailable),
    (OperationTimedOut, ClientTimeoutError),
    (OverloadedErrorMessage, OverloadedError),
    (_AUTH, AuthenticationFailedError),
    (_INVALID, InvalidRequestError),
]
_HOST_ERRORS = ErrorTable("cassandra-driver", _HOST_ROWS)

#: The table for every error cassandra-driver raises to its caller.
CASSANDRA_ERRORS = ErrorTable(
    "cassandra-driver",
    [
        (NoHostAvailable, _from_hosts),
        (ConnectionException, NoHostAvailableError),
        *_HOST_ROWS,
    ],
)


def map_error(exc: BaseException, message: str) -> DriverError:
    """The :class:`DriverError` (subclass) to raise for ``exc``; the caller chains it."""
    return CASSANDRA_ERRORS.wrap(exc, message)
