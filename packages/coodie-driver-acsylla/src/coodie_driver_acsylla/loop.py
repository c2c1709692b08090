"""The background event loop a sync-connected driver runs acsylla on.

acsylla binds a cluster, its sessions and every future they create to the event loop that was
running when ``create_cluster`` was called (callbacks from the C++ driver are delivered to
that loop). A driver therefore has one *home* loop and runs all acsylla calls there.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import concurrent.futures
    from collections.abc import Coroutine

__all__ = ["LoopThread"]

T = TypeVar("T")


class LoopThread:
    """A daemon thread running its own event loop until :meth:`stop`."""

    def __init__(self, name: str = "coodie-acsylla") -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._main, name=name, daemon=True)
        self.thread.start()
        self._ready.wait()

    def _main(self) -> None:
        loop = self.loop
        asyncio.set_event_loop(loop)
        loop.call_soon(self._ready.set)
        try:
            loop.run_forever()
        finally:
            try:
                pending = asyncio.all_tasks(loop)
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coro`` on the thread's loop."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the thread's loop and wait at most ``timeout`` seconds for its result."""
        return self.submit(coro).result(timeout)

    @property
    def alive(self) -> bool:
        """Whether the thread runs and its loop is open."""
        return self.thread.is_alive() and not self.loop.is_closed()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop the loop and join the thread. Idempotent; must not run on this thread."""
        if threading.current_thread() is self.thread:
            raise RuntimeError("LoopThread.stop() called from its own thread")
        if self.thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout)
