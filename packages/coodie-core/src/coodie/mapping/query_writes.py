"""Conditional writes of the row a query names: ``find(...).if_exists().update(...)``,
``find(...).if_not_exists().create(...)``, ``find(...).delete(if_conditions=...)`` (no I/O).

The query's equality filters are the row's primary key; ``if_exists()`` /
``if_not_exists()`` are kept on the query state, and each write checks it takes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coodie.drivers.statement import Statement
from coodie.exceptions import InvalidQueryError
from coodie.mapping.shapes import DeleteShape, cql_text
from coodie.mapping.writes import Write
from coodie.query.checks import update_key
from coodie.query.write_options import with_request_options

if TYPE_CHECKING:
    from collections.abc import Mapping

    from coodie.mapping.mapper import Mapper
    from coodie.query.state import QueryState

__all__ = ["create_document", "query_delete_write", "query_if_exists", "with_query_options"]

#: Which write takes which of the query's conditions.
_TAKES = {"update": "exists", "delete": "exists", "create": "not_exists"}
_SPELLING = {"exists": "if_exists()", "not_exists": "if_not_exists()"}


def query_if_exists(mapper: Mapper[Any], state: QueryState, action: str, if_exists: bool) -> bool:
    """Whether ``action`` (update, delete or create) runs with the query's IF [NOT] EXISTS; a
    condition the statement cannot carry is refused (UPDATE/DELETE have no IF NOT EXISTS,
    INSERT has no IF EXISTS)."""
    condition = state.write_condition
    if condition is None:
        return if_exists
    if condition != _TAKES[action]:
        fits = _SPELLING[_TAKES[action]]
        raise InvalidQueryError(
            f"{mapper.name}: {_SPELLING[condition]} does not apply to {action}(); "
            f"{action}() of a query takes {fits}"
            + (" or if_conditions=." if action != "create" else ".")
        )
    return True


def with_query_options(state: QueryState, write: Write) -> Statement:
    """``write``'s statement with the query's consistency, timeout and (conditional writes
    only) serial consistency."""
    serial = state.serial_consistency if write.conditional else None
    return with_request_options(write.statement, state.consistency, state.timeout, serial)


def query_delete_write(
    mapper: Mapper[Any],
    state: QueryState,
    if_conditions: Mapping[str, Any] | None,
    if_exists: bool,
) -> Write | None:
    """The conditional DELETE of the one row the query names by its whole primary key, or
    ``None`` when unconditional (``Writes.delete_query_statement`` deletes by query)."""
    if_exists = query_if_exists(mapper, state, "delete", if_exists)
    if not if_exists and not if_conditions:
        return None
    key = update_key(mapper.schema, state, "conditional delete")
    conditions = mapper.conditions.parse(if_conditions, if_exists)
    values = mapper.writes.values
    bound = values.key_values(key)
    bound.extend(v for _, _, vs in conditions for v in vs)
    shape = DeleteShape(
        "delete",
        mapper.schema,
        (),
        tuple((name, "eq") for name in values.key_names),
        False,
        if_exists,
        tuple((target, op) for target, op, _ in conditions),
    )
    statement = Statement(cql_text(shape), bound, idempotent=False)
    return Write(statement, {}, True, "delete")


def create_document(
    mapper: Mapper[Any], state: QueryState, values: Mapping[str, Any] | None, fields: dict[str, Any]
) -> Any:
    """The document ``create()`` writes: the query's key filters plus the given values,
    validated by the model as ``Model(...)`` does."""
    key = update_key(mapper.schema, state, "create")
    given = dict(fields) if values is None else {**values, **fields}
    twice = sorted(set(key) & set(given))
    if twice:
        raise InvalidQueryError(
            f"{mapper.name}: create() got {', '.join(twice)} from the query's filters and as "
            "values; name each field once."
        )
    return mapper.model(**key, **given)
