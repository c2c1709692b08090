"""The connecting part of the driver conformance suite: a driver translates core's
:class:`~coodie.connect.ConnectOptions` record faithfully, through both ``init_coodie``
functions (``coodie.sync`` and ``coodie.aio``).

Each test opens its own connections through ``init_coodie(driver_type=<the driver's name>)``
and closes them. It needs, besides the suite's ``driver`` fixture, the node's contact points:
:meth:`ConnectConformance.conformance_contact_points` takes pytest-coodie's
``coodie_contact_points`` when that plugin is installed, else ``COODIE_TEST_HOSTS``;
override it to point elsewhere. :class:`~coodie.testing.conformance.DriverConformanceSuite`
includes these tests.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from coodie import connections
from coodie.connect import (
    CONNECT_CAPABILITIES,
    DEFAULT_PORT,
    Capability,
    ContactPoint,
    parse_contact_points,
)
from coodie.drivers.statement import BatchStatement, BatchType, Consistency, Statement
from coodie.exceptions import ConfigurationError, DriverError
from coodie.plugins.registry import get_registry
from coodie.testing.connect_tools import (
    PROBE,
    ApiCalls,
    eventually,
    fail_fast,
    node_connections,
    own_threads,
)
from coodie.testing.forwarder import DelayedForwarder

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.drivers.base import AbstractDriver
    from coodie.plugins.spec import DriverSpec

__all__ = ["ConnectConformance"]


class ConnectConformance:
    """Needs the ``driver`` fixture of ``DriverConformanceSuite`` (for its keyspace and name)."""

    @pytest.fixture
    def conformance_contact_points(self, request: pytest.FixtureRequest) -> list[str]:
        """The node's contact points: pytest-coodie's, else COODIE_TEST_HOSTS."""
        if request.config.pluginmanager.hasplugin("coodie"):
            points: list[str] = request.getfixturevalue("coodie_contact_points")
            return points
        env = os.environ.get("COODIE_TEST_HOSTS", "")
        points = [host.strip() for host in env.split(",") if host.strip()]
        if not points:
            pytest.skip("set COODIE_TEST_HOSTS or override conformance_contact_points")
        return points

    @pytest.fixture
    def driver_spec(self, driver: AbstractDriver) -> DriverSpec:
        """The installed plugin's record for the driver under test (found by its name)."""
        return get_registry().resolve(driver.name)

    @pytest.fixture
    def node(self, conformance_contact_points: list[str]) -> ContactPoint:
        """The first contact point of the node the suite connects to."""
        return parse_contact_points(conformance_contact_points, DEFAULT_PORT)[0]

    @pytest.fixture
    def closed_port(self) -> Iterator[int]:
        """A port bound here but not listening: connecting to it is refused at once."""
        with socket.socket() as sock:
            sock.bind(("", 0))
            yield sock.getsockname()[1]

    @pytest.fixture(params=["sync", "aio"])
    def api(self, request: pytest.FixtureRequest) -> ApiCalls:
        """Each public API in turn: coodie.sync and coodie.aio."""
        return ApiCalls(request.param)

    @pytest.fixture
    def unsatisfiable_keyspace(self, driver: AbstractDriver) -> Iterator[str]:
        """A keyspace replicated to more nodes than the cluster has, with a table ``t``:
        requests at ALL (and Paxos at SERIAL) cannot be satisfied there, ONE can."""
        assert driver.keyspace
        nodes = 1 + len(driver.execute(Statement("SELECT peer FROM system.peers")).rows)
        name = f"{driver.keyspace[:40]}_over_rf"
        driver.execute(
            Statement(
                f"CREATE KEYSPACE IF NOT EXISTS {name} WITH replication = {{'class': "
                f"'SimpleStrategy', 'replication_factor': {2 * nodes + 1}}}",
                prepare=False,
            )
        )
        driver.execute(
            Statement(
                f"CREATE TABLE IF NOT EXISTS {name}.t (k int PRIMARY KEY, v int)", prepare=False
            )
        )
        yield name
        driver.execute(Statement(f"DROP KEYSPACE IF EXISTS {name}", prepare=False))

    # -- contact points ------------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_connects_through_a_host_port_contact_point(
        self, api: ApiCalls, driver_spec: DriverSpec, node: ContactPoint, closed_port: int
    ) -> None:
        """``hosts=['host:port']`` reaches the node on that port, and only there: a driver
        that drops the port of a contact point connects to its default port instead, so
        fails the first half for a node elsewhere and the second half for one on 9042."""
        await api.probe(driver_spec, hosts=[str(node)])
        closed = str(replace(node, port=closed_port))
        with pytest.raises(DriverError):
            await api.probe(driver_spec, hosts=[closed], **fail_fast(driver_spec))

    @pytest.mark.asyncio
    async def test_connects_through_the_port_option(
        self, api: ApiCalls, driver_spec: DriverSpec, node: ContactPoint, closed_port: int
    ) -> None:
        """``hosts=['host'], port=N`` reaches the node on N; a driver ignoring ``port=``
        connects to 9042 (see the host:port test for how that fails)."""
        await api.probe(driver_spec, hosts=[node.host], port=node.port)
        options = fail_fast(driver_spec)
        with pytest.raises(DriverError):
            await api.probe(driver_spec, hosts=[node.host], port=closed_port, **options)

    @pytest.mark.asyncio
    async def test_per_host_ports_are_honoured(
        self, api: ApiCalls, driver_spec: DriverSpec, node: ContactPoint, closed_port: int
    ) -> None:
        """Declared PER_HOST_PORTS: with the node listed second, on its own port, and
        ``port=`` a closed one, a driver that uses one port for every host (``port=`` or the
        first host's) finds nothing listening and fails to connect."""
        if Capability.PER_HOST_PORTS not in driver_spec.capabilities:
            pytest.skip("the driver does not declare per-host ports (refusal tested elsewhere)")
        hosts = [str(replace(node, port=closed_port)), str(node)]
        await api.probe(driver_spec, hosts=hosts, port=closed_port)

    @pytest.mark.asyncio
    async def test_local_dc_is_honoured(
        self, api: ApiCalls, driver: AbstractDriver, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        """Declared LOCAL_DC: requests reach the node with its own data centre as the local
        one and none with a data centre that does not exist; a driver ignoring ``local_dc=``
        runs the second request too."""
        if Capability.LOCAL_DC not in driver_spec.capabilities:
            pytest.skip("the driver does not declare local_dc= (refusal tested elsewhere)")
        page = driver.execute(Statement("SELECT data_center FROM system.local", prepare=False))
        local_dc = page.rows[0][0]
        await api.probe(driver_spec, hosts=[str(node)], local_dc=local_dc)
        nowhere = f"{local_dc}_conformance_nowhere"
        with pytest.raises(DriverError):
            await api.probe(
                driver_spec, hosts=[str(node)], local_dc=nowhere, **fail_fast(driver_spec)
            )

    # -- keyspace ------------------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_missing_keyspace_fails_and_leaves_nothing_open(
        self, api: ApiCalls, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        """A keyspace that does not exist fails ``init_coodie`` with ConfigurationError naming
        it, registers no connection, and leaves no connection to the node, thread or task
        behind. A driver that connects anyway (the first query would fail later) or raises
        its client's error fails the ``raises``; one that forgets to close what it opened
        fails the checks after it (connections are looked up in /proc where it exists)."""
        missing = f"conformance_missing_{uuid.uuid4().hex[:8]}"
        await asyncio.to_thread(lambda: None)  # start the executor's thread beforehand
        sockets, threads = node_connections(node.port), own_threads()
        tasks = asyncio.all_tasks()
        known = set(connections.names())
        with pytest.raises(ConfigurationError, match=missing):
            await api.init(driver_spec, "conformance-missing", hosts=[str(node)], keyspace=missing)
        assert set(connections.names()) == known
        assert not await eventually(lambda: own_threads() - threads), "threads left running"
        assert not await eventually(lambda: asyncio.all_tasks() - tasks), "tasks left running"
        if sockets is not None:
            left = await eventually(lambda: (node_connections(node.port) or set()) - sockets)
            assert not left, f"{len(left)} connection(s) to the node left open"

    @pytest.mark.asyncio
    async def test_statements_use_the_keyspace_given(
        self, api: ApiCalls, driver: AbstractDriver, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        """Unqualified table names resolve in ``keyspace=``: a driver that does not bind its
        session to it fails the insert ("no keyspace has been specified")."""
        keyspace = driver.keyspace
        assert keyspace
        table = f"conformance_ks_{uuid.uuid4().hex[:8]}"
        driver.execute(
            Statement(f"CREATE TABLE {keyspace}.{table} (k int PRIMARY KEY)", prepare=False)
        )
        try:
            async with api.connected(driver_spec, hosts=[str(node)], keyspace=keyspace) as new:
                assert new.keyspace == keyspace
                await api.execute(new, Statement(f"INSERT INTO {table} (k) VALUES (?)", [7]))
            page = driver.execute(Statement(f"SELECT k FROM {keyspace}.{table}", prepare=False))
            assert [tuple(row) for row in page.rows] == [(7,)]
        finally:
            driver.execute(Statement(f"DROP TABLE IF EXISTS {keyspace}.{table}", prepare=False))

    # -- request defaults ----------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_default_consistency_reaches_requests(
        self,
        api: ApiCalls,
        driver_spec: DriverSpec,
        node: ContactPoint,
        unsatisfiable_keyspace: str,
    ) -> None:
        """``consistency=ALL`` where the keyspace has more replicas than nodes: statements and
        batches that set no consistency are refused (Unavailable), one at ONE runs. A driver
        ignoring the record's default runs at its client's default (ONE or LOCAL_ONE), so
        the first two succeed."""
        if Capability.CONSISTENCY not in driver_spec.capabilities:
            pytest.skip("the driver does not declare consistency= (refusal tested elsewhere)")
        insert = f"INSERT INTO {unsatisfiable_keyspace}.t (k, v) VALUES (?, ?)"
        async with api.connected(driver_spec, hosts=[str(node)], consistency="ALL") as new:
            with pytest.raises(DriverError):
                await api.execute(new, Statement(insert, [1, 1]))
            with pytest.raises(DriverError):
                await api.execute(
                    new, BatchStatement([Statement(insert, [2, 2])], BatchType.UNLOGGED)
                )
            await api.execute(new, Statement(insert, [3, 3], consistency=Consistency.ONE))

    @pytest.mark.asyncio
    async def test_request_timeout_reaches_requests(
        self, api: ApiCalls, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        """``request_timeout=0.3`` through a forwarder that is then paused: the request
        cannot be answered, so the client gives up after about that long; a driver ignoring
        the record's timeout waits for its client's default (10 s or more). Once resumed, a
        request with its own ``timeout=`` runs on the same connection."""
        if Capability.REQUEST_TIMEOUT not in driver_spec.capabilities:
            pytest.skip("the driver does not declare request_timeout= (refusal tested elsewhere)")
        with DelayedForwarder((node.host, node.port)) as forwarder:
            hosts = [f"127.0.0.1:{forwarder.port}"]
            async with api.connected(driver_spec, hosts=hosts, request_timeout=0.3) as new:
                forwarder.pause()
                try:
                    started = time.monotonic()
                    with pytest.raises(DriverError) as info:
                        await api.execute(new, PROBE)
                    took = time.monotonic() - started
                finally:
                    forwarder.resume()
                assert 0.2 <= took < 5, f"timed out after {took:.2f} s, not about 0.3 s"
                words = str(info.value).lower().replace(" ", "")
                assert "timedout" in words or "timeout" in words, info.value
                await api.execute(new, Statement(PROBE.cql, prepare=False, timeout=60.0))

    # -- capabilities --------------------------------------------------------------------

    @pytest.mark.asyncio
    async def test_undeclared_capabilities_are_refused_before_the_factory_runs(
        self,
        api: ApiCalls,
        driver_spec: DriverSpec,
        node: ContactPoint,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Each option the spec does not declare is refused by core with ConfigurationError
        naming the driver, and the driver's factory is never called (a spec declaring a
        capability its driver cannot honour is caught by that capability's own test)."""
        undeclared = [c for c in CONNECT_CAPABILITIES if c not in driver_spec.capabilities]
        if not undeclared:
            pytest.skip(f"{driver_spec.name} declares every connect capability")
        called: list[object] = []

        def factory(options: object) -> Any:
            called.append(options)
            raise AssertionError("the factory ran for an option core must refuse")

        async def factory_async(options: object) -> Any:
            return factory(options)

        spy = replace(driver_spec, connect=factory, connect_async=factory_async)
        monkeypatch.setattr(get_registry(), "resolve", lambda name: spy)
        for capability in undeclared:
            options = _uses(capability, node)
            with pytest.raises(ConfigurationError, match=f"The {driver_spec.name} driver"):
                await api.init(driver_spec, "conformance-refused", **options)
        assert called == []


def _uses(capability: Capability, node: ContactPoint) -> dict[str, Any]:
    """``init_coodie`` keyword arguments that need ``capability`` (and nothing else)."""
    hosts = {"hosts": [str(node)]}
    session = {"session": object()}
    uses: dict[Capability, dict[str, Any]] = {
        Capability.PER_HOST_PORTS: {
            "hosts": [str(node), str(replace(node, port=node.port % 65535 + 1))]
        },
        Capability.EXISTING_SESSION: session,
        Capability.SESSION_DEFAULTS: {**session, "request_timeout": 5.0},
        Capability.CREDENTIALS: {**hosts, "username": "u", "password": "p"},
        Capability.SSL_CONTEXT: {**hosts, "ssl_context": ssl.create_default_context()},
        Capability.LOCAL_DC: {**hosts, "local_dc": "dc1"},
        Capability.PROTOCOL_VERSION: {**hosts, "protocol_version": 4},
        Capability.CONSISTENCY: {**hosts, "consistency": "ONE"},
        Capability.SERIAL_CONSISTENCY: {**hosts, "serial_consistency": "SERIAL"},
        Capability.CONNECT_TIMEOUT: {**hosts, "connect_timeout": 5.0},
        Capability.REQUEST_TIMEOUT: {**hosts, "request_timeout": 5.0},
    }
    return uses[capability]
