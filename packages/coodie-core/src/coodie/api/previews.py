"""``QuerySet.cql()``: the statement a query would send, built as for sending, not sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from coodie.api.document import mapper_of
from coodie.exceptions import InvalidQueryError
from coodie.mapping.paging import Pager

if TYPE_CHECKING:
    from coodie.api.document import DocumentBase
    from coodie.drivers.statement import Statement
    from coodie.query.state import QueryState

__all__ = ["PreviewKind", "preview_statement"]

PreviewKind = Literal["select", "count", "delete"]


def preview_statement(
    model: type[DocumentBase], state: QueryState, kind: PreviewKind = "select"
) -> Statement:
    """The first statement ``kind`` (the query's rows, its ``count()`` or its ``delete()``)
    would send: the same checks and CQL text, with the values as they would be bound."""
    mapper: Any = mapper_of(model)
    if kind == "select":
        statement: Statement | None = Pager(mapper.reads, state).next_statement()
        assert statement is not None  # a query always has a first page
        return statement
    if kind == "count":
        return mapper.reads.count_statement(state)  # type: ignore[no-any-return]
    if kind == "delete":
        return mapper.writes.delete_query_statement(state)  # type: ignore[no-any-return]
    raise InvalidQueryError(
        f"{model.__name__}.find(...).cql({kind!r}): kind is 'select' (the default), 'count' "
        "or 'delete'."
    )
