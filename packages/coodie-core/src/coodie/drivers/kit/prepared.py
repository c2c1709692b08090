"""A bounded, thread-safe cache of prepared statements keyed by CQL text.

Every driver needs one: preparing is a round trip, and a busy application sends the same few
hundred statements millions of times. Two properties matter besides the bound:

* concurrent first uses of one CQL text share a single prepare (threads wait for the one in
  flight; tasks of one event loop await one task, shielded so that one waiter being cancelled
  does not cancel it for the others);
* a failed prepare is not cached: every caller sharing it gets its error, the next one retries.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from coodie.exceptions import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

__all__ = ["PreparedCache"]

V = TypeVar("V")


class _Pending(Generic[V]):
    """A blocking prepare in flight: its callers wait on ``done``."""

    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: V | None = None
        self.error: BaseException | None = None


class PreparedCache(Generic[V]):
    """LRU map ``cql text -> prepared statement`` holding at most ``maxsize`` entries.

    ``maxsize=0`` disables caching (every use prepares again; in-flight prepares are still
    shared). Safe to use from several threads and from several event loops at once.
    """

    def __init__(self, maxsize: int) -> None:
        if isinstance(maxsize, bool) or not isinstance(maxsize, int) or maxsize < 0:
            raise ConfigurationError(
                f"prepared_cache_size must be an int >= 0 (number of prepared statements "
                f"kept per connection), got {maxsize!r}."
            )
        self._maxsize = maxsize
        self._data: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, _Pending[V]] = {}
        self._tasks: dict[str, asyncio.Task[V]] = {}
        #: Bumped by clear(): a prepare that started before it is not cached after it.
        self._generation = 0
        #: How many prepares this cache started (for tests and metrics).
        self.prepares = 0

    @property
    def maxsize(self) -> int:
        """How many prepared statements the cache holds at most (0: none)."""
        return self._maxsize

    # -- plain mapping -------------------------------------------------------------------

    def get(self, cql: str) -> V | None:
        """The cached statement (now the most recently used), or ``None``; never prepares."""
        with self._lock:
            value = self._data.get(cql)
            if value is not None:
                self._data.move_to_end(cql)
            return value

    def put(self, cql: str, value: V) -> None:
        """Cache ``value`` for ``cql`` (the least recently used entry goes when full)."""
        with self._lock:
            self._store(cql, value)

    def _store(self, cql: str, value: V) -> None:  # the lock is held
        if self._maxsize == 0:
            return
        self._data[cql] = value
        self._data.move_to_end(cql)
        while len(self._data) > self._maxsize:
            self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget every statement; prepares in flight finish but are not cached, and async
        ones are cancelled (on their own loop)."""
        with self._lock:
            self._data.clear()
            self._generation += 1
            tasks = list(self._tasks.values())
            self._tasks.clear()
            self._pending.clear()
        for task in tasks:
            loop = task.get_loop()
            if not loop.is_closed():
                loop.call_soon_threadsafe(task.cancel)

    def __contains__(self, cql: object) -> bool:
        with self._lock:
            return cql in self._data

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> list[str]:
        """CQL texts from least to most recently used (a snapshot)."""
        with self._lock:
            return list(self._data)

    # -- prepare on a miss ---------------------------------------------------------------

    def get_or_prepare(self, cql: str, prepare: Callable[[str], V]) -> V:
        """The cached statement, else ``prepare(cql)`` (blocking), shared with every thread
        asking for ``cql`` meanwhile."""
        with self._lock:
            value = self._data.get(cql)
            if value is not None:
                self._data.move_to_end(cql)
                return value
            pending = self._pending.get(cql)
            owner = pending is None
            if pending is None:
                pending = self._pending[cql] = _Pending()
                generation = self._generation
                self.prepares += 1
        if not owner:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            return pending.value  # type: ignore[return-value]
        try:
            pending.value = value = prepare(cql)
        except BaseException as error:
            pending.error = error
            raise
        else:
            with self._lock:
                if generation == self._generation:
                    self._store(cql, value)
            return value
        finally:
            with self._lock:
                if self._pending.get(cql) is pending:
                    del self._pending[cql]
            pending.done.set()

    async def get_or_prepare_async(self, cql: str, prepare: Callable[[str], Awaitable[V]]) -> V:
        """The cached statement, else ``await prepare(cql)``, shared with every task of this
        event loop asking for ``cql`` meanwhile. ``prepare`` must not block the loop."""
        value = self.get(cql)
        if value is not None:
            return value
        loop = asyncio.get_running_loop()
        with self._lock:
            task = self._tasks.get(cql)
            if task is None or task.get_loop() is not loop:
                task = loop.create_task(_awaited(prepare, cql))
                self._tasks[cql] = task
                self.prepares += 1
                task.add_done_callback(partial(self._task_done, cql, self._generation))
        # shield: one caller being cancelled must not cancel the prepare for the others.
        return await asyncio.shield(task)

    def _task_done(self, cql: str, generation: int, task: asyncio.Task[V]) -> None:
        with self._lock:
            if self._tasks.get(cql) is task:
                del self._tasks[cql]
            if task.cancelled():
                return
            error = task.exception()  # retrieved: no "exception was never retrieved" log
            if error is None and generation == self._generation:
                self._store(cql, task.result())


async def _awaited(prepare: Callable[[str], Awaitable[V]], cql: str) -> V:
    return await prepare(cql)
