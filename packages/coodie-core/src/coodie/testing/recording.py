"""An in-memory driver that records statements and replays canned result pages."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from coodie.drivers.base import AbstractDriver
from coodie.drivers.statement import BatchStatement, ResultPage, Statement

__all__ = ["UNSET", "RecordingDriver"]


class _Unset:
    """The recording driver's "leave this column unset" marker."""

    _instance: ClassVar[_Unset | None] = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()
_EMPTY = ResultPage()
Responder = Callable[[Statement | BatchStatement], ResultPage | None]


class RecordingDriver(AbstractDriver):
    """Records every executed statement; answers from a queue of pages or a responder.

    ``queue(page)`` / ``queue_rows(columns, rows)`` add answers consumed in order; when the
    queue is empty ``responder(statement)`` is asked, and if it returns ``None`` (or there is
    none) an empty page is returned. ``record=False`` skips recording (for benchmarks).
    """

    name = "recording"

    def __init__(
        self,
        *,
        keyspace: str | None = "test",
        responder: Responder | None = None,
        record: bool = True,
    ) -> None:
        self.keyspace = keyspace
        self.unset_value = UNSET
        self.responder = responder
        self.record = record
        self.statements: list[Statement | BatchStatement] = []
        self.pages: deque[ResultPage] = deque()
        self.closed = False

    # -- canned answers ------------------------------------------------------------------

    def queue(self, *pages: ResultPage) -> RecordingDriver:
        """Answer the next statements with ``pages``, in order."""
        self.pages.extend(pages)
        return self

    def queue_rows(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        paging_state: bytes | None = None,
    ) -> RecordingDriver:
        """Answer the next statement with one page of ``rows`` under ``columns``."""
        return self.queue(ResultPage(columns, [tuple(r) for r in rows], paging_state))

    # -- what was sent -------------------------------------------------------------------

    @property
    def last(self) -> Statement | BatchStatement:
        """The statement executed last; AssertionError when none was."""
        if not self.statements:
            raise AssertionError("no statement was executed")
        return self.statements[-1]

    @property
    def cql(self) -> list[str]:
        """CQL text of every recorded statement (batches as ``BATCH[...]``)."""
        out = []
        for statement in self.statements:
            if isinstance(statement, BatchStatement):
                inner = "; ".join(s.cql for s in statement.statements)
                out.append(f"{statement.batch_type.value} BATCH[{inner}]")
            else:
                out.append(statement.cql)
        return out

    def reset(self) -> None:
        """Forget the recorded statements and the queued pages."""
        self.statements.clear()
        self.pages.clear()

    # -- AbstractDriver ------------------------------------------------------------------

    def execute(self, statement: Statement | BatchStatement) -> ResultPage:
        """Record ``statement`` and answer with the next queued page, the responder's page, or an
        empty page."""
        if self.record:
            self.statements.append(statement)
        if self.pages:
            return self.pages.popleft()
        if self.responder is not None:
            page = self.responder(statement)
            if page is not None:
                return page
        return _EMPTY

    async def execute_async(self, statement: Statement | BatchStatement) -> ResultPage:
        """The same as ``execute``, awaitable."""
        # The class's execute (a subclass's override included), not the instance attribute:
        # on an observed driver (coodie.cql logging, tracing) that would report it twice.
        return type(self).execute(self, statement)

    def close(self) -> None:
        """Mark the driver closed."""
        self.closed = True
