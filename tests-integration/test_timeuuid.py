"""Time-UUID ranges (``MinTimeUUID`` / ``MaxTimeUUID``) on a timeuuid clustering column
against the real node: the rows of a time window, bounds included or not."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import pytest

from coodie import ClusteringKey, MaxTimeUUID, MinTimeUUID, PrimaryKey, TimeUUID

pytestmark = pytest.mark.integration

BASE = dt.datetime(2026, 3, 1, 12, 0, 0)


def time_uuid(at: dt.datetime) -> uuid.UUID:
    """A version-1 UUID of ``at`` (naive UTC), with a random node so they differ."""
    epoch = dt.datetime(1582, 10, 15)
    ticks = int((at - epoch) / dt.timedelta(microseconds=1)) * 10
    low, mid, high = ticks & 0xFFFFFFFF, (ticks >> 32) & 0xFFFF, (ticks >> 48) & 0x0FFF
    tail = uuid.uuid4().int & ((1 << 64) - 1)
    tail = (tail & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    return uuid.UUID(int=(low << 96) | (mid << 80) | ((0x1000 | high) << 64) | tail)


def event_model(api: Any) -> Any:
    class Event(api.Document):
        stream: Annotated[str, PrimaryKey()]
        at: Annotated[uuid.UUID, ClusteringKey(), TimeUUID()]
        minute: int = 0

        Settings = api.settings(name=api.table("tu_event"))

    return Event


async def test_rows_of_a_time_window(api: Any, cleanup: list[Any]) -> None:
    Event = event_model(api)
    await api(Event.sync_table())
    cleanup.append(Event)
    for minute in range(6):
        at = BASE + dt.timedelta(minutes=minute)
        await api(Event(stream="s", at=time_uuid(at), minute=minute).save())
    start, end = BASE + dt.timedelta(minutes=1), BASE + dt.timedelta(minutes=4)

    async def minutes(**window: Any) -> list[int]:
        return [e.minute for e in await api(Event.find(stream="s", **window).all())]

    assert await minutes(at__gte=MinTimeUUID(start), at__lt=MinTimeUUID(end)) == [1, 2, 3]
    assert await minutes(at__gt=MaxTimeUUID(start), at__lte=MaxTimeUUID(end)) == [2, 3, 4]
    assert await minutes(at__gte=MinTimeUUID(start), at__lte=MaxTimeUUID(end)) == [1, 2, 3, 4]
    count = await api(Event.find(stream="s", at__gt=MaxTimeUUID(end)).count())
    assert count == 1
