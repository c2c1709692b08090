"""Read statements: SELECT, SELECT COUNT(*), and DELETE by query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.cql.conditions import render_conditions, token_expression
from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from coodie.model.schema import TableSchema

__all__ = ["count", "select", "where_clause"]


def where_clause(
    schema: TableSchema,
    conditions: Sequence[tuple[str, str]],
    token_start: bool = False,
    token_end: bool = False,
) -> str:
    """The `` WHERE ...`` of a SELECT: ``conditions``, plus ``token(pk) > ?`` / ``<= ?`` bounds when
    asked; empty when there is nothing to filter."""
    parts = [render_conditions(conditions)] if conditions else []
    if token_start or token_end:
        token = token_expression([c.name for c in schema.partition_keys])
        if token_start:
            parts.append(f"{token} > ?")
        if token_end:
            parts.append(f"{token} <= ?")
    return f" WHERE {' AND '.join(parts)}" if parts else ""


def select(
    schema: TableSchema,
    conditions: Sequence[tuple[str, str]] = (),
    *,
    columns: Sequence[str] | None = None,
    token_start: bool = False,
    token_end: bool = False,
    order_by: Sequence[tuple[str, bool]] = (),
    per_partition_limit: bool = False,
    limit: bool = False,
    allow_filtering: bool = False,
    distinct: bool = False,
    ann: str | None = None,
    score: str | None = None,
    json_columns: Collection[str] = (),
) -> str:
    """``SELECT [DISTINCT] cols FROM t [WHERE ...] [ORDER BY ...] [PER PARTITION LIMIT ?]
    [LIMIT ?]``.

    ``order_by`` holds ``(column, descending)`` pairs. Limits are bind markers. ``ann``
    orders by that vector column ``ANN OF ?``; ``score`` (a similarity function) adds
    ``score(ann, ?)`` as the last selected column. ``json_columns`` are selected as
    ``toJson(col) AS col``, under their own names.
    """
    names = ", ".join(
        f"toJson({quote(c)}) AS {quote(c)}" if c in json_columns else quote(c)
        for c in (columns or schema.column_names)
    )
    if ann is not None and score is not None:
        names += f", {score}({quote(ann)}, ?) AS similarity"
    cql = f"SELECT {'DISTINCT ' if distinct else ''}{names} FROM {schema.qualified_table}"
    cql += where_clause(schema, conditions, token_start, token_end)
    if ann is not None:
        cql += f" ORDER BY {quote(ann)} ANN OF ?"
    elif order_by:
        cql += " ORDER BY " + ", ".join(
            f"{quote(name)} {'DESC' if desc else 'ASC'}" for name, desc in order_by
        )
    if per_partition_limit:
        cql += " PER PARTITION LIMIT ?"
    if limit:
        cql += " LIMIT ?"
    if allow_filtering:
        cql += " ALLOW FILTERING"
    return cql


def count(
    schema: TableSchema,
    conditions: Sequence[tuple[str, str]] = (),
    *,
    token_start: bool = False,
    token_end: bool = False,
    allow_filtering: bool = False,
) -> str:
    """``SELECT COUNT(*)`` over the rows matching ``conditions`` (and the token bounds)."""
    cql = f"SELECT COUNT(*) FROM {schema.qualified_table}"
    cql += where_clause(schema, conditions, token_start, token_end)
    if allow_filtering:
        cql += " ALLOW FILTERING"
    return cql
