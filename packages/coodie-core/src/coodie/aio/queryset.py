"""The asynchronous QuerySet."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from coodie.document import mapper_of
from coodie.paging import Pager
from coodie.queryset import Page, QuerySetBase

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from coodie.document import DocumentBase

__all__ = ["QuerySet"]

D = TypeVar("D", bound="DocumentBase")


class QuerySet(QuerySetBase[D]):
    """A query on a model; runs on ``async for`` or when a terminal method is awaited."""

    __slots__ = ()

    def __aiter__(self) -> AsyncIterator[D]:
        """Stream the results page by page (``fetch_size`` rows per round trip)."""
        return self._stream()

    async def _stream(self) -> AsyncIterator[D]:
        pager = Pager(mapper_of(self._model), self._state)
        execute = pager.mapper.driver.execute_async
        while (statement := pager.next_statement()) is not None:
            for doc in pager.stream(await execute(statement)):
                yield doc

    async def all(self) -> list[D]:
        pager = Pager(mapper_of(self._model), self._state)
        execute = pager.mapper.driver.execute_async
        docs: list[D] = []
        while (statement := pager.next_statement()) is not None:
            docs += pager.feed(await execute(statement))
        return docs

    async def first(self) -> D | None:
        docs = await self.limit(1).all()
        return docs[0] if docs else None

    async def count(self) -> int:
        mapper = mapper_of(self._model)
        page = await mapper.driver.execute_async(mapper.count_statement(self._state))
        return mapper.count_result(page, self._state.limit)

    async def delete(self) -> None:
        """Delete the rows the filters select (they must name the whole partition key)."""
        mapper = mapper_of(self._model)
        await mapper.driver.execute_async(mapper.delete_query_statement(self._state))

    async def page(
        self, paging_state: bytes | None = None, page_size: int | None = None
    ) -> Page[D]:
        """Fetch one page; pass the returned ``paging_state`` to get the next one."""
        query = self if page_size is None else self.fetch_size(page_size)
        pager = Pager(mapper_of(self._model), query._state, paging_state)
        statement = pager.next_statement()
        assert statement is not None
        items = pager.feed(await pager.mapper.driver.execute_async(statement))
        return Page(items, pager.paging_state)
