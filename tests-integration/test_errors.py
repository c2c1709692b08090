"""Every client failure has a driver-neutral type; connecting waits for a node that comes
late; streaming keeps memory flat. For both APIs and both drivers, against the real node."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
import uuid
from typing import Annotated, Any

import pytest

from coodie import (
    ClientTimeoutError,
    ClusteringKey,
    ConnectTimeoutError,
    Consistency,
    DriverError,
    InvalidRequestError,
    PrimaryKey,
    RequestTimeoutError,
    Statement,
    UnavailableError,
)
from coodie.connect import parse_contact_points
from coodie.testing.forwarder import DelayedForwarder, free_port

pytestmark = pytest.mark.integration


def reading_model(api: Any, table: str) -> Any:
    class Reading(api.Document):
        sensor: Annotated[str, PrimaryKey()]
        at: Annotated[int, ClusteringKey()]
        value: float = 0.0

        Settings = api.settings(name=table)

    return Reading


#: Rows streamed: N and 2N, in pages of PAGE rows.
ROWS = 12_000
PAGE = 1_000


def stream_model(api: Any) -> Any:
    """One table of ROWS rows per driver, shared by both APIs (filled once)."""

    class Streamed(api.Document):
        sensor: Annotated[str, PrimaryKey()]
        at: Annotated[int, ClusteringKey()]
        value: float = 0.0

        class Settings:
            keyspace = f"it_{api.driver_type}_sync"
            connection = api.connection
            name = "streamed_rows"

    return Streamed


async def filled_stream_table(api: Any) -> Any:
    Streamed = stream_model(api)
    await api(Streamed.sync_table())
    if await api(Streamed.find(sensor="s").count()) < ROWS:
        rows = (Streamed(sensor="s", at=i, value=float(i)) for i in range(ROWS))
        await api(Streamed.insert_many(rows, concurrency=64))
    return Streamed


async def test_too_few_replicas_is_unavailable(api: Any, cleanup: list[Any]) -> None:
    """The test keyspaces have one replica: TWO cannot be had, for reads and writes."""
    table = api.table("reading")
    Reading = reading_model(api, table)
    cleanup.append(Reading)
    await api(Reading.sync_table())
    with pytest.raises(UnavailableError) as read:
        await api(Reading.find(sensor="s").consistency(Consistency.TWO).all())
    assert read.value.maybe_applied is False
    assert read.value.retryable is True
    assert read.value.__cause__ is not None
    insert = Statement(
        f"INSERT INTO {api.keyspace}.{table} (sensor, at) VALUES (?, ?)",
        ["s", 1],
        consistency=Consistency.TWO,
    )
    with pytest.raises(UnavailableError) as write:
        await api(api.module.execute(insert, connection=api.connection))
    assert write.value.maybe_applied is False  # refused before any replica wrote it
    assert await api(Reading.find(sensor="s").all()) == []


async def test_a_client_timeout_is_a_request_timeout(api: Any) -> None:
    """A microsecond is too short for a page of 5,000 rows (acsylla's floor is 1 ms)."""
    Streamed = await filled_stream_table(api)
    with pytest.raises(RequestTimeoutError) as info:
        await api(Streamed.find(sensor="s").timeout(1e-6).all())
    assert isinstance(info.value, ClientTimeoutError)
    assert info.value.maybe_applied is True  # the client stopped waiting; the server may not
    assert info.value.retryable is True


async def test_cql_the_server_refuses_is_invalid_request(api: Any) -> None:
    for statement in (
        Statement("SELEC nonsense", prepare=False),
        Statement(f"SELECT * FROM {api.keyspace}.missing_{uuid.uuid4().hex[:8]} WHERE k = ?", [1]),
    ):
        with pytest.raises(InvalidRequestError) as info:
            await api(api.module.execute(statement, connection=api.connection))
        assert (info.value.maybe_applied, info.value.retryable) == (False, False)
        assert isinstance(info.value, DriverError)


async def _init(api: Any, name: str, **options: Any) -> Any:
    if api.kind == "sync":
        return await asyncio.to_thread(
            api.module.init_coodie, driver_type=api.driver_type, name=name, **options
        )
    return await api.module.init_coodie(driver_type=api.driver_type, name=name, **options)


async def _close(api: Any, name: str) -> None:
    if api.kind == "sync":
        await asyncio.to_thread(api.module.close_coodie, name)
    else:
        await api.module.close_coodie(name)


async def test_connecting_waits_for_a_node_that_appears_late(
    api: Any, coodie_contact_points: list[str]
) -> None:
    """Nothing listens on the port for 2 s (as while a node starts), then the node does:
    init_coodie keeps trying and connects, without the caller retrying."""
    node = parse_contact_points(coodie_contact_points, 9042)[0]
    name = f"late-{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    with DelayedForwarder((node.host, node.port), delay=2.0) as forwarder:
        driver = await _init(api, name, hosts=[f"127.0.0.1:{forwarder.port}"], connect_timeout=40)
        try:
            assert time.monotonic() - started >= 2.0
            probe = Statement("SELECT release_version FROM system.local", prepare=False)
            page = await api(api.module.execute(probe, connection=name))
            assert page.rows
            assert forwarder.accepted >= 1
        finally:
            await _close(api, name)
    assert driver.closed


async def test_connecting_to_nobody_gives_up_at_the_deadline_and_says_so(api: Any) -> None:
    port = free_port()
    started = time.monotonic()
    with pytest.raises(ConnectTimeoutError) as info:
        await _init(api, "nobody", hosts=[f"127.0.0.1:{port}"], connect_timeout=2)
    took = time.monotonic() - started
    assert 2 <= took < 20, took
    message = str(info.value)
    assert f"127.0.0.1:{port}" in message
    assert "within connect_timeout=2 s" in message
    assert f"{info.value.attempts} attempts over" in message
    assert info.value.attempts > 1


async def _peak(api: Any, query: Any) -> tuple[int, int]:
    """Rows streamed (``for`` / ``async for``, nothing kept) and the tracemalloc peak."""
    gc.collect()
    tracemalloc.start()
    try:
        seen = 0
        if api.kind == "sync":
            for _ in query:
                seen += 1
        else:
            async for _ in query:
                seen += 1
        return seen, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_streaming_keeps_memory_flat(api: Any) -> None:
    """Streaming six times as many rows must not need (much) more memory: the tracemalloc
    peak over 12,000 rows stays within 30 % (plus 100 kB for noise) of the peak over 2,000.
    cassandra-driver used to keep every page fetched in the last request_timeout seconds
    alive (~150 bytes a row: over three times the peak here)."""
    Streamed = await filled_stream_table(api)
    few, many = 2_000, ROWS
    peaks = {}
    for n in (few, many):
        seen, peaks[n] = await _peak(api, Streamed.find(sensor="s").limit(n).fetch_size(PAGE))
        assert seen == n
    assert peaks[many] <= peaks[few] * 1.3 + 100_000, (
        f"peak {peaks[few]} B over {few} rows, {peaks[many]} B over {many} rows"
    )


async def test_a_query_without_fetch_size_comes_in_pages_of_5000(api: Any) -> None:
    """Both drivers page by 5,000 rows unless told otherwise (acsylla used to send every
    row of a SELECT in one page, so streaming held them all)."""
    Streamed = await filled_stream_table(api)
    page = await api(Streamed.find(sensor="s").page())
    assert len(page.items) == 5_000
    assert page.has_more
