"""What ``sum()`` / ``avg()`` / ``min()`` / ``max()`` of a column may be, and how CQL computes
it (no I/O).

CQL computes an aggregate in the column's own type: ``sum`` of an ``int`` column overflows at
2**31 and ``avg`` of one is truncated to an int. coodie asks for the exact answer instead:
integer columns are summed as ``varint`` (an exact Python int) and averaged as ``double``
(a float); ``float`` columns are summed and averaged as ``double``; ``decimal`` stays
``decimal`` (read back as text: acsylla cannot decode a decimal computed by a function).
``min``/``max`` keep the column's type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from coodie.exceptions import InvalidQueryError
from coodie.query.checks import check_select

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition, TableSchema
    from coodie.query.state import QueryState

__all__ = ["AGGREGATES", "AggregatePlan", "plan_aggregate"]

AGGREGATES = ("sum", "avg", "min", "max")
_INTEGERS = frozenset({"tinyint", "smallint", "int", "bigint", "varint", "counter"})
_FLOATS = frozenset({"float", "double"})
_NUMERIC = _INTEGERS | _FLOATS | {"decimal"}


class AggregatePlan(NamedTuple):
    """One aggregate: its function and column, the CQL type the column is cast to first
    (``None``: none), the CQL type of the answer (``None``: the column's own), and the type
    the answer is cast to for the trip back (``None``: none)."""

    function: str
    column: str
    cast: str | None
    result_type: str | None
    result_cast: str | None = None


def plan_aggregate(
    schema: TableSchema, state: QueryState, function: str, column: str
) -> AggregatePlan:
    """The checked plan of ``function(column)`` over the rows ``state`` selects."""
    model = schema.model_name
    if not isinstance(column, str) or column not in schema.by_name:
        raise InvalidQueryError(
            f"{model}: {function}({column!r}) names no column of {model}; use one of: "
            f"{', '.join(schema.column_names)}."
        )
    if state.distinct:
        raise InvalidQueryError(
            f"{model}: {function}() of a distinct() query is not something Cassandra can answer; "
            "aggregate the query without distinct()."
        )
    for option, used in (
        ("limit()", state.limit is not None),
        ("per_partition_limit()", state.per_partition_limit is not None),
    ):
        if used:
            raise InvalidQueryError(
                f"{model}: {function}() aggregates every row the filters select; {option} would "
                f"not limit them in CQL. Drop {option}, or narrow the filters."
            )
    check_select(schema, state, for_count=True)
    definition = schema.by_name[column]
    return _plan(model, function, definition)


def _plan(model: str, function: str, column: ColumnDefinition) -> AggregatePlan:
    cql_type = column.cql_type
    name = column.name
    if function in ("sum", "avg"):
        if cql_type.name not in _NUMERIC or cql_type.params:
            raise InvalidQueryError(
                f"{model}.{name}: {function}() needs a numeric column (int, bigint, varint, "
                f"float, double, decimal, counter, ...), but {name} is {cql_type.cql}; use "
                "min() / max() for other types."
            )
        if cql_type.name in _INTEGERS:
            cast = "varint" if function == "sum" else "double"
            return AggregatePlan(function, name, cast, cast)
        if cql_type.name in _FLOATS:
            return AggregatePlan(function, name, "double", "double")
    if cql_type.params:
        raise InvalidQueryError(
            f"{model}.{name}: {function}() compares single values, but {name} is "
            f"{cql_type.cql}; aggregate a scalar column."
        )
    if cql_type.name == "decimal":
        return AggregatePlan(function, name, None, "decimal", "text")
    return AggregatePlan(function, name, None, None)
