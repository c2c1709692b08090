"""Aggregate reads of one model on one driver: ``QuerySet.sum/avg/min/max`` as a statement
and its answer in Python types (no I/O). The checks are :mod:`coodie.query.aggregates`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from coodie.cql import aggregates as cql
from coodie.drivers.statement import Statement
from coodie.mapping.codecs import build_decoder
from coodie.model.types import CqlType
from coodie.query.aggregates import AggregatePlan, plan_aggregate

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.drivers.statement import ResultPage
    from coodie.mapping.values import ColumnValues
    from coodie.model.schema import TableSchema
    from coodie.query.state import QueryState

__all__ = ["Aggregate", "AggregateShape", "aggregate_query"]

#: How an answer read back as text (``AggregatePlan.result_cast``) becomes its Python type.
_FROM_TEXT: dict[str, Callable[[Any], Any]] = {"decimal": Decimal}


class AggregateShape(NamedTuple):
    """What makes an aggregate SELECT's CQL text: statements of one shape share one prepared
    statement."""

    kind: Literal["aggregate"]
    table: TableSchema
    plan: AggregatePlan
    conditions: tuple[tuple[str, str], ...]
    token_start: bool
    token_end: bool
    allow_filtering: bool


def render_aggregate(shape: AggregateShape) -> str:
    plan = shape.plan
    return cql.aggregate(
        shape.table,
        plan.function,
        plan.column,
        shape.conditions,
        cast=plan.cast,
        result_cast=plan.result_cast,
        # CQL's avg of no values is 0: their count tells it apart from a real 0.
        count=plan.function == "avg",
        token_start=shape.token_start,
        token_end=shape.token_end,
        allow_filtering=shape.allow_filtering,
    )


class Aggregate(NamedTuple):
    """An aggregate read: its statement, and how its one row becomes the answer."""

    statement: Statement
    plan: AggregatePlan
    decode: Callable[[Any], Any] | None

    def result(self, page: ResultPage) -> Any:
        """The answer: ``None`` for min/max/avg of no values (sum of none is 0, as in CQL)."""
        row = page.rows[0] if page.rows else None
        if row is None or row[0] is None:
            return 0 if self.plan.function == "sum" else None
        if self.plan.function == "avg" and not row[1]:
            return None
        decode = self.decode
        return row[0] if decode is None else decode(row[0])


def aggregate_query(
    values: ColumnValues, state: QueryState, function: str, column: str
) -> Aggregate:
    """``function(column)`` over the rows ``state`` selects, checked before anything is sent."""
    schema = values.schema
    plan = plan_aggregate(schema, state, function, column)
    shape = AggregateShape(
        "aggregate",
        schema,
        plan,
        state.conditions(),
        state.token_start is not None,
        state.token_end is not None,
        state.allow_filtering,
    )
    cache = schema.cql_cache
    text = cache.get(shape)
    if text is None:
        text = cache[shape] = render_aggregate(shape)
    statement = Statement(
        text,
        values.where_values(state),
        consistency=state.consistency,
        timeout=state.timeout,
        idempotent=True,
    )
    decode: Callable[[Any], Any] | None
    if plan.result_type is None:
        decode = values.decoders.get(plan.column)
    elif plan.result_cast == "text":
        decode = _FROM_TEXT[plan.result_type]
    else:
        decode = build_decoder(CqlType(plan.result_type), values.driver)
    return Aggregate(statement, plan, decode)
