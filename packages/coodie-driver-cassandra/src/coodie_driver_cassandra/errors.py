"""cassandra-driver's exceptions -> coodie's driver-neutral :class:`DriverError` subclasses.

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

__all__ = ["KINDS", "map_error"]

#: Refusals of the CQL itself: the same request fails the same way again.
_INVALID = (InvalidRequest, Unauthorized, ConfigurationException, RequestValidationException)

#: (client class(es), coodie class) of the errors that carry only their message, in order.
KINDS: tuple[tuple[type[Exception] | tuple[type[Exception], ...], type[DriverError]], ...] = (
    (OperationTimedOut, ClientTimeoutError),
    (OverloadedErrorMessage, OverloadedError),
    ((AuthenticationFailed, BadCredentials), AuthenticationFailedError),
    (_INVALID, InvalidRequestError),
)

#: The coordinator's timeouts, which report the consistency level and the replica counts.
_REPLICA_TIMEOUTS: tuple[tuple[type[Exception], type[RequestTimeoutError]], ...] = (
    (WriteTimeout, WriteTimeoutError),
    (ReadTimeout, ReadTimeoutError),
)


def _level(value: Any) -> str | None:
    if value is None:
        return None
    return str(ConsistencyLevel.value_to_name.get(value, value))


def _specific(exc: BaseException, message: str) -> DriverError | None:
    """The coodie error for one client exception, or None when no subclass fits."""
    for client, timeout in _REPLICA_TIMEOUTS:
        if isinstance(exc, client):
            return timeout(
                message,
                consistency=_level(getattr(exc, "consistency", None)),
                required=getattr(exc, "required_responses", None),
                received=getattr(exc, "received_responses", None),
            )
    if isinstance(exc, Unavailable):
        return UnavailableError(
            message,
            consistency=_level(exc.consistency),
            required=exc.required_replicas,
            alive=exc.alive_replicas,
        )
    for clients, kind in KINDS:
        if isinstance(exc, clients):
            return kind(message)
    return None


def _from_hosts(exc: NoHostAvailable, message: str) -> DriverError:
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
    if any(isinstance(e, (AuthenticationFailed, BadCredentials)) for e in inner):
        return AuthenticationFailedError(message)
    # A client timeout while connecting means "no host answered", not a request timeout.
    mapped = [None if isinstance(e, OperationTimedOut) else _specific(e, message) for e in inner]
    if mapped and len(inner) == len(hosts):
        kinds = {type(m) for m in mapped}
        first = mapped[0]
        if first is not None and len(kinds) == 1:
            return first
    return NoHostAvailableError(message, errors=errors)


def map_error(exc: BaseException, message: str) -> DriverError:
    """The :class:`DriverError` (subclass) to raise for ``exc``; the caller chains it."""
    if isinstance(exc, NoHostAvailable):
        return _from_hosts(exc, message)
    if isinstance(exc, ConnectionException):
        return NoHostAvailableError(message)
    return _specific(exc, message) or DriverError(message)
