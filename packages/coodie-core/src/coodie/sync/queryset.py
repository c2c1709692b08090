"""The synchronous QuerySet."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from coodie.document import mapper_of
from coodie.paging import Pager
from coodie.queryset import Page, QuerySetBase

if TYPE_CHECKING:
    from collections.abc import Iterator

    from coodie.document import DocumentBase

__all__ = ["QuerySet"]

D = TypeVar("D", bound="DocumentBase")


class QuerySet(QuerySetBase[D]):
    """A query on a model; runs when iterated or when a terminal method is called."""

    __slots__ = ()

    def __iter__(self) -> Iterator[D]:
        """Stream the results page by page (``fetch_size`` rows per round trip)."""
        pager = Pager(mapper_of(self._model), self._state)
        execute = pager.mapper.driver.execute
        while (statement := pager.next_statement()) is not None:
            yield from pager.stream(execute(statement))

    def __len__(self) -> int:
        """``count()``; note that ``list(qs)`` calls it too, so prefer ``qs.all()``."""
        return self.count()

    def all(self) -> list[D]:
        pager = Pager(mapper_of(self._model), self._state)
        execute = pager.mapper.driver.execute
        docs: list[D] = []
        while (statement := pager.next_statement()) is not None:
            docs += pager.feed(execute(statement))
        return docs

    def first(self) -> D | None:
        for doc in self.limit(1):
            return doc
        return None

    def count(self) -> int:
        mapper = mapper_of(self._model)
        page = mapper.driver.execute(mapper.count_statement(self._state))
        return mapper.count_result(page, self._state.limit)

    def delete(self) -> None:
        """Delete the rows the filters select (they must name the whole partition key)."""
        mapper = mapper_of(self._model)
        mapper.driver.execute(mapper.delete_query_statement(self._state))

    def page(self, paging_state: bytes | None = None, page_size: int | None = None) -> Page[D]:
        """Fetch one page; pass the returned ``paging_state`` to get the next one."""
        query = self if page_size is None else self.fetch_size(page_size)
        pager = Pager(mapper_of(self._model), query._state, paging_state)
        statement = pager.next_statement()
        assert statement is not None
        items = pager.feed(pager.mapper.driver.execute(statement))
        return Page(items, pager.paging_state)
