"""Aggregate reads: ``SELECT sum(col), ... FROM t WHERE ...`` (text only, values are ``?``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.cql.select import where_clause
from coodie.model.identifiers import quote

if TYPE_CHECKING:
    from collections.abc import Sequence

    from coodie.model.schema import TableSchema

__all__ = ["aggregate"]


def aggregate(
    schema: TableSchema,
    function: str,
    column: str,
    conditions: Sequence[tuple[str, str]] = (),
    *,
    cast: str | None = None,
    result_cast: str | None = None,
    count: bool = False,
    token_start: bool = False,
    token_end: bool = False,
    allow_filtering: bool = False,
) -> str:
    """``SELECT function(column) [, COUNT(column)] FROM t [WHERE ...]``, the column first
    cast to ``cast`` and the answer to ``result_cast`` when given (CQL ``CAST``)."""
    name = quote(column)
    selectors = f"{function}({name if cast is None else f'CAST({name} AS {cast})'})"
    if result_cast is not None:
        selectors = f"CAST({selectors} AS {result_cast})"
    if count:
        selectors += f", COUNT({name})"
    cql = f"SELECT {selectors} FROM {schema.qualified_table}"
    cql += where_clause(schema, conditions, token_start, token_end)
    if allow_filtering:
        cql += " ALLOW FILTERING"
    return cql
