"""The ``coodie`` entry point of this distribution: registers the ``acsylla`` driver.

Nothing here imports acsylla; the factories do when they are called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.plugins.hookspecs import hookimpl
from coodie.plugins.spec import DriverSpec

if TYPE_CHECKING:
    from coodie_driver_acsylla.driver import AcsyllaDriver


def connect(**options: Any) -> AcsyllaDriver:
    from coodie_driver_acsylla.driver import connect as _connect

    return _connect(**options)


async def connect_async(**options: Any) -> AcsyllaDriver:
    from coodie_driver_acsylla.driver import connect_async as _connect_async

    return await _connect_async(**options)


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    return [
        DriverSpec(
            name="acsylla",
            connect=connect,
            connect_async=connect_async,
            description="acsylla: native asyncio over the C++ driver (Cassandra, ScyllaDB)",
        )
    ]
