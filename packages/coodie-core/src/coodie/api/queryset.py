"""Immutable, chainable query building shared by the sync and async QuerySets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from coodie.api.previews import PreviewKind, preview_statement
from coodie.connections import DEFAULT
from coodie.drivers.statement import Consistency
from coodie.exceptions import InvalidQueryError
from coodie.mapping.paging import Pager
from coodie.query.checks import check_distinct
from coodie.query.page_tokens import (
    OpenedToken,
    check_binding,
    issue_token,
    open_token,
    query_binding,
)
from coodie.query.state import (
    MAX_TOKEN,
    MIN_TOKEN,
    QueryState,
    RowForm,
    add_filters,
    project,
    unknown_column,
)
from coodie.query.write_options import (
    check_consistency,
    check_serial_consistency,
    check_timeout,
)

if TYPE_CHECKING:
    from typing_extensions import Self

    from coodie.api.document import DocumentBase
    from coodie.drivers.statement import Consistency, Statement
    from coodie.mapping import Mapper

__all__ = ["Page", "QuerySetBase", "token_ranges"]

D = TypeVar("D", bound="DocumentBase")
T = TypeVar("T")
#: Where an unfiltered query starts (states are immutable: one is shared).
_EMPTY = QueryState()


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and how to fetch the next (both ``None`` on the last page).

    ``next_token`` is what web apps hand to clients and take back as ``page(token=...)``:
    signed and bound to this query, so a client cannot alter it or use it elsewhere.
    ``paging_state`` is the driver's raw state, for trusted code only.
    """

    items: list[T] = field(default_factory=list)
    paging_state: bytes | None = None
    #: Not compared: it carries when it was signed, and says no more than ``paging_state``.
    next_token: str | None = field(default=None, compare=False)

    @property
    def has_more(self) -> bool:
        """Whether the server has another page after this one."""
        return self.paging_state is not None


class QuerySetBase(Generic[D]):
    """The chainable part of a QuerySet: every call returns a new QuerySet, never mutates."""

    __slots__ = ("_model", "_state")

    def __init__(self, model: type[D], state: QueryState | None = None) -> None:
        self._model = model
        self._state = state or _EMPTY

    @property
    def model(self) -> type[D]:
        """The Document class this query reads."""
        return self._model

    @property
    def state(self) -> QueryState:
        """The query's immutable description (filters, order, limits, options)."""
        return self._state

    def _with(self, state: QueryState) -> Self:
        return type(self)(self._model, state)

    def filter(self, **filters: Any) -> Self:
        """Add WHERE conditions: ``name=value`` or ``name__op=value``.

        Operators: ``gt gte lt lte in contains contains_key``.
        """
        return self._with(add_filters(self._model.coodie_schema(), self._state, filters))

    def limit(self, count: int) -> Self:
        """At most ``count`` rows (CQL ``LIMIT``); ``count`` must be a positive int."""
        if type(count) is not int or count < 1:
            raise InvalidQueryError(f"limit({count!r}) must be a positive int.")
        return self._with(self._state.with_(limit=count))

    def per_partition_limit(self, count: int) -> Self:
        """At most ``count`` rows from each partition (CQL ``PER PARTITION LIMIT``)."""
        if type(count) is not int or count < 1:
            raise InvalidQueryError(f"per_partition_limit({count!r}) must be a positive int.")
        return self._with(self._state.with_(per_partition_limit=count))

    def order_by(self, *columns: str) -> Self:
        """Order by clustering columns; prefix a name with ``-`` for descending."""
        schema = self._model.coodie_schema()
        order = []
        for spec in columns:
            name = spec.lstrip("-+")
            if name not in schema.by_name:
                raise unknown_column(schema, name)
            order.append((name, spec.startswith("-")))
        return self._with(self._state.with_(order_by=tuple(order)))

    def allow_filtering(self) -> Self:
        """Add ``ALLOW FILTERING``: lets Cassandra scan for filters no key or index serves (slow on
        large tables)."""
        return self._with(self._state.with_(allow_filtering=True))

    def token_range(self, start: int | None = None, end: int | None = None) -> Self:
        """Rows whose partition token is in ``(start, end]`` (``None``: unbounded).

        Use with :func:`token_ranges` to scan a whole table in independent slices.
        """
        for bound in (start, end):
            if bound is not None and (
                type(bound) is not int or not MIN_TOKEN <= bound <= MAX_TOKEN
            ):
                raise InvalidQueryError(
                    f"token_range bound {bound!r} must be an int between {MIN_TOKEN} and "
                    f"{MAX_TOKEN}, or None."
                )
        if start is not None and end is not None and start >= end:
            raise InvalidQueryError(f"token_range({start}, {end}) is empty: start must be < end.")
        return self._with(self._state.with_(token_start=start, token_end=end))

    def fetch_size(self, rows: int) -> Self:
        """Rows per page fetched from the server while iterating."""
        if type(rows) is not int or rows < 1:
            raise InvalidQueryError(f"fetch_size({rows!r}) must be a positive int.")
        return self._with(self._state.with_(fetch_size=rows))

    def consistency(self, level: Consistency | str) -> Self:
        """Run the query at consistency ``level`` (a ``Consistency`` or its name, e.g.
        ``"QUORUM"``)."""
        return self._with(self._state.with_(consistency=check_consistency(level)))

    def serial_consistency(self, level: Consistency | str) -> Self:
        """The Paxos level (SERIAL or LOCAL_SERIAL) of this query's conditional
        ``update(if_exists=True / if_conditions=...)``."""
        return self._with(self._state.with_(serial_consistency=check_serial_consistency(level)))

    def if_exists(self) -> Self:
        """Make this query's ``update()`` / ``delete()`` conditional on the row existing
        (``IF EXISTS``): not applied raises ConditionalWriteFailed."""
        return self._with(self._state.with_(write_condition="exists"))

    def if_not_exists(self) -> Self:
        """Make this query's ``create()`` an ``INSERT ... IF NOT EXISTS``: a row already
        there raises ConditionalWriteFailed carrying it."""
        return self._with(self._state.with_(write_condition="not_exists"))

    def timeout(self, seconds: float) -> Self:
        """Give the query ``seconds`` (a positive number) before the driver gives up."""
        return self._with(self._state.with_(timeout=check_timeout(seconds)))

    def _opened_token(
        self, paging_state: bytes | None, token: str | None, max_age: float | None
    ) -> OpenedToken | None:
        """``page()``'s token, its signature checked before anything else (no connection
        needed); InvalidQueryError for arguments that do not go together."""
        if max_age is not None and (
            isinstance(max_age, bool) or not isinstance(max_age, (int, float)) or max_age <= 0
        ):
            raise InvalidQueryError(f"max_age={max_age!r} must be a positive number of seconds.")
        if token is None:
            if paging_state is not None and not isinstance(paging_state, bytes):
                raise InvalidQueryError(
                    f"paging_state must be the bytes of a Page's paging_state, got "
                    f"{type(paging_state).__name__}; pass a Page's next_token as token=."
                )
            return None
        if paging_state is not None:
            raise InvalidQueryError(
                "page() takes token= (from a client) or paging_state= (trusted code), not both."
            )
        connection = self._model.coodie_schema().connection or DEFAULT
        return open_token(connection, token, max_age)

    @staticmethod
    def _page_pager(
        mapper: Mapper[Any],
        state: QueryState,
        paging_state: bytes | None,
        opened: OpenedToken | None,
    ) -> tuple[Pager, bytes]:
        """The pager of one ``page()`` and its query's token binding; a token made for
        another query is refused here, before the statement exists."""
        pager = Pager(mapper.reads, state, paging_state)
        select = pager.select
        model = mapper.model
        binding = query_binding(
            f"{model.__module__}.{model.__qualname__}", mapper.schema.keyspace, select.cql, state
        )
        if opened is not None:
            pager.paging_state = check_binding(opened, binding, mapper.name)
        return pager, binding

    @staticmethod
    def _finished_page(
        mapper: Mapper[Any], pager: Pager, binding: bytes, items: list[T]
    ) -> Page[T]:
        state = pager.paging_state
        return Page(items, state, issue_token(mapper.connection, binding, state))

    def _projected(self, columns: tuple[str, ...], form: RowForm, method: str) -> QueryState:
        """The state of ``values_list()`` / ``values()`` (both APIs build their own class)."""
        if self._state.row_form not in ("document", "partial"):
            raise InvalidQueryError(
                f"{self._model.__name__}: {method}() was already applied to this query; call "
                "it once, on the QuerySet of documents."
            )
        return project(self._model.coodie_schema(), self._state, columns, form, method)

    def _distinct_state(self) -> QueryState:
        """The state of ``ValuesQuerySet.distinct()`` (checked now and again when it runs)."""
        state = self._state.with_(distinct=True)
        check_distinct(self._model.coodie_schema(), state)
        return state

    def cql(self, kind: PreviewKind = "select") -> Statement:
        """The statement this query would send (CQL text and bound values), without sending.

        ``kind``: ``"select"`` (its rows; the first page), ``"count"`` or ``"delete"``.
        """
        return preview_statement(self._model, self._state, kind)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._model.__name__} {self._state}>"


def token_ranges(splits: int) -> list[tuple[int | None, int | None]]:
    """Split the Murmur3 token ring into ``splits`` contiguous ``(start, end]`` ranges.

    The first range has no lower bound and the last no upper bound, so together they cover
    every row exactly once.
    """
    if type(splits) is not int or splits < 1:
        raise InvalidQueryError(f"token_ranges({splits!r}) needs a positive int.")
    span = MAX_TOKEN - MIN_TOKEN
    bounds = [MIN_TOKEN + span * i // splits for i in range(1, splits)]
    starts: list[int | None] = [None, *bounds]
    ends: list[int | None] = [*bounds, None]
    return list(zip(starts, ends, strict=True))
