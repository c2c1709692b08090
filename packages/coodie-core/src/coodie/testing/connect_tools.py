"""Tools of the connecting conformance tests: both ``init_coodie`` APIs behind one awaitable
interface, and what a closed connection must leave behind (no socket, no thread)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
import uuid
from functools import partial
from typing import TYPE_CHECKING, Any

from coodie import aio
from coodie import sync as sync_api
from coodie.drivers.statement import BatchStatement, ResultPage, Statement

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from coodie.drivers.base import AbstractDriver
    from coodie.plugins.spec import DriverSpec

__all__ = ["PROBE", "ApiCalls", "eventually", "fail_fast", "node_connections", "own_threads"]

#: What every test runs to prove a connection reaches the node.
PROBE = Statement("SELECT release_version FROM system.local", prepare=False)


class ApiCalls:
    """``init_coodie`` / ``execute`` / ``close_coodie`` of one public API, awaitable.

    The sync API runs in a worker thread, as a blocking program would call it, so one
    async test body covers both APIs.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    async def init(self, spec: DriverSpec, name: str, **options: Any) -> AbstractDriver:
        """``init_coodie`` through this API, as connection ``name``."""
        if self.name == "sync":
            connect = partial(sync_api.init_coodie, driver_type=spec.name, name=name, **options)
            return await asyncio.to_thread(connect)
        return await aio.init_coodie(driver_type=spec.name, name=name, **options)

    async def close(self, name: str) -> None:
        """``close_coodie`` of connection ``name`` through this API."""
        if self.name == "sync":
            await asyncio.to_thread(sync_api.close_coodie, name)
        else:
            await aio.close_coodie(name)

    @contextlib.asynccontextmanager
    async def connected(self, spec: DriverSpec, **options: Any) -> AsyncIterator[AbstractDriver]:
        """A driver connected through this API for the block, closed after it."""
        name = f"conformance-{uuid.uuid4().hex[:8]}"
        driver = await self.init(spec, name, **options)
        try:
            yield driver
        finally:
            await self.close(name)

    async def probe(self, spec: DriverSpec, **options: Any) -> None:
        """Connect, run one request that needs the node, close."""
        async with self.connected(spec, **options) as driver:
            assert (await self.execute(driver, PROBE)).rows

    async def execute(
        self, driver: AbstractDriver, statement: Statement | BatchStatement
    ) -> ResultPage:
        """Run ``statement`` with the method this API uses (``execute`` in a thread or
        ``execute_async``)."""
        if self.name == "sync":
            return await asyncio.to_thread(driver.execute, statement)
        return await driver.execute_async(statement)


def node_connections(port: int) -> set[str] | None:
    """Socket inodes of this process's TCP connections to ``port`` (None without /proc)."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return None
    mine = set()
    for fd in fds:
        with contextlib.suppress(OSError):
            link = os.readlink(f"/proc/self/fd/{fd}")
            if link.startswith("socket:["):
                mine.add(link[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if remote_port == port and fields[9] in mine and fields[3] != "0A":  # not LISTEN
                    found.add(fields[9])
    return found


def own_threads() -> set[int | None]:
    """The idents of the process's threads, less asyncio's executor workers."""
    # The default executor's workers (asyncio.to_thread) outlive their calls by design.
    return {t.ident for t in threading.enumerate() if not t.name.startswith("asyncio_")}


async def eventually(check: Any, seconds: float = 5.0) -> Any:
    """``check()`` once it is falsy (nothing left), or its last value after ``seconds``."""
    deadline = time.monotonic() + seconds
    left = check()
    while left and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        left = check()
    return left


def fail_fast(spec: DriverSpec) -> dict[str, Any]:
    """Options that keep an expected connect failure short: init_coodie tries again until
    ``connect_timeout`` (60 s by default) when the driver honours it."""
    from coodie.connect import Capability

    if Capability.CONNECT_TIMEOUT in spec.capabilities:
        return {"connect_timeout": 0.5}
    return {}
