"""The asynchronous batch: ``async with BatchQuery() as batch: batch.save(doc) ...``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from coodie.aio.lifecycle import run_hooks
from coodie.api.batch import BatchBase
from coodie.api.batch_held import values_before
from coodie.api.runner import IS_ASYNC

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["BatchQuery"]


class BatchQuery(BatchBase):
    """Collects writes and sends them as one BATCH when the ``async with`` block ends cleanly.

    Queueing methods (``save``, ``update``, ...) are plain calls: only sending does I/O.
    """

    if IS_ASYNC:  # a write with an async def before-hook is queued when the batch is sent
        _awaits_hooks: ClassVar[bool] = True

    async def __aenter__(self) -> BatchQuery:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self.execute()

    async def execute(self) -> None:
        """Send the queued statements now (a no-op when nothing is queued)."""
        if IS_ASYNC:  # coodie.sync never holds a write back
            await self._queue_deferred()
        if not self.statements or self._driver is None:
            return
        after = self._finish(await self._driver.execute_async(self.batch_statement()))
        for hooks, doc in after:  # the batch was applied
            await run_hooks(hooks, doc)

    if IS_ASYNC:

        async def _queue_deferred(self) -> None:
            """Queue the writes held back for coroutine before-hooks, in call order, awaiting
            their hooks first. One raising discards the whole batch: nothing is sent."""
            if self._held.entries is None:
                return
            try:
                for hooks, doc, queue, snapshot in self._held.take():
                    before = values_before(hooks, doc, snapshot)
                    await run_hooks(hooks, doc)
                    queue(before)
            except BaseException:
                self._discard()
                raise
