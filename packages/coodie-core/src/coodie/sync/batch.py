"""The synchronous batch: ``with BatchQuery() as batch: batch.save(doc) ...``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.batch import BatchBase

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["BatchQuery"]


class BatchQuery(BatchBase):
    """Collects writes and sends them as one BATCH when the ``with`` block ends cleanly."""

    def __enter__(self) -> BatchQuery:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.execute()

    def execute(self) -> None:
        """Send the queued statements now (a no-op when nothing is queued)."""
        if not self.statements or self._driver is None:
            return
        self._finish(self._driver.execute(self.batch_statement()))
