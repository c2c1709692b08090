"""acsylla's exceptions -> coodie's driver-neutral :class:`DriverError` subclasses.

acsylla raises one class per C++ driver error code (``CassErrorServerUnavailable``, ...).
They are matched by name, along the exception's class hierarchy, so this module needs no
acsylla import and keeps working with versions that add classes. acsylla's exceptions carry
only a message: consistency / replica counts are left unset.
"""

from __future__ import annotations

from coodie.drivers.kit import ErrorTable
from coodie.exceptions import (
    AuthenticationFailedError,
    ClientTimeoutError,
    DriverError,
    InvalidRequestError,
    NoHostAvailableError,
    OverloadedError,
    ReadTimeoutError,
    UnavailableError,
    WriteTimeoutError,
)

__all__ = ["ACSYLLA_ERRORS", "KINDS", "map_error"]

#: acsylla class name -> the coodie error it becomes.
KINDS: dict[str, type[DriverError]] = {
    "CassErrorServerWriteTimeout": WriteTimeoutError,
    "CassErrorServerReadTimeout": ReadTimeoutError,
    "CassErrorLibRequestTimedOut": ClientTimeoutError,
    "CassErrorServerUnavailable": UnavailableError,
    "CassErrorServerOverloaded": OverloadedError,
    # The client's own queue is full: nothing was sent; back off as for an overloaded node.
    "CassErrorLibRequestQueueFull": OverloadedError,
    "CassErrorLibNoHostsAvailable": NoHostAvailableError,
    "CassErrorLibUnableToConnect": NoHostAvailableError,
    "CassExceptionConnectionError": NoHostAvailableError,
    "CassErrorServerBadCredentials": AuthenticationFailedError,
    "CassErrorServerInvalidQuery": InvalidRequestError,
    "CassErrorServerSyntaxError": InvalidRequestError,
    "CassErrorServerUnauthorized": InvalidRequestError,
    "CassErrorServerConfigError": InvalidRequestError,
    "CassErrorServerAlreadyExists": InvalidRequestError,
    "CassExceptionInvalidQuery": InvalidRequestError,
    "CassExceptionSyntaxError": InvalidRequestError,
}


#: The table core's ErrorTable applies (class names, matched along the exception's MRO).
ACSYLLA_ERRORS = ErrorTable("acsylla", KINDS.items())


def map_error(exc: BaseException, message: str) -> DriverError:
    """The :class:`DriverError` (subclass) to raise for ``exc``; the caller chains it."""
    return ACSYLLA_ERRORS.wrap(exc, message)
