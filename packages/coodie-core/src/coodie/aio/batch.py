"""The asynchronous batch: ``async with BatchQuery() as batch: batch.save(doc) ...``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.aio.lifecycle import run_hooks
from coodie.api.batch import BatchBase

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["BatchQuery"]


class BatchQuery(BatchBase):
    """Collects writes and sends them as one BATCH when the ``async with`` block ends cleanly.

    Queueing methods (``save``, ``update``, ...) are plain calls: only sending does I/O.
    """

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
        if not self.statements or self._driver is None:
            return
        after = self._finish(await self._driver.execute_async(self.batch_statement()))
        for hooks, doc in after:  # the batch was applied
            await run_hooks(hooks, doc)
