"""Time-UUID bounds for range queries on timeuuid columns (no I/O).

``Event.find(day=d, id__gt=MaxTimeUUID(start), id__lt=MinTimeUUID(end))`` reads the rows
whose timeuuid lies strictly between two datetimes: CQL's ``maxTimeuuid(?)`` /
``minTimeuuid(?)`` turn the bound timestamp into the largest / smallest time UUID of that
millisecond, so the query needs no UUID made up on the client.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from coodie.exceptions import InvalidQueryError

if TYPE_CHECKING:
    from coodie.model.schema import ColumnDefinition

__all__ = ["MaxTimeUUID", "MinTimeUUID", "TimeUUIDBound", "check_timeuuid_bound"]

_OPERATORS = ("eq", "gt", "gte", "lt", "lte")


class TimeUUIDBound:
    """A filter value compared through a CQL time-UUID function of a datetime."""

    __slots__ = ("at",)
    #: The CQL function the bound datetime is passed to.
    function: ClassVar[str]

    def __init__(self, at: dt.datetime) -> None:
        if not isinstance(at, dt.datetime):
            raise InvalidQueryError(
                f"{type(self).__name__}({at!r}) needs a datetime (naive means UTC), e.g. "
                f"{type(self).__name__}(datetime(2026, 1, 1))."
            )
        self.at = at

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.at == self.at

    def __hash__(self) -> int:
        return hash((type(self), self.at))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.at!r})"


class MinTimeUUID(TimeUUIDBound):
    """The smallest time UUID of a datetime: ``minTimeuuid(?)`` (use with ``__gte``/``__lt``)."""

    __slots__ = ()
    function = "minTimeuuid"


class MaxTimeUUID(TimeUUIDBound):
    """The largest time UUID of a datetime: ``maxTimeuuid(?)`` (use with ``__gt``/``__lte``)."""

    __slots__ = ()
    function = "maxTimeuuid"


def check_timeuuid_bound(model: str, column: ColumnDefinition, op: str, value: Any) -> Any:
    """``value`` (a TimeUUIDBound) as a filter of ``column`` with ``op``, or the error."""
    where = f"{model}.{column.name}"
    if column.cql_type.name != "timeuuid":
        raise InvalidQueryError(
            f"{where}: {type(value).__name__} compares timeuuid columns, but {column.name} is "
            f"{column.cql_type.cql}; declare it TimeUUID or compare a value of its type."
        )
    if op not in _OPERATORS:
        raise InvalidQueryError(
            f"{where}__{op}: {type(value).__name__} takes =, __gt, __gte, __lt or __lte."
        )
    return value
