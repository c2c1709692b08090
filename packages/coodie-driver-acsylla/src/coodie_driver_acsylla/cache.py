"""A bounded cache of prepared statements, keyed by CQL text.

It lives on the driver's event loop and is only touched from coroutines running there, so
it needs no thread lock. Concurrent first uses of one CQL text share a single prepare: the
first caller starts a task, later callers await the same task (shielded, so one caller being
cancelled does not cancel the prepare for the others). A failed prepare is not cached.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = ["PreparedCache"]

Prepare = Callable[[str], Awaitable[Any]]


class PreparedCache:
    """LRU map of CQL text -> prepared statement with single-flight preparation."""

    __slots__ = ("_entries", "_pending", "_prepare", "capacity", "prepares")

    def __init__(self, prepare: Prepare, capacity: int = 1000) -> None:
        if capacity < 1:
            raise ValueError("the prepared statement cache needs a capacity of at least 1")
        self.capacity = capacity
        self._prepare = prepare
        self._entries: OrderedDict[str, Any] = OrderedDict()
        self._pending: dict[str, asyncio.Task[Any]] = {}
        #: How many prepares were sent (for tests and metrics).
        self.prepares = 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, cql: object) -> bool:
        return cql in self._entries

    def get(self, cql: str) -> Any | None:
        """The cached statement (marked most recently used), or ``None``; never prepares."""
        entries = self._entries
        found = entries.get(cql)
        if found is not None:
            entries.move_to_end(cql)
        return found

    async def get_or_prepare(self, cql: str) -> Any:
        """The prepared statement of ``cql``, preparing it once however many callers ask at the same
        time."""
        found = self.get(cql)
        if found is not None:
            return found
        task = self._pending.get(cql)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fill(cql))
            task.add_done_callback(_consume)
            self._pending[cql] = task
        return await asyncio.shield(task)

    async def _fill(self, cql: str) -> Any:
        try:
            self.prepares += 1
            prepared = await self._prepare(cql)
            self._entries[cql] = prepared
            self._entries.move_to_end(cql)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
            return prepared
        finally:
            self._pending.pop(cql, None)

    def clear(self) -> None:
        """Drop every prepared statement and cancel the prepares in flight."""
        self._entries.clear()
        for task in self._pending.values():
            task.cancel()
        self._pending.clear()


def _consume(task: asyncio.Task[Any]) -> None:
    # Every waiter may have been cancelled; retrieve the outcome so asyncio does not log
    # "Task exception was never retrieved".
    if not task.cancelled():
        task.exception()
