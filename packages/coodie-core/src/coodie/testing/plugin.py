"""coodie-core's own plugin: it provides the ``recording`` driver (see RecordingDriver).

It is registered through the same ``coodie`` entry-point group as every driver plugin, so it
also serves as the smallest example of one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.connect import ALL_CAPABILITIES
from coodie.plugins.hookspecs import hookimpl
from coodie.plugins.spec import DriverSpec
from coodie.testing.recording import RecordingDriver

if TYPE_CHECKING:
    from coodie.connect import ConnectOptions


def connect(options: ConnectOptions) -> RecordingDriver:
    """Nothing to connect to: the record's keyspace is all a recording driver uses."""
    return RecordingDriver(keyspace=options.keyspace)


async def connect_async(options: ConnectOptions) -> RecordingDriver:
    """A RecordingDriver for the asyncio API (it does no I/O)."""
    return connect(options)


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    """The ``recording`` driver plugin."""
    return [
        DriverSpec(
            name="recording",
            connect=connect,
            connect_async=connect_async,
            description="in-memory driver that records statements (coodie.testing)",
            # Sends nothing anywhere, so every option is "honoured".
            capabilities=ALL_CAPABILITIES,
        )
    ]
