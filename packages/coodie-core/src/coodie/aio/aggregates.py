"""The aggregates of the asynchronous QuerySet: ``sum``, ``avg``, ``min``, ``max``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from coodie.api.document import mapper_of
from coodie.api.queryset import QuerySetBase
from coodie.mapping.aggregates import aggregate_query

if TYPE_CHECKING:
    from decimal import Decimal

    from coodie.api.document import DocumentBase

__all__ = ["Aggregating"]

D = TypeVar("D", bound="DocumentBase")


class Aggregating(QuerySetBase[D]):
    """CQL aggregate functions over the rows the filters select, beside ``count()``: one
    round trip, computed by the server. Checked before sending: the column must exist, and
    be numeric for ``sum`` / ``avg``."""

    __slots__ = ()

    async def sum(self, column: str) -> int | float | Decimal:
        """The total of ``column``: an exact int for integer columns (no CQL overflow), a
        float for float/double, a Decimal for decimal; 0 when no row matches."""
        result: int | float | Decimal = await self._aggregate("sum", column)
        return result

    async def avg(self, column: str) -> float | Decimal | None:
        """The mean of ``column``'s values: a float (integer columns too, where CQL's own
        avg would truncate), a Decimal for decimal; None when there is no value."""
        result: float | Decimal | None = await self._aggregate("avg", column)
        return result

    async def min(self, column: str) -> Any:
        """The smallest value of ``column`` (its declared Python type), None if none."""
        return await self._aggregate("min", column)

    async def max(self, column: str) -> Any:
        """The largest value of ``column`` (its declared Python type), None if none."""
        return await self._aggregate("max", column)

    async def _aggregate(self, function: str, column: str) -> Any:
        mapper = mapper_of(self._model)
        aggregate = aggregate_query(mapper.values, self._state, function, column)
        return aggregate.result(await mapper.driver.execute_async(aggregate.statement))
