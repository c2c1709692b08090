"""The part of the driver conformance suite that proves *how* a driver sends, not only what
comes back: ``execute_async`` must leave the event loop free while the node is slow.

A driver whose ``execute_async`` calls its blocking path (or prepares a statement blockingly
on the loop) returns correct rows, so only timing shows it: a heartbeat task ticks on the
loop while a paused forwarder holds the request, and must keep ticking. The forwarder is
resumed from another thread, so even a driver that blocks the loop ends in bounded time.

A driver whose sync path is core's bridge (no ``NATIVE_SYNC``) must refuse a sync call made
on the loop that owns its connection, sending nothing, instead of waiting for itself.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import TYPE_CHECKING

import pytest

from coodie.connect import Capability
from coodie.drivers.statement import Statement
from coodie.exceptions import BlockingCallOnLoopError
from coodie.testing.connect_tools import PROBE, ApiCalls
from coodie.testing.forwarder import DelayedForwarder

if TYPE_CHECKING:
    from coodie.connect import ContactPoint
    from coodie.plugins.spec import DriverSpec

__all__ = ["BehaviourConformance"]

#: How long the forwarder holds the request, and the heartbeat's period.
HOLD = 0.6
TICK = 0.01
#: Ticks a free loop manages during HOLD even on a loaded machine (a blocked one: 0 to 2).
MIN_TICKS = 10


class BehaviourConformance:
    """Needs the ``driver_spec`` and ``node`` fixtures of the connecting tests."""

    @pytest.mark.asyncio
    async def test_execute_async_leaves_the_event_loop_free(
        self, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        if not driver_spec.supports_async():
            pytest.skip(f"the {driver_spec.name} driver has no async path")
        # A text never sent before on this new connection: it is prepared while held too.
        statement = Statement(
            f"SELECT release_version FROM system.local WHERE key = ? /* {uuid.uuid4().hex} */",
            ["local"],
            timeout=15.0,
        )
        ticks = 0

        async def heartbeat() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(TICK)
                ticks += 1

        with DelayedForwarder((node.host, node.port)) as forwarder:
            hosts = [f"127.0.0.1:{forwarder.port}"]
            async with ApiCalls("aio").connected(driver_spec, hosts=hosts) as through:
                assert (await through.execute_async(PROBE)).rows
                forwarder.pause()
                release = threading.Timer(HOLD, forwarder.resume)
                beat = asyncio.create_task(heartbeat())
                release.start()
                try:
                    page = await asyncio.wait_for(through.execute_async(statement), 20)
                finally:
                    beat.cancel()
                    release.cancel()
                    forwarder.resume()
        assert len(page.rows) == 1
        assert ticks >= MIN_TICKS, (
            f"the event loop ticked {ticks} times while the node held a request for {HOLD} s "
            f"(every {TICK} s it should have): execute_async blocks the loop, e.g. by calling "
            "the blocking execute or preparing synchronously"
        )

    @pytest.mark.asyncio
    async def test_a_bridged_sync_call_on_the_owning_loop_is_refused(
        self, driver_spec: DriverSpec, node: ContactPoint
    ) -> None:
        if Capability.NATIVE_SYNC in driver_spec.capabilities or not driver_spec.supports_async():
            pytest.skip(f"the {driver_spec.name} driver's sync path is its own")
        hosts = [f"{node.host}:{node.port}"]
        async with ApiCalls("aio").connected(driver_spec, hosts=hosts) as driver:
            with pytest.raises(BlockingCallOnLoopError):
                driver.execute(PROBE)
            assert (await driver.execute_async(PROBE)).rows  # still usable
            assert (await asyncio.to_thread(driver.execute, PROBE)).rows  # from a thread
