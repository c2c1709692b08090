"""acsylla's exceptions become coodie's driver-neutral DriverError subclasses; coodie's
defaults for schema changes, paging and retries.

The exception objects are acsylla's own; the node tests (conformance suite,
tests-integration/test_errors.py) check what a real node raises.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

acsylla = pytest.importorskip("acsylla")

from acsylla import errors  # noqa: E402

from coodie.connect import DEFAULT_DDL_TIMEOUT, build_connect_options  # noqa: E402
from coodie.drivers import Statement  # noqa: E402
from coodie.exceptions import (  # noqa: E402
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
from coodie_driver_acsylla.driver import _build_kwargs  # noqa: E402
from coodie_driver_acsylla.errors import KINDS, map_error  # noqa: E402
from coodie_driver_acsylla.requests import DEFAULT_PAGE_SIZE, RequestBuilder  # noqa: E402


@pytest.mark.parametrize(
    ("name", "kind", "maybe_applied", "retryable"),
    [
        ("CassErrorServerWriteTimeout", WriteTimeoutError, True, True),
        ("CassErrorServerReadTimeout", ReadTimeoutError, False, True),
        ("CassErrorLibRequestTimedOut", ClientTimeoutError, True, True),
        ("CassErrorServerUnavailable", UnavailableError, False, True),
        ("CassErrorServerOverloaded", OverloadedError, False, True),
        ("CassErrorLibRequestQueueFull", OverloadedError, False, True),
        ("CassErrorLibNoHostsAvailable", NoHostAvailableError, False, True),
        ("CassErrorServerBadCredentials", AuthenticationFailedError, False, False),
        ("CassErrorServerInvalidQuery", InvalidRequestError, False, False),
        ("CassErrorServerSyntaxError", InvalidRequestError, False, False),
        ("CassErrorServerUnauthorized", InvalidRequestError, False, False),
        ("CassErrorServerWriteFailure", DriverError, True, False),
    ],
)
def test_each_acsylla_error_has_its_coodie_type(
    name: str, kind: type[DriverError], maybe_applied: bool, retryable: bool
) -> None:
    client_error = getattr(errors, name)("from acsylla")
    error = map_error(client_error, "message")
    assert type(error) is kind
    assert str(error) == "message"
    assert (error.maybe_applied, error.retryable) == (maybe_applied, retryable)


def test_every_mapped_name_is_an_acsylla_exception() -> None:
    """A typo in the table would silently leave that error a plain DriverError."""
    for name in KINDS:
        assert inspect.isclass(getattr(errors, name, None)), name


class _Native:
    """Records what the driver sets on an acsylla statement."""

    def __init__(self) -> None:
        self.calls: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return lambda value: self.calls.__setitem__(name, value)


class _Builder(RequestBuilder):
    def __init__(self) -> None:
        self._levels = {}
        self._ddl_timeout = DEFAULT_DDL_TIMEOUT


def test_schema_changes_get_the_ddl_timeout_and_others_keep_theirs() -> None:
    builder = _Builder()
    ddl = builder._options(
        _Native(), Statement("CREATE TABLE t (k int PRIMARY KEY)", prepare=False)
    )
    assert ddl.calls["set_timeout"] == DEFAULT_DDL_TIMEOUT
    own = builder._options(_Native(), Statement("DROP TABLE t", prepare=False, timeout=2))
    assert own.calls["set_timeout"] == 2
    select = builder._options(_Native(), Statement("SELECT * FROM t", prepare=False))
    assert "set_timeout" not in select.calls


def test_statements_page_by_default() -> None:
    """Without a page size acsylla answers a SELECT with one page of every row."""
    builder = _Builder()
    assert builder._options(_Native(), Statement("SELECT * FROM t")).calls["set_page_size"] == (
        DEFAULT_PAGE_SIZE
    )
    paged = builder._options(_Native(), Statement("SELECT * FROM t", fetch_size=7))
    assert paged.calls["set_page_size"] == 7


def test_cluster_defaults_retry_policy_and_schema_wait() -> None:
    kwargs = _build_kwargs(acsylla, build_connect_options("h", None, None, {}))
    assert kwargs["retry_policy"] == "fallthrough"
    assert kwargs["max_schema_wait_time_ms"] == int(DEFAULT_DDL_TIMEOUT * 1000)
    own = {"retry_policy": "default", "max_schema_wait_time_ms": 500}
    kwargs = _build_kwargs(acsylla, build_connect_options("h", None, None, own))
    assert (kwargs["retry_policy"], kwargs["max_schema_wait_time_ms"]) == ("default", 500)
