"""The asynchronous QuerySet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from coodie.aio.aggregates import Aggregating
from coodie.aio.lifecycle import run_hooks
from coodie.api.ann import AnnSearch
from coodie.api.document import mapper_of
from coodie.api.queryset import Page, QuerySetBase
from coodie.api.runner import IS_ASYNC
from coodie.mapping.paging import Pager
from coodie.mapping.query_writes import (
    create_document,
    query_delete_write,
    query_if_exists,
    with_query_options,
)
from coodie.query.projections import defer_columns, only_columns
from coodie.query.write_options import with_request_options

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping

    from typing_extensions import Self

    from coodie.api.document import DocumentBase
    from coodie.query.ann import Similarity
    from coodie.query.state import RowForm

__all__ = ["QuerySet", "ScoredQuerySet", "ValuesQuerySet"]

D = TypeVar("D", bound="DocumentBase")
T = TypeVar("T")


class _Reading(QuerySetBase[D], Generic[D, T]):
    """The terminal methods that read rows, each handed out as a ``T``."""

    __slots__ = ()

    def __aiter__(self) -> AsyncIterator[T]:
        """Stream the results page by page (``fetch_size`` rows per round trip)."""
        return self._stream()

    async def _stream(self) -> AsyncIterator[T]:
        mapper = mapper_of(self._model)
        pager = Pager(mapper.reads, self._state)
        execute = mapper.driver.execute_async
        while (statement := pager.next_statement()) is not None:
            for row in pager.stream(await execute(statement)):
                yield row

    if not IS_ASYNC:  # sync only: ``len()`` cannot await

        def __len__(self) -> int:
            """``count()``; note that ``list(qs)`` calls it too, so prefer ``qs.all()``."""
            return self.count()

    async def all(self) -> list[T]:
        """Every matching row, reading page after page (``fetch_size`` rows per request)."""
        mapper = mapper_of(self._model)
        pager = Pager(mapper.reads, self._state)
        execute = mapper.driver.execute_async
        rows: list[T] = []
        while (statement := pager.next_statement()) is not None:
            rows += pager.feed(await execute(statement))
        return rows

    async def first(self) -> T | None:
        """The first matching row (the query with ``limit(1)``), or ``None`` if none matches."""
        rows = await self.limit(1).all()
        return rows[0] if rows else None

    async def count(self) -> int:
        """How many rows match (``SELECT COUNT(*)``, capped at the query's ``limit``)."""
        mapper = mapper_of(self._model)
        page = await mapper.driver.execute_async(mapper.reads.count_statement(self._state))
        return mapper.reads.count_result(page, self._state.limit)

    async def page(
        self,
        paging_state: bytes | None = None,
        page_size: int | None = None,
        *,
        token: str | None = None,
        max_age: float | None = None,
    ) -> Page[T]:
        """Fetch one page of ``page_size`` rows (default: the query's ``fetch_size``).

        For the next page pass the returned ``next_token`` as ``token=``: safe to take from
        a browser, as a token that was altered, made for another query or (with ``max_age``,
        seconds) is too old raises InvalidPageToken before anything is sent. The raw
        ``paging_state`` works too, from trusted code only: a made-up one reaches the server.
        """
        query = self if page_size is None else self.fetch_size(page_size)
        opened = query._opened_token(paging_state, token, max_age)
        mapper = mapper_of(self._model)
        pager, binding = query._page_pager(mapper, query._state, paging_state, opened)
        statement = pager.next_statement()
        assert statement is not None
        items = pager.feed(await mapper.driver.execute_async(statement))
        return query._finished_page(mapper, pager, binding, items)


class QuerySet(_Reading[D, D], AnnSearch[D], Aggregating[D]):
    """A query on a model; runs on ``async for`` or when a terminal method is awaited."""

    __slots__ = ()

    def only(self, *columns: str) -> Self:
        """Load only ``columns`` (and always the primary key) into partial documents: reading
        another field raises UnloadedFieldError; ``save()`` writes only the loaded fields."""
        return self._with(only_columns(self._model, self._state, columns))

    def defer(self, *columns: str) -> Self:
        """Load every column but ``columns`` (never a key column); see ``only()``."""
        return self._with(defer_columns(self._model, self._state, columns))

    async def delete(
        self, *, if_conditions: Mapping[str, Any] | None = None, if_exists: bool = False
    ) -> None:
        """Delete the rows the filters select (they must name the whole partition key).

        With ``if_conditions``, ``if_exists=True`` or ``if_exists()`` the filters name one
        row by its whole primary key, and ConditionalWriteFailed (carrying the row) is raised
        if the DELETE was not applied.
        """
        mapper = mapper_of(self._model)
        state = self._state
        write = query_delete_write(mapper, state, if_conditions, if_exists)
        if write is None:
            await mapper.driver.execute_async(mapper.writes.delete_query_statement(state))
            return
        page = await mapper.driver.execute_async(with_query_options(state, write))
        mapper.conditions.check_applied(page, write.action)

    async def create(
        self,
        values: Mapping[str, Any] | None = None,
        /,
        *,
        ttl: int | None = None,
        timestamp: Any = None,
        **fields: Any,
    ) -> D:
        """Write a new document made of the filters (its whole primary key) and ``fields``,
        and return it. After ``if_not_exists()`` it is an INSERT IF NOT EXISTS, raising
        ConditionalWriteFailed (carrying the existing row) if the row was there; else an
        upsert like ``save()``. Takes the query's ``consistency()`` and ``timeout()``."""
        mapper = mapper_of(self._model)
        state = self._state
        document = create_document(mapper, state, values, fields)
        hooks = mapper.hooks  # an instance exists: it runs insert (or save) hooks
        if query_if_exists(mapper, state, "create", False):
            if hooks is not None:
                await run_hooks(hooks.before_insert, document)
            write = mapper.writes.insert_write(document, ttl, timestamp)
            page = await mapper.driver.execute_async(with_query_options(state, write))
            mapper.writes.finish(document, page, write)
            if hooks is not None:
                await run_hooks(hooks.after_insert, document)
        else:
            if hooks is not None:
                await run_hooks(hooks.before_save, document)
            statement = mapper.writes.save_statement(document, ttl, timestamp)
            with_request_options(statement, state.consistency, state.timeout)
            await mapper.driver.execute_async(statement)
            if hooks is not None:
                await run_hooks(hooks.after_save, document)
        return document  # type: ignore[no-any-return]

    async def update(
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

        Takes what ``Document.update`` takes, collection operators included, and the
        query's ``consistency()``, ``timeout()`` and (when conditional)
        ``serial_consistency()``. With ``if_conditions``/``if_exists`` (or the query's
        ``if_exists()``) raises ConditionalWriteFailed, carrying the row, if not applied.
        """
        mapper = mapper_of(self._model)
        state = self._state
        if_exists = query_if_exists(mapper, state, "update", if_exists)
        write = mapper.updates.query_update_write(
            state, values, fields, ttl, timestamp, if_conditions, if_exists
        )
        page = await mapper.driver.execute_async(with_query_options(state, write))
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

    def with_similarity(self, function: Similarity | None = None) -> ScoredQuerySet[D]:
        """Read each row of an ANN search (``order_by_ann``) with its similarity score, as
        ``(document, score)`` pairs; ``function`` is ``"cosine"``, ``"euclidean"`` or
        ``"dot_product"`` (default: the one the column's index uses)."""
        return ScoredQuerySet(self._model, self._scored_state(function))


class ValuesQuerySet(_Reading[D, T], AnnSearch[D]):
    """A query handing out plain rows (see ``QuerySet.values_list`` and ``values``)."""

    __slots__ = ()

    def distinct(self) -> Self:
        """One row per partition (SELECT DISTINCT): select the partition key, and static
        columns if you like, e.g. ``Review.find().values_list("product_id").distinct()``."""
        return self._with(self._distinct_state())


class ScoredQuerySet(_Reading[D, tuple[D, float]]):
    """An ANN search handing out ``(document, similarity)`` pairs (see ``with_similarity``)."""

    __slots__ = ()
