"""acsylla's async factory alone, declared with DriverSpec.async_only: core's sync factory
and bridge make a working sync driver against the node (several threads, clean close)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest

import coodie.aio
import coodie.sync
from coodie.drivers import Statement
from coodie.plugins import DriverRegistry, DriverSpec, hookimpl
from coodie.plugins.registry import set_registry
from coodie_driver_acsylla.driver import AcsyllaDriver
from coodie_driver_acsylla.plugin import CAPABILITIES, connect_async

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.integration

QUERY = Statement("SELECT release_version FROM system.local")
NAME = "acsylla-core-bridged"


class Plugin:
    @hookimpl
    def coodie_drivers(self) -> list[DriverSpec]:
        return [DriverSpec.async_only(NAME, connect_async, capabilities=CAPABILITIES)]


@pytest.fixture
def bridged() -> Iterator[None]:
    registry = DriverRegistry(entry_points=list)
    registry.register(Plugin(), NAME)
    previous = set_registry(registry)
    yield
    set_registry(previous)


def bridge_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(f"{NAME}-loop")]


def test_the_sync_api_through_core_factory_and_bridge(
    bridged: None, acsylla_hosts: list[str]
) -> None:
    driver = coodie.sync.init_coodie(hosts=acsylla_hosts, driver_type=NAME, name=NAME)
    try:
        assert isinstance(driver, AcsyllaDriver)
        assert driver.owns_loop
        assert len(bridge_threads()) == 1
        rows: list[object] = []

        def worker() -> None:
            for _ in range(5):
                rows.append(driver.execute(QUERY).rows[0][0])

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(rows) == 30
    finally:
        coodie.sync.close_coodie(NAME)
    assert driver.closed
    assert bridge_threads() == []


async def test_the_async_api_stays_native(bridged: None, acsylla_hosts: list[str]) -> None:
    driver = await coodie.aio.init_coodie(hosts=acsylla_hosts, driver_type=NAME, name=NAME)
    try:
        assert isinstance(driver, AcsyllaDriver)
        assert not driver.owns_loop  # the calling loop is the home loop: no thread
        assert bridge_threads() == []
        assert (await driver.execute_async(QUERY)).rows
    finally:
        await coodie.aio.close_coodie(NAME)
    assert driver.closed
