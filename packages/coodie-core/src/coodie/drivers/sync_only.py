"""The async bridge: a blocking-only client gets an async path from core.

A subclass of :class:`SyncOnlyDriver` implements ``execute`` and ``close`` (blocking, as for
any driver). Core supplies ``execute_async``: the blocking call runs on a bounded pool of
worker threads owned by the driver (at most :attr:`SyncOnlyDriver.async_workers` requests at
once; more wait for a free worker), so the event loop keeps running. ``close_async`` runs
``close`` in a thread; ``close`` (wrapped when the class is created) also shuts the pool down.

Cancellation: cancelling the task awaiting ``execute_async`` drops a request that has not
started yet (it is never sent); one already running in a worker cannot be interrupted, so
it runs to its end (bounded by the statement's ``timeout``) and its result is discarded.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from abc import abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from coodie.drivers.base import AbstractDriver
from coodie.exceptions import DriverError

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.statement import BatchStatement, ResultPage, Statement

__all__ = ["SyncOnlyDriver"]


def _closing(native: Callable[[Any], None]) -> Callable[[Any], None]:
    def close(self: SyncOnlyDriver) -> None:
        try:
            native(self)
        finally:
            self._closed = True
            self._shutdown_pool()

    close.__doc__ = native.__doc__
    return close


class SyncOnlyDriver(AbstractDriver):
    """Base class of a driver over a blocking-only client (see the module docstring)."""

    #: Worker threads (so requests in flight) of the pool behind ``execute_async``.
    async_workers: ClassVar[int] = 8

    _closed: bool
    _pool: concurrent.futures.ThreadPoolExecutor | None
    _pool_lock: threading.Lock

    def __new__(cls, *args: Any, **kwargs: Any) -> SyncOnlyDriver:
        """Set up the worker-pool state before the author's ``__init__`` runs."""
        self = super().__new__(cls)
        # Set here rather than in __init__ so that subclasses need not call super().
        self._closed = False
        self._pool = None
        self._pool_lock = threading.Lock()
        return self

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        native = cls.__dict__.get("close")
        if native is not None and not getattr(native, "__isabstractmethod__", False):
            setattr(cls, "close", _closing(native))  # noqa: B010 - a method set on the subclass

    @abstractmethod
    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run one statement, blocking (core runs it in a worker thread for async callers)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections. Idempotent; core also stops the worker pool."""

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._closed

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run the native ``execute`` on a worker thread and await its page."""
        if self._closed:
            raise DriverError(f"this {self.name} driver is closed")
        loop = asyncio.get_running_loop()
        # The class's execute, not an instance attribute a wrapper (logging, capability
        # checks) may have set: the wrapper around execute_async already ran.
        execute = type(self).execute
        return await loop.run_in_executor(self._workers(), execute, self, statement)

    async def close_async(self) -> None:
        """Run ``close()`` on a thread, so the loop is not blocked."""
        await asyncio.to_thread(self.close)

    def _workers(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=self.async_workers, thread_name_prefix=f"coodie-{self.name}"
                )
            return self._pool

    def _shutdown_pool(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
