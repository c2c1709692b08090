"""Paging bookkeeping shared by the sync and async QuerySets (no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pydantic import BaseModel

    from coodie.mapper import Mapper
    from coodie.query import QueryState
    from coodie.statement import ResultPage, Statement

__all__ = ["Pager"]

D = TypeVar("D", bound="BaseModel")


class Pager(Generic[D]):
    """Paging bookkeeping of one query: which statement comes next, and its rows as documents."""

    __slots__ = ("done", "mapper", "paging_state", "state")

    def __init__(
        self, mapper: Mapper[D], state: QueryState, paging_state: bytes | None = None
    ) -> None:
        self.mapper = mapper
        self.state = state
        self.paging_state = paging_state
        self.done = False

    def next_statement(self) -> Statement | None:
        if self.done:
            return None
        return self.mapper.select_statement(self.state, self.paging_state)

    def feed(self, page: ResultPage) -> list[D]:
        """Take in the page just fetched and return its documents as a list."""
        self._advance(page)
        return self.mapper.hydrate(page)

    def stream(self, page: ResultPage) -> Iterator[D]:
        """Take in the page just fetched and hand out its documents one by one."""
        self._advance(page)
        return self.mapper.stream(page)

    def _advance(self, page: ResultPage) -> None:
        self.paging_state = page.paging_state
        self.done = not page.paging_state
