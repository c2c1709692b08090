"""The error part of the driver conformance suite: a driver raises coodie's driver-neutral
:class:`~coodie.exceptions.DriverError` subclasses for what the node answers, with the
client's exception as ``__cause__``, from ``execute`` and ``execute_async`` alike.

What a single node can be made to answer is tested here: unavailable (consistency TWO on a
keyspace with one replica), a client-side timeout (a paused forwarder in front of the node
holds the request, so it cannot be answered in time), CQL the server refuses, nothing listening
(through both ``init_coodie`` functions, which try again until ``connect_timeout``). A wrong
password needs a node with ``PasswordAuthenticator`` (pytest-coodie's launcher starts one with
``python -m pytest_coodie start --auth``): its contact points come from
``COODIE_TEST_AUTH_HOSTS`` (or override :meth:`auth_contact_points`), else that test is
skipped, or fails when ``COODIE_REQUIRE_AUTH_NODE`` is set (as CI does). Write timeouts and
overloaded nodes cannot be produced on demand; the driver packages test their mapping with
the clients' own exception objects.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from coodie.connect import DEFAULT_PORT, parse_contact_points
from coodie.drivers.statement import Consistency, Statement
from coodie.exceptions import (
    AuthenticationFailedError,
    ConnectTimeoutError,
    DriverError,
    InvalidRequestError,
    RequestTimeoutError,
    UnavailableError,
)
from coodie.plugins.registry import get_registry
from coodie.testing.connect_tools import PROBE, ApiCalls
from coodie.testing.forwarder import DelayedForwarder, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.connect import ContactPoint
    from coodie.drivers.base import AbstractDriver

__all__ = ["ErrorConformance"]


async def _both(driver: AbstractDriver, statement: Statement) -> list[BaseException]:
    """What ``execute`` and ``execute_async`` each raise for ``statement``."""
    raised: list[BaseException] = []
    for name in ("execute", "execute_async"):
        try:
            if name == "execute":
                await asyncio.to_thread(driver.execute, statement)
            else:
                await driver.execute_async(statement)
        except Exception as error:
            raised.append(error)
        else:
            raise AssertionError(f"{name}({statement.cql!r}) did not fail")
    return raised


class ErrorConformance:
    """Needs the ``driver`` fixture of ``DriverConformanceSuite`` and ``node`` (the node's
    contact point) of its connecting tests."""

    @pytest.fixture
    def one_replica_table(self, driver: AbstractDriver) -> Iterator[str]:
        """``<keyspace>.t (k int PRIMARY KEY, v int)`` in a keyspace with one replica."""
        assert driver.keyspace
        keyspace = f"{driver.keyspace[:40]}_rf1"
        driver.execute(
            Statement(
                f"CREATE KEYSPACE IF NOT EXISTS {keyspace} WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                prepare=False,
            )
        )
        driver.execute(
            Statement(
                f"CREATE TABLE IF NOT EXISTS {keyspace}.t (k int PRIMARY KEY, v int)",
                prepare=False,
            )
        )
        yield f"{keyspace}.t"
        driver.execute(Statement(f"DROP KEYSPACE IF EXISTS {keyspace}", prepare=False))

    def auth_contact_points(self) -> list[str] | None:
        """Contact points of a node with PasswordAuthenticator and the default superuser
        ``cassandra``/``cassandra`` (None: skip that test): ``COODIE_TEST_AUTH_HOSTS``."""
        hosts = os.environ.get("COODIE_TEST_AUTH_HOSTS", "").strip()
        return [host.strip() for host in hosts.split(",") if host.strip()] or None

    def _auth_hosts(self) -> list[str]:
        hosts = self.auth_contact_points()
        if hosts:
            parse_contact_points(hosts, DEFAULT_PORT)
            return hosts
        if os.environ.get("COODIE_REQUIRE_AUTH_NODE"):
            pytest.fail("COODIE_REQUIRE_AUTH_NODE is set but COODIE_TEST_AUTH_HOSTS is not")
        pytest.skip("no node with PasswordAuthenticator (set COODIE_TEST_AUTH_HOSTS)")

    @pytest.mark.asyncio
    async def test_too_few_replicas_is_unavailable_error(
        self, driver: AbstractDriver, one_replica_table: str
    ) -> None:
        """TWO replicas asked of a keyspace that has one: refused before anything is written
        (``maybe_applied`` False), worth retrying once more replicas are up."""
        for cql, values in (
            (f"INSERT INTO {one_replica_table} (k, v) VALUES (?, ?)", [1, 1]),
            (f"SELECT v FROM {one_replica_table} WHERE k = ?", [1]),
        ):
            statement = Statement(cql, values, consistency=Consistency.TWO)
            for error in await _both(driver, statement):
                assert isinstance(error, UnavailableError), repr(error)
                assert error.maybe_applied is False
                assert error.retryable is True
                assert error.__cause__ is not None

    @pytest.mark.asyncio
    async def test_a_client_timeout_is_a_request_timeout_error(
        self, driver: AbstractDriver, node: ContactPoint
    ) -> None:
        """A node that does not answer (a paused forwarder in front of it): the client gives
        up after the statement's own ``timeout``, and whether the request ran is unknown
        (``maybe_applied``)."""
        spec = get_registry().resolve(driver.name)
        statement = Statement(PROBE.cql, prepare=False, timeout=0.3)
        with DelayedForwarder((node.host, node.port)) as forwarder:
            hosts = [f"127.0.0.1:{forwarder.port}"]
            async with ApiCalls("sync").connected(spec, hosts=hosts) as through:
                forwarder.pause()
                try:
                    started = time.monotonic()
                    raised = await _both(through, statement)
                    took = time.monotonic() - started
                finally:
                    forwarder.resume()
        assert took < 10, f"two 0.3 s timeouts took {took:.1f} s"
        for error in raised:
            assert isinstance(error, RequestTimeoutError), repr(error)
            assert error.retryable is True
            assert error.maybe_applied is True
            assert error.__cause__ is not None

    @pytest.mark.asyncio
    async def test_cql_the_server_refuses_is_invalid_request_error(
        self, driver: AbstractDriver
    ) -> None:
        missing = f"conformance_missing_{uuid.uuid4().hex[:8]}"
        for statement in (
            Statement(f"SELECT * FROM {missing} WHERE k = ?", [1]),  # refused when prepared
            Statement(f"SELECT * FROM {missing}", prepare=False),
            Statement("SELEC nonsense", prepare=False),
        ):
            for error in await _both(driver, statement):
                assert isinstance(error, InvalidRequestError), repr(error)
                assert (error.retryable, error.maybe_applied) == (False, False)
                assert error.__cause__ is not None

    @pytest.mark.asyncio
    @pytest.mark.parametrize("api", ["sync", "aio"])
    async def test_nothing_listening_fails_after_the_connect_deadline(
        self, driver: AbstractDriver, api: str
    ) -> None:
        """``init_coodie`` keeps trying until ``connect_timeout`` and then says so: the
        driver reports a refused connection as an error another attempt may fix."""
        spec = get_registry().resolve(driver.name)
        started = time.monotonic()
        with pytest.raises(ConnectTimeoutError) as info:
            await ApiCalls(api).init(
                spec, "conformance-nobody", hosts=[f"127.0.0.1:{free_port()}"], connect_timeout=1.5
            )
        took = time.monotonic() - started
        assert 1.5 <= took < 15, took
        assert info.value.attempts > 1
        assert "within connect_timeout=1.5 s" in str(info.value)
        assert isinstance(info.value.__cause__, DriverError)

    @pytest.mark.asyncio
    async def test_a_wrong_password_is_authentication_failed_error(
        self, driver: AbstractDriver
    ) -> None:
        """Refused (or missing) credentials fail at once (no retry until ``connect_timeout``) with
        :class:`AuthenticationFailedError`, through both APIs; the right ones connect, so
        the node really checks passwords."""
        hosts = self._auth_hosts()
        spec = get_registry().resolve(driver.name)
        wrong: dict[str, Any] = {"username": "cassandra", "password": "wrong-password"}
        for api in ("sync", "aio"):
            for options in (wrong, {}):  # a wrong password, and none at all
                started = time.monotonic()
                with pytest.raises(AuthenticationFailedError) as info:
                    await ApiCalls(api).init(
                        spec, "conformance-auth", hosts=hosts, connect_timeout=30, **options
                    )
                assert time.monotonic() - started < 20  # not retried until the deadline
                assert info.value.retryable is False
                assert info.value.maybe_applied is False
                assert info.value.__cause__ is not None
            await ApiCalls(api).probe(spec, hosts=hosts, username="cassandra", password="cassandra")
