"""The synchronous QuerySet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from coodie.document import mapper_of
from coodie.paging import Pager
from coodie.queryset import Page, QuerySetBase

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from typing_extensions import Self

    from coodie.document import DocumentBase
    from coodie.query import RowForm

__all__ = ["QuerySet", "ValuesQuerySet"]

D = TypeVar("D", bound="DocumentBase")
T = TypeVar("T")


class _Reading(QuerySetBase[D], Generic[D, T]):
    """The terminal methods that read rows, each handed out as a ``T``."""

    __slots__ = ()

    def __iter__(self) -> Iterator[T]:
        """Stream the results page by page (``fetch_size`` rows per round trip)."""
        mapper = mapper_of(self._model)
        pager = Pager(mapper.reads, self._state)
        execute = mapper.driver.execute
        while (statement := pager.next_statement()) is not None:
            yield from pager.stream(execute(statement))

    def __len__(self) -> int:
        """``count()``; note that ``list(qs)`` calls it too, so prefer ``qs.all()``."""
        return self.count()

    def all(self) -> list[T]:
        mapper = mapper_of(self._model)
        pager = Pager(mapper.reads, self._state)
        execute = mapper.driver.execute
        rows: list[T] = []
        while (statement := pager.next_statement()) is not None:
            rows += pager.feed(execute(statement))
        return rows

    def first(self) -> T | None:
        for row in self.limit(1):
            return row
        return None

    def count(self) -> int:
        mapper = mapper_of(self._model)
        page = mapper.driver.execute(mapper.reads.count_statement(self._state))
        return mapper.reads.count_result(page, self._state.limit)

    def page(self, paging_state: bytes | None = None, page_size: int | None = None) -> Page[T]:
        """Fetch one page; pass the returned ``paging_state`` to get the next one."""
        query = self if page_size is None else self.fetch_size(page_size)
        mapper = mapper_of(self._model)
        pager = Pager(mapper.reads, query._state, paging_state)
        statement = pager.next_statement()
        assert statement is not None
        items = pager.feed(mapper.driver.execute(statement))
        return Page(items, pager.paging_state)


class QuerySet(_Reading[D, D]):
    """A query on a model; runs when iterated or when a terminal method is called."""

    __slots__ = ()

    def delete(self) -> None:
        """Delete the rows the filters select (they must name the whole partition key)."""
        mapper = mapper_of(self._model)
        mapper.driver.execute(mapper.writes.delete_query_statement(self._state))

    def update(
        self,
        values: Mapping[str, Any] | None = None,
        /,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        if_conditions: Mapping[str, Any] | None = None,
        if_exists: bool = False,
        **fields: Any,
    ) -> None:
        """UPDATE the row the filters name by its whole primary key, without reading it.

        Takes what ``Document.update`` takes, collection operators included. With
        ``if_conditions``/``if_exists`` raises ConditionalWriteFailed if not applied.
        """
        mapper = mapper_of(self._model)
        write = mapper.updates.query_update_write(
            self._state, values, fields, ttl, timestamp, if_conditions, if_exists
        )
        page = mapper.driver.execute(write.statement)
        if write.conditional:
            mapper.conditions.check_applied(page, write.action)

    @overload
    def values_list(
        self, *columns: str, flat: Literal[False] = False
    ) -> ValuesQuerySet[D, tuple[Any, ...]]: ...
    @overload
    def values_list(self, *columns: str, flat: Literal[True]) -> ValuesQuerySet[D, Any]: ...
    def values_list(self, *columns: str, flat: bool = False) -> ValuesQuerySet[D, Any]:
        """Read ``columns`` (default: all, in table order) as tuples of declared Python types,
        or as bare values with ``flat=True`` and one column. No model instances are built."""
        form: RowForm = "flat" if flat else "tuple"
        return ValuesQuerySet(self._model, self._projected(columns, form, "values_list"))

    def values(self, *columns: str) -> ValuesQuerySet[D, dict[str, Any]]:
        """Read ``columns`` (default: all) as ``{column: value}`` dicts of declared types."""
        return ValuesQuerySet(self._model, self._projected(columns, "dict", "values"))


class ValuesQuerySet(_Reading[D, T]):
    """A query handing out plain rows (see ``QuerySet.values_list`` and ``values``)."""

    __slots__ = ()

    def distinct(self) -> Self:
        """One row per partition (SELECT DISTINCT): select the partition key, and static
        columns if you like, e.g. ``Review.find().values_list("product_id").distinct()``."""
        return self._with(self._distinct_state())
