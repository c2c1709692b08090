"""Paging bookkeeping shared by the sync and async QuerySets (no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.drivers.statement import ResultPage, Statement
    from coodie.mapping.reads import Reads, Select
    from coodie.query.state import QueryState

__all__ = ["Pager"]


class Pager:
    """Paging bookkeeping of one query: which statement comes next, and its rows converted to
    what the query hands out (documents, or tuples, dicts or values; see ``QueryState``).

    The query is checked and its CQL built once, at the first statement; every page then
    only adds its paging state.
    """

    __slots__ = ("_select", "done", "paging_state", "reads", "state")

    def __init__(
        self, reads: Reads[Any], state: QueryState, paging_state: bytes | None = None
    ) -> None:
        self.reads = reads
        self.state = state
        self.paging_state = paging_state
        self.done = False
        self._select: Select | None = None

    @property
    def select(self) -> Select:
        """The query checked and its CQL built (once, at first use)."""
        select = self._select
        if select is None:
            select = self._select = self.reads.select(self.state)
        return select

    def next_statement(self) -> Statement | None:
        """The SELECT of the next page, or ``None`` once the last page was read."""
        if self.done:
            return None
        return self.select.statement(self.paging_state)

    def feed(self, page: ResultPage) -> list[Any]:
        """Take in the page just fetched and return its rows as a list."""
        self._advance(page)
        if not page.rows:  # some results carry no column names then
            return []
        return self.reads.rows(page.columns, self.state.row_form).to_list(page.rows)

    def stream(self, page: ResultPage) -> Iterator[Any]:
        """Take in the page just fetched and hand out its rows one by one."""
        self._advance(page)
        if not page.rows:
            return iter(())
        return self.reads.rows(page.columns, self.state.row_form).to_iter(page.rows)

    def _advance(self, page: ResultPage) -> None:
        self.paging_state = page.paging_state
        self.done = not page.paging_state
