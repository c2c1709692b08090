"""Statement shapes: one frozen record per statement's CQL text (no I/O).

A shape names every fact that changes the text of a statement: its table, columns,
conditions with their operators, order, which limits and options are present. It is both
the key of the CQL text cache and the only argument of its renderer, so the cache and the
text cannot disagree: a fact the renderer reads is a field of the key.

Shapes are ``NamedTuple``s (built and hashed at C speed on the query paths); the leading
``kind`` field keeps two kinds of shape with equal fields apart in the shared cache. The
table is the :class:`~coodie.model.schema.TableSchema` itself, which hashes by identity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from coodie.cql import dml, select

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.model.schema import TableSchema

__all__ = [
    "RENDERERS",
    "CountShape",
    "DeleteShape",
    "InsertShape",
    "SelectShape",
    "Shape",
    "UpdateShape",
    "cql_text",
]

#: ``(column, operator)`` pairs, e.g. ``(("id", "eq"), ("price", "gte"))``.
Conditions = tuple[tuple[str, str], ...]


class InsertShape(NamedTuple):
    """What makes an INSERT's CQL text: statements of one shape share one prepared statement."""

    kind: Literal["insert"]
    table: TableSchema
    columns: tuple[str, ...]
    if_not_exists: bool
    ttl: bool
    timestamp: bool


class UpdateShape(NamedTuple):
    """What makes an UPDATE's CQL text: statements of one shape share one prepared statement."""

    kind: Literal["update"]
    table: TableSchema
    #: ``(column, kind)`` with kind ``set``, ``add``, ``prepend`` or ``remove``.
    assignments: tuple[tuple[str, str], ...]
    ttl: bool
    timestamp: bool
    if_exists: bool
    if_conditions: Conditions


class DeleteShape(NamedTuple):
    """What makes a DELETE's CQL text: statements of one shape share one prepared statement."""

    kind: Literal["delete"]
    table: TableSchema
    #: Columns to delete; empty for the whole row.
    columns: tuple[str, ...]
    #: The WHERE clause (the primary key for a single row).
    where: Conditions
    timestamp: bool
    if_exists: bool
    if_conditions: Conditions


class SelectShape(NamedTuple):
    """What makes a SELECT's CQL text: statements of one shape share one prepared statement."""

    kind: Literal["select"]
    table: TableSchema
    columns: tuple[str, ...]
    conditions: Conditions
    distinct: bool
    token_start: bool
    token_end: bool
    #: ``(column, descending)`` pairs.
    order_by: tuple[tuple[str, bool], ...]
    per_partition_limit: bool
    limit: bool
    allow_filtering: bool
    #: ``ORDER BY <ann> ANN OF ?``: the vector column, and the similarity function read.
    ann: str | None = None
    score: str | None = None
    #: Selected columns read as ``toJson(col) AS col`` (the driver cannot decode them).
    json_columns: frozenset[str] = frozenset()


class CountShape(NamedTuple):
    """What makes a ``SELECT COUNT(*)``'s CQL text: one shape, one prepared statement."""

    kind: Literal["count"]
    table: TableSchema
    conditions: Conditions
    token_start: bool
    token_end: bool
    allow_filtering: bool


Shape = InsertShape | UpdateShape | DeleteShape | SelectShape | CountShape


def _if_parts(if_exists: bool, if_conditions: Conditions) -> Conditions:
    if if_exists and if_conditions:
        raise ValueError("a statement takes IF EXISTS or IF conditions, not both")
    return if_conditions


def render_insert(shape: InsertShape) -> str:
    return dml.insert(
        shape.table,
        shape.columns,
        if_not_exists=shape.if_not_exists,
        ttl=shape.ttl,
        timestamp=shape.timestamp,
    )


def render_update(shape: UpdateShape) -> str:
    return dml.update(
        shape.table,
        shape.assignments,
        ttl=shape.ttl,
        timestamp=shape.timestamp,
        if_exists=shape.if_exists,
        if_conditions=_if_parts(shape.if_exists, shape.if_conditions),
    )


def render_delete(shape: DeleteShape) -> str:
    return dml.delete(
        shape.table,
        columns=shape.columns,
        where=shape.where,
        timestamp=shape.timestamp,
        if_exists=shape.if_exists,
        if_conditions=_if_parts(shape.if_exists, shape.if_conditions),
    )


def render_select(shape: SelectShape) -> str:
    return select.select(
        shape.table,
        shape.conditions,
        columns=shape.columns,
        distinct=shape.distinct,
        token_start=shape.token_start,
        token_end=shape.token_end,
        order_by=shape.order_by,
        per_partition_limit=shape.per_partition_limit,
        limit=shape.limit,
        allow_filtering=shape.allow_filtering,
        ann=shape.ann,
        score=shape.score,
        json_columns=shape.json_columns,
    )


def render_count(shape: CountShape) -> str:
    return select.count(
        shape.table,
        shape.conditions,
        token_start=shape.token_start,
        token_end=shape.token_end,
        allow_filtering=shape.allow_filtering,
    )


#: The renderer of each kind of shape: a function of the shape alone.
RENDERERS: dict[str, Callable[[Any], str]] = {
    "insert": render_insert,
    "update": render_update,
    "delete": render_delete,
    "select": render_select,
    "count": render_count,
}


def cql_text(shape: Shape) -> str:
    """The CQL text of ``shape``, rendered once per shape and table, then cached."""
    cache = shape.table.cql_cache
    text = cache.get(shape)
    if text is None:
        text = cache[shape] = RENDERERS[shape.kind](shape)
    return text
