"""From cassandra-driver's ``ResponseFuture`` (resolved on the driver's I/O thread) to asyncio.

``ResponseFuture.add_callbacks`` runs its callback on the driver's event-loop thread (or, for
schema changes and retries, on the driver's executor thread; or immediately, on the calling
thread, when the result is already there). Each callback only hands the outcome to the asyncio
loop with ``loop.call_soon_threadsafe``; the asyncio future is completed on the loop's own
thread, where it is safe to check whether the awaiting task was cancelled meanwhile. No thread
pool is involved, and the I/O thread never touches an asyncio object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

__all__ = ["to_asyncio_future"]


def to_asyncio_future(response_future: Any, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Any]:
    """An asyncio future (of ``loop``) with the first result page or the exception.

    The future's result is what the driver passes to callbacks: the rows of the page as made by
    the request's row factory (``None`` for a void result), or the raw response message for
    requests such as PREPARE.
    """
    future: asyncio.Future[Any] = loop.create_future()

    def on_result(result: Any) -> None:
        _post(loop, _set_result, future, result)

    def on_error(error: BaseException) -> None:
        _post(loop, _set_exception, future, error)

    response_future.add_callbacks(on_result, on_error)
    return future


def _post(loop: asyncio.AbstractEventLoop, fn: Any, *args: Any) -> None:
    # Runs on the driver's thread: never raise there (the driver would only log it).
    # RuntimeError: the event loop is closed, so whoever awaited the result is gone.
    # (try/except rather than contextlib.suppress: this runs once per request.)
    try:  # noqa: SIM105 - cheaper than contextlib.suppress on this per-request path
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:
        pass


def _set_result(future: asyncio.Future[Any], result: Any) -> None:
    if not future.done():  # the awaiting task may have been cancelled
        future.set_result(result)


def _set_exception(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
