"""cassandra-driver's exceptions become coodie's driver-neutral DriverError subclasses.

The exception objects are the client's own, built the way the client builds them; the node
tests (conformance suite, tests-integration/test_errors.py) check what a real node raises.
"""

from __future__ import annotations

from typing import Any

import pytest
from cassandra import (
    AlreadyExists,
    AuthenticationFailed,
    ConsistencyLevel,
    InvalidRequest,
    OperationTimedOut,
    ReadTimeout,
    Unauthorized,
    Unavailable,
    WriteTimeout,
    WriteType,
)
from cassandra.cluster import NoHostAvailable
from cassandra.connection import ConnectionShutdown
from cassandra.protocol import OverloadedErrorMessage, SyntaxException

from coodie.drivers import Statement
from coodie.drivers.kit.cassandra.errors import map_error
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
from coodie_driver_cassandra.requests import driver_error

TWO = ConsistencyLevel.TWO


def _unavailable() -> Unavailable:
    return Unavailable("Cannot achieve consistency level TWO", TWO, 2, 1)


def _write_timeout() -> WriteTimeout:
    return WriteTimeout(
        "w", consistency=TWO, required_responses=2, received_responses=1,
        write_type=WriteType.SIMPLE,
    )  # fmt: skip


def _read_timeout() -> ReadTimeout:
    return ReadTimeout(
        "r", consistency=TWO, required_responses=2, received_responses=1, data_retrieved=False
    )


def _overloaded() -> OverloadedErrorMessage:
    return OverloadedErrorMessage(0x1001, "Server is overloaded", None)


@pytest.mark.parametrize(
    ("client_error", "kind", "maybe_applied", "retryable"),
    [
        (_write_timeout(), WriteTimeoutError, True, True),
        (_read_timeout(), ReadTimeoutError, False, True),
        (OperationTimedOut({"h": "Client request timeout"}), ClientTimeoutError, True, True),
        (_unavailable(), UnavailableError, False, True),
        (_overloaded(), OverloadedError, False, True),
        (AuthenticationFailed("Bad credentials"), AuthenticationFailedError, False, False),
        (InvalidRequest("table nope does not exist"), InvalidRequestError, False, False),
        (SyntaxException(0x2000, "line 1:0 no viable alternative", None), InvalidRequestError,
         False, False),
        (Unauthorized("no SELECT permission"), InvalidRequestError, False, False),
        (AlreadyExists(keyspace="ks", table="t"), InvalidRequestError, False, False),
        (ConnectionShutdown("Connection to h was closed"), NoHostAvailableError, False, True),
        (NoHostAvailable("Unable to connect to any servers", {"h": ConnectionRefusedError(111)}),
         NoHostAvailableError, False, True),
        (RuntimeError("something else"), DriverError, True, False),
    ],
)  # fmt: skip
def test_each_client_error_has_its_coodie_type(
    client_error: BaseException, kind: type[DriverError], maybe_applied: bool, retryable: bool
) -> None:
    error = map_error(client_error, "message")
    assert type(error) is kind
    assert str(error) == "message"
    assert error.maybe_applied is maybe_applied
    assert error.retryable is retryable


def test_timeouts_and_unavailable_carry_what_the_server_reported() -> None:
    for timeout in (_write_timeout(), _read_timeout()):
        write = map_error(timeout, "m")
        assert isinstance(write, RequestTimeoutError)
        assert (write.consistency, write.required, write.received) == ("TWO", 2, 1)
    unavailable = map_error(_unavailable(), "m")
    assert isinstance(unavailable, UnavailableError)
    assert (unavailable.consistency, unavailable.required, unavailable.alive) == ("TWO", 2, 1)


def test_no_host_available_holding_one_kind_of_server_error_is_that_error() -> None:
    """The default retry policy moves an Unavailable (or overloaded) answer to the next host;
    with none left the client raises NoHostAvailable holding it."""
    wrapped = NoHostAvailable("Unable to complete the operation", {"h1": _unavailable()})
    error = map_error(wrapped, "m")
    assert isinstance(error, UnavailableError)
    assert error.alive == 1
    both = NoHostAvailable("x", {"h1": _overloaded(), "h2": _overloaded()})
    assert type(map_error(both, "m")) is OverloadedError


def test_no_host_available_with_an_authentication_failure_is_authentication_failed() -> None:
    wrapped = NoHostAvailable(
        "Unable to connect to any servers",
        {"h1": AuthenticationFailed("Failed to authenticate: Bad credentials"), "h2": OSError()},
    )
    error = map_error(wrapped, "m")
    assert type(error) is AuthenticationFailedError
    assert error.retryable is False


def test_no_host_available_with_mixed_or_timed_out_hosts_stays_no_host_available() -> None:
    mixed = NoHostAvailable("x", {"h1": _unavailable(), "h2": ConnectionRefusedError(111)})
    error = map_error(mixed, "m")
    assert type(error) is NoHostAvailableError
    assert set(error.errors) == {"h1", "h2"}
    assert "ConnectionRefusedError" in error.errors["h2"]
    timed_out = NoHostAvailable("x", {"h1": OperationTimedOut("connect timed out")})
    assert type(map_error(timed_out, "m")) is NoHostAvailableError


def test_driver_error_names_the_statement_and_keeps_the_client_error() -> None:
    client_error = _unavailable()
    error = driver_error(client_error, Statement("INSERT INTO t (k) VALUES (?)", [1]))
    assert isinstance(error, UnavailableError)
    assert "'INSERT INTO t (k) VALUES (?)'" in str(error)
    assert "Unavailable" in str(error)


def test_execute_raises_the_mapped_error_with_the_client_error_as_cause(
    driver: Any, session: Any
) -> None:
    session.error = _unavailable()
    with pytest.raises(UnavailableError) as info:
        driver.execute(Statement("SELECT * FROM t"))
    assert info.value.__cause__ is session.error


async def test_execute_async_raises_the_mapped_error_with_the_client_error_as_cause(
    driver: Any, session: Any
) -> None:
    session.error = _write_timeout()
    with pytest.raises(WriteTimeoutError) as info:
        await driver.execute_async(Statement("INSERT INTO t (k) VALUES (?)", [1]))
    assert info.value.__cause__ is session.error


def test_no_host_available_listing_only_host_names_is_no_host_available() -> None:
    """Before any connection is tried (e.g. no host in the local data centre) the client
    lists the hosts without errors."""
    error = map_error(NoHostAvailable("Unable to connect to any servers", ["127.0.0.1"]), "m")
    assert type(error) is NoHostAvailableError
    assert error.errors == {"127.0.0.1": "no error reported"}
