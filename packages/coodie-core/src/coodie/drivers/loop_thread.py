"""A background thread running an event loop: the home loop of an async-only driver used
from synchronous code.

Many asyncio clients bind a connection (and every future it creates) to the loop it was
opened on. A driver opened for the sync API therefore gets a loop of its own, on a daemon
thread, and every sync call is submitted to it and waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import concurrent.futures
    from collections.abc import Coroutine

__all__ = ["BackgroundLoop"]

T = TypeVar("T")

_numbers = itertools.count(1)


class BackgroundLoop:
    """A daemon thread running its own event loop until :meth:`stop`.

    The loop is running when the constructor returns. :meth:`stop` cancels what is still
    pending on it, joins its default executor's threads, closes it and joins the thread.
    """

    def __init__(self, name: str = "coodie-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.thread = threading.Thread(
            target=self._main, name=f"{name}-{next(_numbers)}", daemon=True
        )
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
                # Join the threads asyncio.to_thread started on this loop (close() would not).
                loop.run_until_complete(loop.shutdown_default_executor())
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Schedule ``coro`` on the loop from any thread."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        """Run ``coro`` on the loop and wait for its result (not from the loop's thread)."""
        return self.submit(coro).result(timeout)

    @property
    def alive(self) -> bool:
        """Whether the thread runs and its loop is open."""
        return self.thread.is_alive() and not self.loop.is_closed()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop the loop and join the thread. Idempotent; must not run on this thread."""
        if threading.current_thread() is self.thread:
            raise RuntimeError("BackgroundLoop.stop() called from its own thread")
        if self.thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout)
