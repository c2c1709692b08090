"""Connect factories core derives for a driver that has only one API path.

:meth:`DriverSpec.async_only <coodie.plugins.spec.DriverSpec.async_only>` gives an
asyncio-only driver a sync factory: the async factory runs on a new background event loop,
which the driver (an :class:`~coodie.drivers.AsyncOnlyDriver`) then owns.
:meth:`DriverSpec.sync_only <coodie.plugins.spec.DriverSpec.sync_only>` gives a
blocking-only driver an async factory: the sync factory runs in a worker thread, so the
caller's loop is never blocked while connecting.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from coodie.drivers.async_only import AsyncOnlyDriver, run_on_own_loop
from coodie.exceptions import PluginLoadError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from coodie.connect import ConnectOptions
    from coodie.drivers.base import AbstractDriver

__all__ = ["async_via_thread", "sync_via_own_loop"]


def sync_via_own_loop(
    name: str, connect_async: Callable[[ConnectOptions], Awaitable[AbstractDriver]]
) -> Callable[[ConnectOptions], AbstractDriver]:
    """A sync factory running ``connect_async`` on a loop thread the driver then owns."""

    def connect(options: ConnectOptions) -> AbstractDriver:
        async def opener() -> AsyncOnlyDriver:
            driver = await connect_async(options)
            if isinstance(driver, AsyncOnlyDriver):
                return driver
            # Close what was opened on a loop that is about to stop, then refuse it.
            await driver.close_async()
            raise PluginLoadError(
                f"The {name} driver is declared with DriverSpec.async_only, so core bridges "
                f"its sync path, but its connect_async returned {type(driver).__name__}, not "
                "a coodie.drivers.AsyncOnlyDriver; report this to the plugin's authors."
            )

        return run_on_own_loop(opener, name)

    connect.__qualname__ = connect.__name__ = f"{name}_sync_via_own_loop"
    return connect


def async_via_thread(
    name: str, connect: Callable[[ConnectOptions], AbstractDriver]
) -> Callable[[ConnectOptions], Awaitable[AbstractDriver]]:
    """An async factory running the blocking ``connect`` in a worker thread."""

    async def connect_async(options: ConnectOptions) -> AbstractDriver:
        return await asyncio.to_thread(connect, options)

    connect_async.__qualname__ = connect_async.__name__ = f"{name}_async_via_thread"
    return connect_async
