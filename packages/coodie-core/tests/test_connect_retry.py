"""init_coodie keeps trying to connect until its connect deadline (coodie.connect.retry)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from coodie.connect import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DDL_TIMEOUT,
    build_connect_options,
    ddl_timeout,
    is_schema_change,
    retry,
)
from coodie.exceptions import (
    AuthenticationFailedError,
    ConfigurationError,
    ConnectTimeoutError,
    DriverError,
    InvalidRequestError,
    NoHostAvailableError,
)


class _Factory:
    """Fails ``failures`` times with ``error``, then connects; records each record."""

    def __init__(self, error: Exception, failures: int) -> None:
        self.error = error
        self.failures = failures
        self.records: list[Any] = []

    def __call__(self, record: Any) -> str:
        self.records.append(record)
        if len(self.records) <= self.failures:
            raise self.error
        return "driver"

    async def connect_async(self, record: Any) -> str:
        return self(record)


def _record(**options: Any) -> Any:
    return build_connect_options("127.0.0.1:9042", None, None, options)


@pytest.mark.parametrize(
    "error",
    [NoHostAvailableError("nobody listens"), DriverError("connection reset")],
)
def test_passing_failures_are_tried_again(error: Exception) -> None:
    factory = _Factory(error, failures=3)
    assert retry.connect(factory, _record(connect_timeout=30)) == "driver"
    assert len(factory.records) == 4
    assert factory.records[0] == _record(connect_timeout=30)  # the caller's record first


async def test_the_async_loop_tries_again_too() -> None:
    factory = _Factory(NoHostAvailableError("nobody listens"), failures=2)
    assert await retry.connect_async(factory.connect_async, _record()) == "driver"
    assert len(factory.records) == 3


@pytest.mark.parametrize(
    "error",
    [
        AuthenticationFailedError("bad credentials"),
        InvalidRequestError("bad CQL"),
        ConfigurationError("keyspace 'x' does not exist"),
        ValueError("a bug"),
    ],
)
def test_failures_another_attempt_cannot_fix_are_raised_at_once(error: Exception) -> None:
    factory = _Factory(error, failures=5)
    with pytest.raises(type(error)) as info:
        retry.connect(factory, _record(connect_timeout=30))
    assert info.value is error
    assert len(factory.records) == 1


def test_after_the_deadline_the_error_says_how_long_and_what_it_saw() -> None:
    cause = NoHostAvailableError("Connection refused", errors={"127.0.0.1:9042": "refused"})
    factory = _Factory(cause, failures=10**6)
    started = time.monotonic()
    with pytest.raises(ConnectTimeoutError) as info:
        retry.connect(factory, _record(connect_timeout=0.6))
    took = time.monotonic() - started
    error = info.value
    assert 0.6 <= took < 3
    assert error.__cause__ is cause
    assert error.attempts == len(factory.records) > 1
    assert error.waited >= 0.6
    assert error.errors == {"127.0.0.1:9042": "refused"}
    message = str(error)
    assert "127.0.0.1:9042" in message
    assert "connect_timeout=0.6 s" in message
    assert f"{error.attempts} attempts over" in message
    assert "NoHostAvailableError: Connection refused" in message
    assert isinstance(error, NoHostAvailableError)  # except NoHostAvailableError catches it


def test_near_the_deadline_an_attempt_gets_only_the_time_left() -> None:
    factory = _Factory(NoHostAvailableError("refused"), failures=10**6)
    with pytest.raises(ConnectTimeoutError):
        retry.connect(factory, _record(connect_timeout=0.5))
    later = [record.connect_timeout for record in factory.records[1:]]
    assert later
    assert all(0 < timeout <= 0.5 for timeout in later)
    factory = _Factory(NoHostAvailableError("refused"), failures=10**6)
    with pytest.raises(ConnectTimeoutError):
        retry.connect(factory, _record(connect_timeout=0.3), per_attempt_timeout=False)
    assert all(record.connect_timeout == 0.3 for record in factory.records)


def test_a_session_is_not_retried() -> None:
    factory = _Factory(NoHostAvailableError("x"), failures=1)
    record = build_connect_options(None, object(), None, {})
    with pytest.raises(NoHostAvailableError):
        retry.connect(factory, record)
    assert len(factory.records) == 1


def test_the_default_deadline_is_a_minute() -> None:
    attempts = retry.Attempts(_record(), per_attempt_timeout=True)
    assert attempts.deadline == DEFAULT_CONNECT_TIMEOUT == 60.0
    assert retry.Attempts(_record(connect_timeout=5), per_attempt_timeout=True).deadline == 5


def test_pauses_grow_and_stay_within_the_deadline() -> None:
    now = [0.0]
    attempts = retry.Attempts(
        _record(connect_timeout=10), per_attempt_timeout=True, clock=lambda: now[0]
    )
    pauses = [attempts.pause_after(NoHostAvailableError("x")) for _ in range(7)]
    assert pauses == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0]
    now[0] = 9.5
    assert attempts.pause_after(NoHostAvailableError("x")) == pytest.approx(0.5)


def test_schema_changes_are_recognised() -> None:
    for cql in (
        "CREATE TABLE t (k int PRIMARY KEY)",
        "  drop keyspace x",
        "ALTER TABLE t",
        "truncate t",
    ):
        assert is_schema_change(cql), cql
    for cql in ("SELECT * FROM t", "INSERT INTO created (k) VALUES (1)", "UPDATE t SET a=1"):
        assert not is_schema_change(cql), cql
    assert ddl_timeout(None) == DEFAULT_DDL_TIMEOUT == 60.0
    assert ddl_timeout(5) == 5.0  # the caller's request_timeout= wins
    assert ddl_timeout(120) == 120.0
