"""The sync bridge: an asyncio-only client gets a correct sync path from core.

A subclass of :class:`AsyncOnlyDriver` implements ``execute_async`` and ``close_async`` as
coroutines that run on its *home loop*: the event loop its client connection belongs to
(the loop that was running when the driver was created, or one given to :meth:`use_loop`).
Core supplies the rest:

* ``execute`` / ``execute_many`` / ``close`` from synchronous code submit the coroutine to
  the home loop and wait, from any number of threads. Called from the home loop's own
  thread they would wait for themselves: :class:`~coodie.exceptions.BlockingCallOnLoopError`.
* ``execute_async`` / ``close_async`` awaited on the home loop run directly (no extra
  coroutine, no hop); awaited on another running loop they are run on the home loop and
  awaited from there.
* :func:`run_on_own_loop` opens a driver on a :class:`~coodie.drivers.loop_thread.BackgroundLoop`
  the driver then owns: closing the driver stops the thread (so does collecting it).

The subclass's ``execute_async`` / ``close_async`` are wrapped when the class is created
(``__init_subclass__``), so an author writes them as plain coroutines.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from coodie.drivers.base import AbstractDriver
from coodie.drivers.concurrency import run_concurrently
from coodie.drivers.loop_thread import BackgroundLoop
from coodie.exceptions import BlockingCallOnLoopError, ConfigurationError, DriverError

if TYPE_CHECKING:
    from collections.abc import Coroutine, Iterable

    from coodie.drivers.statement import BatchStatement, ResultPage, Statement

__all__ = ["AsyncOnlyDriver", "run_on_own_loop", "run_on_own_loop_async"]

T = TypeVar("T")
D = TypeVar("D", bound="AsyncOnlyDriver")

Native = Callable[..., "Coroutine[Any, Any, Any]"]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _routed(native: Native) -> Native:
    """``native`` where it may run directly (on the home loop), hopped there elsewhere."""

    def routed(self: AsyncOnlyDriver, *args: Any) -> Coroutine[Any, Any, Any]:
        # A plain function returning the coroutine: one coroutine per request on the fast
        # path instead of two, which counts when thousands are in flight on one loop.
        home = self._home
        if home is not None and _running_loop() is home and not self._closed:
            return native(self, *args)
        return self._hop(native(self, *args))

    routed.__name__ = native.__name__
    routed.__qualname__ = native.__qualname__
    routed.__doc__ = native.__doc__
    return routed


def _stop_loop(background: BackgroundLoop) -> None:
    """Stop an owned loop thread, also when called on that thread (garbage collection)."""
    if background.thread is threading.current_thread():
        background.loop.call_soon(background.loop.stop)
    else:
        background.stop()


class AsyncOnlyDriver(AbstractDriver):
    """Base class of a driver over an asyncio-only client (see the module docstring)."""

    #: Seconds ``close()`` waits for ``close_async`` on the home loop.
    close_timeout: ClassVar[float] = 30.0
    #: Appended to the errors about loops: how *this* driver gets a loop thread of its own.
    loop_advice: ClassVar[str] = ""

    _home: asyncio.AbstractEventLoop | None
    _thread: BackgroundLoop | None
    _closed: bool
    _stopper: weakref.finalize[Any, Any] | None
    _closing: asyncio.Task[Any] | None

    def __new__(cls: type[D], *args: Any, **kwargs: Any) -> D:
        """Set up the bridge state before the author's ``__init__`` runs."""
        self = super().__new__(cls)
        # Bound here rather than in __init__ so that subclasses need not call super().
        self._home = _running_loop()
        self._thread = None
        self._closed = False
        self._stopper = None
        self._closing = None
        return self

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        wrappers = {"execute_async": _routed, "close_async": _routed_close}
        for name, wrap in wrappers.items():
            native = cls.__dict__.get(name)
            if native is not None and not getattr(native, "__isabstractmethod__", False):
                setattr(cls, f"_native_{name}", native)
                setattr(cls, name, wrap(native))

    # -- the native coroutines (run on the home loop) ------------------------------------

    @abstractmethod
    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run one statement on the home loop (core routes calls from other loops there)."""

    @abstractmethod
    async def close_async(self) -> None:
        """Release the client connection; runs on the home loop, once."""

    def release_abandoned(self) -> None:
        """Free what can be freed when the home loop ended before the driver was closed
        (nothing can be awaited any more). Does nothing by default."""

    # -- the home loop ------------------------------------------------------------------------

    def use_loop(
        self, loop: asyncio.AbstractEventLoop, thread: BackgroundLoop | None = None
    ) -> None:
        """Make ``loop`` the home loop; with ``thread`` (running ``loop``) the driver owns
        that thread and stops it when closed."""
        if thread is not None and thread.loop is not loop:
            raise ConfigurationError("use_loop(): thread= must be the thread running loop=")
        self._home = loop
        self._thread = thread
        if thread is not None:
            self._stopper = weakref.finalize(self, _stop_loop, thread)

    @property
    def home_loop(self) -> asyncio.AbstractEventLoop | None:
        """The event loop that owns the client connection (None before one is known)."""
        return self._home

    @property
    def owns_loop(self) -> bool:
        """True when the home loop runs on a thread this driver owns."""
        return self._thread is not None

    @property
    def closed(self) -> bool:
        """Whether ``close()`` (or ``close_async()``) was called."""
        return self._closed

    # -- the sync path --------------------------------------------------------------------------

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        """Run the native ``execute_async`` on the home loop and wait for its page."""
        native: Native = type(self)._native_execute_async  # type: ignore[attr-defined]
        result: ResultPage = self.block_on(native(self, statement))
        return result

    def execute_many(
        self, statements: Iterable[Statement | BatchStatement], concurrency: int
    ) -> int:
        """Core's worker pool, run on the home loop (statements are built there, lazily)."""
        return self.block_on(run_concurrently(self, statements, concurrency))

    def block_on(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the home loop from synchronous code and wait for its result."""
        if self._closed:
            coro.close()
            raise DriverError(f"this {self.name} driver is closed")
        home = self._home
        if home is not None and _running_loop() is home:
            coro.close()
            raise BlockingCallOnLoopError(
                "a blocking (sync) coodie call was made from inside the event loop that owns "
                f"this {self.name} connection; it would wait for itself. Use the async API "
                "(coodie.aio / execute_async) there, or open the driver with the sync API "
                "(coodie.sync.init_coodie) so that it runs on a loop thread of its own."
                + self._advice()
            )
        home = self._check_home(coro)
        return asyncio.run_coroutine_threadsafe(coro, home).result()

    async def _hop(self, coro: Coroutine[Any, Any, T]) -> T:
        """Await ``coro`` on the home loop from a different running loop."""
        if self._closed:
            coro.close()
            raise DriverError(f"this {self.name} driver is closed")
        home = self._check_home(coro)
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, home))

    def _check_home(self, coro: Coroutine[Any, Any, Any]) -> asyncio.AbstractEventLoop:
        home = self._home
        if home is None or home.is_closed() or not home.is_running():
            coro.close()
            raise DriverError(
                f"the event loop this {self.name} connection was opened on is "
                + ("unknown" if home is None else "no longer running")
                + " (the client binds its connection to the loop that created it). Open the "
                "driver from the loop that uses it, or with the sync API "
                "(coodie.sync.init_coodie), which gives it a loop thread of its own that any "
                "loop or thread can use." + self._advice()
            )
        return home

    def _advice(self) -> str:
        return f" {self.loop_advice}" if self.loop_advice else ""

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Close through the native ``close_async`` and stop the driver's own loop; idempotent."""
        if self._closed:
            return
        self._closed = True
        native: Native = type(self)._native_close_async  # type: ignore[attr-defined]
        home = self._home
        try:
            if home is not None and _running_loop() is home:
                # Cannot block the loop we would wait for: close in the background.
                self._closing = home.create_task(native(self))
            elif home is not None and not home.is_closed() and home.is_running():
                future = asyncio.run_coroutine_threadsafe(native(self), home)
                future.result(self.close_timeout)
            else:
                self.release_abandoned()
        except Exception as error:
            raise DriverError(f"closing the {self.name} connection failed: {error}") from error
        finally:
            self._stop_thread()

    async def _close_from(self, native: Native) -> None:
        """``close_async``: core's bookkeeping around the subclass's ``native`` coroutine."""
        if self._closed:
            return
        running = asyncio.get_running_loop()
        home = self._home
        if running is not home and self._thread is None:
            self.close()  # a loop we do not own: wait for it like sync code
            return
        self._closed = True
        try:
            if running is home:
                await native(self)
            elif home is not None and not home.is_closed() and home.is_running():
                await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(native(self), home))
        except Exception as error:
            raise DriverError(f"closing the {self.name} connection failed: {error}") from error
        finally:
            if self._thread is not None:
                await asyncio.to_thread(self._stop_thread)

    def _stop_thread(self) -> None:
        if self._stopper is not None:
            self._stopper()  # runs once: stops and joins the owned loop thread


def _routed_close(native: Native) -> Native:
    """``close_async`` with core's bookkeeping around the subclass's coroutine."""

    def close_async(self: AsyncOnlyDriver) -> Coroutine[Any, Any, None]:
        return self._close_from(native)

    close_async.__doc__ = native.__doc__
    return close_async


def _adopt(driver: object, background: BackgroundLoop) -> AsyncOnlyDriver:
    if not isinstance(driver, AsyncOnlyDriver):
        raise ConfigurationError(
            f"core can bridge the sync path only of an AsyncOnlyDriver; the opener returned "
            f"{type(driver).__name__}. Subclass coodie.drivers.AsyncOnlyDriver."
        )
    driver.use_loop(background.loop, background)
    return driver


def run_on_own_loop(opener: Callable[[], Coroutine[Any, Any, D]], name: str = "coodie") -> D:
    """Open an async-only driver on a new loop thread that it then owns (for sync code).

    ``opener`` is called on that thread's loop; when it fails the thread is stopped.
    """
    background = BackgroundLoop(f"{name}-loop")
    try:
        driver = background.run(opener())
        _adopt(driver, background)
    except BaseException:
        background.stop()
        raise
    return driver


async def run_on_own_loop_async(
    opener: Callable[[], Coroutine[Any, Any, D]], name: str = "coodie"
) -> D:
    """:func:`run_on_own_loop` from a running loop (which is never blocked)."""
    background = await asyncio.to_thread(BackgroundLoop, f"{name}-loop")
    try:
        driver = await asyncio.wrap_future(background.submit(opener()))
        _adopt(driver, background)
    except BaseException:
        await asyncio.to_thread(background.stop)
        raise
    return driver
