"""coodie-core's own plugin: it provides the ``recording`` driver (see RecordingDriver).

It is registered through the same ``coodie`` entry-point group as every driver plugin, so it
also serves as the smallest example of one.
"""

from __future__ import annotations

from typing import Any

from coodie.plugins.hookspecs import hookimpl
from coodie.plugins.spec import DriverSpec
from coodie.testing.recording import RecordingDriver


def connect(
    *, hosts: Any = None, session: Any = None, keyspace: str | None = None, **_: Any
) -> RecordingDriver:
    return RecordingDriver(keyspace=keyspace)


async def connect_async(**options: Any) -> RecordingDriver:
    return connect(**options)


@hookimpl
def coodie_drivers() -> list[DriverSpec]:
    return [
        DriverSpec(
            name="recording",
            connect=connect,
            connect_async=connect_async,
            description="in-memory driver that records statements (coodie.testing)",
        )
    ]
