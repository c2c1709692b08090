"""Core's bridges: an async-only driver gets a sync path, a sync-only driver an async path."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from typing import Any

import pytest

from coodie import connections
from coodie.connect import ALL_CAPABILITIES, Capability
from coodie.drivers import (
    AsyncOnlyDriver,
    BatchStatement,
    ResultPage,
    Statement,
    SyncOnlyDriver,
    run_on_own_loop,
    run_on_own_loop_async,
)
from coodie.exceptions import BlockingCallOnLoopError, DriverError, PluginLoadError
from coodie.plugins import DriverRegistry, DriverSpec, hookimpl
from coodie.plugins.registry import lacking
from coodie.testing import RecordingDriver

QUERY = Statement("SELECT v FROM t WHERE k = ?", [1])


class AsyncRecordingDriver(AsyncOnlyDriver):
    """An asyncio-only client: records each statement with the loop that ran it."""

    name = "async-recording"

    def __init__(self) -> None:
        self.recorder = RecordingDriver()
        self.loops: list[asyncio.AbstractEventLoop] = []
        self.closed_on: list[asyncio.AbstractEventLoop] = []
        self.close_workers: list[threading.Thread] = []
        self.abandoned = 0

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        self.loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0)
        return self.recorder.execute(statement)

    async def close_async(self) -> None:
        self.closed_on.append(asyncio.get_running_loop())
        # as a client whose close blocks would: a worker of the home loop's default executor
        self.close_workers.append(await asyncio.to_thread(threading.current_thread))

    def release_abandoned(self) -> None:
        self.abandoned += 1


class BlockingRecordingDriver(SyncOnlyDriver):
    """A blocking-only client: each request takes ``delay`` seconds of a worker's time."""

    name = "blocking-recording"
    async_workers = 2

    def __init__(self, delay: float = 0.0) -> None:
        self.recorder = RecordingDriver()
        self.delay = delay
        self.threads: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.close_calls = 0
        self._lock = threading.Lock()

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        with self._lock:
            self.threads.append(threading.current_thread().name)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            time.sleep(self.delay)
            return self.recorder.execute(statement)
        finally:
            with self._lock:
                self.in_flight -= 1

    def close(self) -> None:
        self.close_calls += 1


async def open_here() -> AsyncRecordingDriver:
    return AsyncRecordingDriver()


def owned() -> AsyncRecordingDriver:
    return run_on_own_loop(open_here, "test-bridge")


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("test-bridge-loop")]


# -- async-only drivers: the sync path -------------------------------------------------------


def test_sync_calls_run_on_the_drivers_own_loop_thread() -> None:
    driver = owned()
    try:
        assert driver.owns_loop
        home = driver.home_loop
        assert home is not None
        assert home.is_running()
        driver.execute(QUERY)
        assert driver.recorder.cql == [QUERY.cql]
        assert driver.loops == [home]
        assert driver.execute_many(iter([QUERY, QUERY, QUERY]), 2) == 3
        assert driver.loops == [home] * 4
    finally:
        driver.close()
    assert driver.closed_on == [home]
    assert home.is_closed()
    assert loop_threads() == []
    assert not driver.close_workers[0].is_alive()  # the loop's executor was joined too


def test_the_sync_path_is_usable_from_several_threads() -> None:
    driver = owned()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                driver.execute(QUERY)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    driver.close()
    assert errors == []
    assert len(driver.recorder.cql) == 160
    assert set(driver.loops) == {driver.home_loop}


def test_execute_async_from_another_loop_runs_on_the_home_loop() -> None:
    driver = owned()
    try:
        page = asyncio.run(driver.execute_async(QUERY))
        assert isinstance(page, ResultPage)
        assert driver.loops == [driver.home_loop]
    finally:
        driver.close()


async def test_a_sync_call_on_the_loop_owning_the_connection_is_refused() -> None:
    driver = AsyncRecordingDriver()  # created on this loop: it is the home loop
    assert driver.home_loop is asyncio.get_running_loop()
    assert not driver.owns_loop
    with pytest.raises(BlockingCallOnLoopError, match="inside the event loop that owns"):
        driver.execute(QUERY)
    with pytest.raises(BlockingCallOnLoopError, match="async-recording"):
        driver.execute_many([QUERY], 1)
    assert driver.recorder.cql == []  # nothing was sent
    await driver.execute_async(QUERY)  # the native path, directly
    await asyncio.to_thread(driver.execute, QUERY)  # another thread may block on it
    assert driver.loops == [asyncio.get_running_loop()] * 2
    await driver.close_async()
    assert driver.closed
    assert driver.closed_on == [asyncio.get_running_loop()]
    with pytest.raises(DriverError, match="closed"):
        await driver.execute_async(QUERY)


async def test_a_sync_close_on_the_home_loop_closes_in_the_background() -> None:
    driver = AsyncRecordingDriver()
    driver.close()
    assert driver.closed
    await asyncio.sleep(0)
    assert driver.closed_on == [asyncio.get_running_loop()]


def test_a_driver_whose_loop_ended_says_so() -> None:
    driver = asyncio.run(open_here())
    with pytest.raises(DriverError, match="no longer running"):
        driver.execute(QUERY)
    with pytest.raises(DriverError, match="no longer running"):
        asyncio.run(driver.execute_async(QUERY))
    driver.close()
    driver.close()
    assert driver.abandoned == 1
    assert driver.recorder.cql == []


def test_a_closed_driver_refuses_and_close_is_idempotent() -> None:
    driver = owned()
    driver.close()
    driver.close()
    assert len(driver.closed_on) == 1
    with pytest.raises(DriverError, match="closed"):
        driver.execute(QUERY)
    with pytest.raises(DriverError, match="closed"):
        asyncio.run(driver.execute_async(QUERY))


async def test_close_async_from_another_loop_stops_the_owned_thread() -> None:
    driver = await run_on_own_loop_async(open_here, "test-bridge")
    assert driver.home_loop is not asyncio.get_running_loop()
    await driver.execute_async(QUERY)
    await driver.close_async()
    assert driver.closed_on == [driver.home_loop]
    assert loop_threads() == []


def test_an_unclosed_driver_that_is_collected_stops_its_thread() -> None:
    driver = owned()
    driver.execute(QUERY)
    del driver
    gc.collect()
    for _ in range(100):
        if not loop_threads():
            break
        time.sleep(0.01)
    assert loop_threads() == []


def test_an_opener_that_fails_leaves_no_thread() -> None:
    async def failing() -> AsyncRecordingDriver:
        raise DriverError("could not connect")

    with pytest.raises(DriverError, match="could not connect"):
        run_on_own_loop(failing, "test-bridge")
    assert loop_threads() == []


# -- sync-only drivers: the async path ---------------------------------------------------------


async def test_execute_async_runs_in_a_worker_and_leaves_the_loop_free() -> None:
    driver = BlockingRecordingDriver(delay=0.2)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.ensure_future(heartbeat())
    try:
        await driver.execute_async(QUERY)
    finally:
        beat.cancel()
    assert ticks >= 5  # the loop kept running while the request blocked a worker
    assert driver.threads[0].startswith("coodie-blocking-recording")
    await driver.close_async()


async def test_requests_in_flight_are_bounded_by_the_pool() -> None:
    driver = BlockingRecordingDriver(delay=0.05)
    await asyncio.gather(*(driver.execute_async(QUERY) for _ in range(6)))
    assert driver.most_in_flight == 2
    assert await driver.execute_many_async(iter([QUERY] * 5), 4) == 5
    assert driver.most_in_flight == 2
    assert len(driver.recorder.cql) == 11
    await driver.close_async()


async def test_a_cancelled_request_that_had_not_started_is_never_sent() -> None:
    driver = BlockingRecordingDriver(delay=0.2)
    driver_slots = [asyncio.ensure_future(driver.execute_async(QUERY)) for _ in range(2)]
    waiting = asyncio.ensure_future(driver.execute_async(Statement("SELECT later")))
    await asyncio.sleep(0.05)  # both workers busy, the third request queued
    waiting.cancel()
    await asyncio.gather(*driver_slots)
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await asyncio.sleep(0.3)
    assert "SELECT later" not in driver.recorder.cql
    await driver.close_async()


async def test_close_stops_the_workers_and_refuses_later_requests() -> None:
    driver = BlockingRecordingDriver()
    await driver.execute_async(QUERY)
    assert any(t.name.startswith("coodie-blocking-recording") for t in threading.enumerate())
    driver.close()
    assert driver.closed
    assert driver.close_calls == 1
    assert not any(t.name.startswith("coodie-blocking-recording") for t in threading.enumerate())
    with pytest.raises(DriverError, match="closed"):
        await driver.execute_async(QUERY)


# -- declaring it: DriverSpec.async_only / sync_only ---------------------------------------------


class Plugin:
    def __init__(self, spec: DriverSpec) -> None:
        self.spec = spec

    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [self.spec]


@pytest.fixture
def clean_default_connection() -> Any:
    previous = connections.unregister_driver()
    yield
    connections.unregister_driver()
    if previous is not None:
        connections.register_driver(previous)


async def connect_async_only(options: Any) -> AsyncRecordingDriver:
    return AsyncRecordingDriver()


def connect_sync_only(options: Any) -> BlockingRecordingDriver:
    return BlockingRecordingDriver()


SPECS = {
    "async-only": DriverSpec.async_only(
        "bridged", connect_async_only, capabilities=ALL_CAPABILITIES
    ),
    "sync-only": DriverSpec.sync_only("bridged", connect_sync_only, capabilities=ALL_CAPABILITIES),
}


@pytest.mark.parametrize("kind", sorted(SPECS))
async def test_a_driver_with_one_path_serves_both_apis(
    api: Any, registry: DriverRegistry, clean_default_connection: None, kind: str
) -> None:
    registry.register(Plugin(SPECS[kind]), "bridged")
    driver = await api(api.module.init_coodie(hosts=["h"], driver_type="bridged"))
    try:
        await api(api.module.execute(QUERY))
        assert driver.recorder.cql == [QUERY.cql]
        if kind == "async-only":
            # the sync API opens it on a loop thread of its own; aio on the running loop
            assert driver.owns_loop is (not api.is_async)
    finally:
        await api(api.module.close_coodie())
    assert driver.closed
    assert loop_threads() == []


def test_the_capability_flags_say_which_path_is_native(registry: DriverRegistry) -> None:
    async_only, sync_only = SPECS["async-only"], SPECS["sync-only"]
    assert Capability.NATIVE_ASYNC in async_only.capabilities
    assert Capability.NATIVE_SYNC not in async_only.capabilities
    assert Capability.NATIVE_SYNC in sync_only.capabilities
    assert Capability.NATIVE_ASYNC not in sync_only.capabilities
    assert async_only.supports_sync()
    assert sync_only.supports_async()
    assert lacking(async_only) == [Capability.NATIVE_SYNC.value]
    assert lacking(sync_only) == [Capability.NATIVE_ASYNC.value]


def test_bridging_the_sync_path_needs_an_async_only_driver() -> None:
    async def connect_async(options: Any) -> RecordingDriver:
        return RecordingDriver()

    spec = DriverSpec.async_only("plain", connect_async)
    assert spec.connect is not None
    with pytest.raises(PluginLoadError, match="AsyncOnlyDriver"):
        spec.connect(None)  # type: ignore[arg-type]
    assert not [t for t in threading.enumerate() if t.name.startswith("plain-loop")]
