"""Which filters a Storage-Attached Index serves without ALLOW FILTERING (no I/O).

Checked against Cassandra 5.0.9: an SAI index serves ``=`` on any column it indexes
(text and UUIDs included; a frozen collection as a whole), ranges on numeric and
date/time columns only, ``CONTAINS`` on a list or set, and on a map ``CONTAINS`` /
``CONTAINS KEY`` by the index's target. ``IN`` needs filtering; an index on a vector column
serves ANN ordering only. Several SAI-served filters combine with AND.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coodie.model.indexes import SAI_RANGE_TYPES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coodie.model.schema import ColumnDefinition

__all__ = ["contains_served", "sai_serves"]

_RANGE = ("gt", "gte", "lt", "lte")


def contains_served(column: ColumnDefinition, op: str) -> bool:
    """Whether ``column``'s index (of either kind) serves ``__contains`` / ``__contains_key``."""
    if column.cql_type.name != "map":
        return op == "contains"
    target = column.index_target or "values"
    return (op == "contains_key" and target == "keys") or (op == "contains" and target == "values")


def sai_serves(column: ColumnDefinition, ops: Iterable[str]) -> bool:
    """Whether ``column`` has an SAI index that serves every operator of ``ops``."""
    if column.index_using != "sai" or column.cql_type.name == "vector":
        return False
    return all(_serves(column, op) for op in ops)


def _serves(column: ColumnDefinition, op: str) -> bool:
    t = column.cql_type
    # A frozen collection's index covers the whole value (FULL) unless a target says else.
    whole = t.is_collection and t.frozen and column.index_target in (None, "full")
    if op == "eq":
        return not t.is_collection or whole
    if op in _RANGE:
        return t.name in SAI_RANGE_TYPES
    if op in ("contains", "contains_key"):
        return not whole and contains_served(column, op)
    return False
