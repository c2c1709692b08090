"""Reads of one model on one driver: SELECT statements and their results (no I/O).

:class:`Reads` turns a query state into a :class:`Select` once per query; the pager
(:mod:`coodie.mapping.paging`) asks it for each page's statement and converts each page with the
row readers, without going back to the mapper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from coodie.drivers.statement import ResultPage, Statement, bound
from coodie.exceptions import DocumentNotFound, InvalidQueryError, MultipleDocumentsFound
from coodie.mapping.shapes import CountShape, SelectShape, cql_text
from coodie.mapping.writes import missing_field
from coodie.query.ann import check_ann
from coodie.query.checks import check_distinct, check_limits, check_select
from coodie.query.state import QueryState, add_filters

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pydantic import BaseModel

    from coodie.mapping.readers import RowReaders
    from coodie.mapping.values import ColumnValues

__all__ = ["Reads", "Select"]

D = TypeVar("D", bound="BaseModel")


class Select(NamedTuple):
    """A validated SELECT: its text and bound values, and the query's statement options."""

    cql: str
    values: list[Any]
    state: QueryState

    def statement(self, paging_state: bytes | None = None) -> Statement:
        """The statement of the page after ``paging_state`` (``None``: the first)."""
        state = self.state
        return Statement(
            self.cql,
            list(self.values),
            fetch_size=state.fetch_size,
            paging_state=paging_state,
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )


class Reads(Generic[D]):
    """SELECT, COUNT and key lookups of one model, and what their results become."""

    def __init__(
        self,
        values: ColumnValues,
        readers: RowReaders,
        names: tuple[str, ...] | None = None,
        json_columns: frozenset[str] | None = None,
    ) -> None:
        self.values = values
        #: What a query without ``only()``-style columns selects (a polymorphic table: the
        #: columns of its whole hierarchy).
        self.names = values.names if names is None else names
        self.readers = readers
        #: Columns the driver reads as ``toJson(col)`` (a polymorphic table: its whole
        #: hierarchy's).
        self.json_columns = frozenset(values.json_columns) if json_columns is None else json_columns
        self.schema = values.schema
        self.name = values.name
        self.key_names = values.key_names
        #: ``(columns, form) -> Hydrators``: the converters of one result's rows.
        self.rows = readers.readers
        # Bound once: get() and refresh() are hot paths.
        self._lookup_values = values.lookup_values
        self._key_values = values.key_values
        self._hydrators = readers.hydrators
        #: CQL text of the SELECT (keyed with whether the query names no columns) and COUNT
        #: shapes that passed the checks (as many as the table's prepared statements).
        self._checked: dict[Any, str] = {}
        key = tuple((name, "eq") for name in values.key_names)
        names = self.names
        self.cql_get = cql_text(
            SelectShape(
                "select",
                self.schema,
                names,
                key,
                *(False, False, False, (), False, False, False),
                json_columns=self._json_of(names),
            )
        )

    def select(self, state: QueryState) -> Select:
        """``state`` checked against the schema, with its CQL text and bound values."""
        ann = state.ann
        columns = state.columns or self.names
        shape = SelectShape(
            "select",
            self.schema,
            columns,
            state.conditions(),
            state.distinct,
            state.token_start is not None,
            state.token_end is not None,
            state.order_by,
            state.per_partition_limit is not None,
            state.limit is not None,
            state.allow_filtering,
            None if ann is None else ann.column,
            None if ann is None else ann.score,
            self._json_of(columns),  # positional: a NamedTuple's keywords cost more
        )
        # What the checks read of a state is its shape (and, for distinct(), whether it
        # names its columns), bar the limits' values: a shape is checked once.
        cql = self._checked_cql((shape, state.columns is None), shape, state, self._check)
        values = self.values.where_values(state)
        if ann is not None:
            vector = self.values.encode(ann.column, ann.vector)
            values.append(vector)
            if ann.score is not None:
                values.insert(0, vector)
        if state.per_partition_limit is not None:
            values.append(state.per_partition_limit)
        if state.limit is not None:
            values.append(state.limit)
        return Select(cql, values, state)

    def _checked_cql(
        self, key: Any, shape: Any, state: QueryState, check: Callable[[QueryState], None]
    ) -> str:
        """The CQL text of ``shape``, after ``check(state)`` the first time ``key`` is seen;
        later only the limits' values are checked (the rest depends on the shape alone)."""
        cql = self._checked.get(key)
        if cql is None:
            check(state)
            cql = self._checked[key] = cql_text(shape)
        else:
            check_limits(self.schema, state)
        return cql

    def _check(self, state: QueryState) -> None:
        schema = self.schema
        if state.ann is not None:
            check_ann(schema, state)
        check_select(schema, state)
        if state.distinct:
            check_distinct(schema, state)

    def _json_of(self, columns: tuple[str, ...]) -> frozenset[str]:
        """The ones of ``columns`` read as ``toJson(col)`` (usually none)."""
        json_columns = self.json_columns
        return json_columns.intersection(columns) if json_columns else json_columns

    def select_statement(self, state: QueryState, paging_state: bytes | None = None) -> Statement:
        """The SELECT for ``state``, resuming at ``paging_state`` when given."""
        return self.select(state).statement(paging_state)

    def get_statement(self, filters: Mapping[str, Any]) -> Statement:
        """Statement for ``get(**filters)``: a prepared key lookup when ``filters`` is exactly
        the primary key, else a validated query limited to 2 rows (to detect duplicates)."""
        if len(filters) == len(self.key_names):
            try:
                values = self._lookup_values(filters)
            except KeyError:
                pass
            else:
                return bound(self.cql_get, values, True, True)
        state = add_filters(self.schema, QueryState(limit=2), filters)
        return self.select_statement(state)

    def count_statement(self, state: QueryState) -> Statement:
        """The ``SELECT COUNT(*)`` for ``state``; refused for a distinct() query."""
        if state.distinct:
            raise InvalidQueryError(
                f"{self.name}: count() of a distinct() query is not something Cassandra can "
                "answer; count the partitions while iterating, e.g. sum(1 for _ in query)."
            )
        shape = CountShape(
            "count",
            self.schema,
            state.conditions(),
            state.token_start is not None,
            state.token_end is not None,
            state.allow_filtering,
        )
        return Statement(
            self._checked_cql(shape, shape, state, self._check_count),
            self.values.where_values(state),
            consistency=state.consistency,
            timeout=state.timeout,
            idempotent=True,
        )

    def _check_count(self, state: QueryState) -> None:
        check_select(self.schema, state, for_count=True)

    @staticmethod
    def count_result(page: ResultPage, limit: int | None) -> int:
        """The count in ``page``, capped at ``limit`` (COUNT ignores LIMIT in Cassandra)."""
        total = int(page.rows[0][0]) if page.rows else 0
        return total if limit is None else min(total, limit)

    def refresh_statement(self, doc: Any) -> Statement:
        """The SELECT of ``doc``'s row by its primary key (``refresh()``); a coodie error
        naming the field when the instance lacks part of its key (``model_construct``)."""
        try:
            key = self._key_values(doc.__dict__)
        except KeyError as error:
            raise missing_field(self.values, doc, error) from None
        return bound(self.cql_get, key, True, True)

    def refresh(self, doc: D, page: ResultPage) -> None:
        """Replace ``doc``'s field values by the row just read; DocumentNotFound if it is gone."""
        data = doc.__dict__
        fresh = self.one(page, {name: data[name] for name in self.key_names})
        data.update(fresh.__dict__)
        doc.__pydantic_fields_set__.update(fresh.__pydantic_fields_set__)

    def one(self, page: ResultPage, filters: Mapping[str, Any]) -> D:
        """The single document of a ``get()``; raises DocumentNotFound / MultipleDocumentsFound."""
        rows = page.rows
        if len(rows) == 1:
            return self._hydrators(page.columns).one(rows[0])  # type: ignore[no-any-return]
        docs: list[D] = self.readers.hydrate(page)
        if len(docs) == 1:
            return docs[0]
        shown = ", ".join(f"{k}={v!r}" for k, v in filters.items())
        if not docs:
            raise DocumentNotFound(f"No {self.name} matches {shown or 'the query'}.")
        raise MultipleDocumentsFound(
            f"More than one {self.name} matches {shown}; filter on the full primary key "
            f"({', '.join(self.key_names)}) or use find(...).all()."
        )
