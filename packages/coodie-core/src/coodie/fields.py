"""Markers that go inside ``Annotated[...]`` to tell coodie how a field maps to a column.

Example::

    class Review(Document):
        product_id: Annotated[UUID, PrimaryKey()]
        created_at: Annotated[datetime, ClusteringKey(order="DESC")]
        rating: Annotated[int, Indexed()]
        views: Annotated[int, BigInt()] = 0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

__all__ = [
    "Ascii",
    "BigInt",
    "ClusteringKey",
    "Counter",
    "CqlTypeMarker",
    "Double",
    "Float",
    "Frozen",
    "Indexed",
    "PrimaryKey",
    "SmallInt",
    "Static",
    "TimeUUID",
    "TinyInt",
    "VarInt",
]


@dataclass(frozen=True, slots=True)
class PrimaryKey:
    """The field is (part of) the partition key; ``partition_key_index`` orders composite keys."""

    partition_key_index: int = 0


@dataclass(frozen=True, slots=True)
class ClusteringKey:
    """The field is a clustering column, sorted ``order`` within a partition."""

    order: Literal["ASC", "DESC"] = "ASC"
    clustering_key_index: int = 0


@dataclass(frozen=True, slots=True)
class Indexed:
    """Create a secondary index on the column (named ``<table>_<column>_idx`` by default).

    For map columns ``target`` picks what is indexed: ``"values"`` (CQL's default, serves
    ``__contains``), ``"keys"`` (serves ``__contains_key``) or ``"entries"``.
    """

    index_name: str | None = None
    target: Literal["keys", "values", "entries"] | None = None


@dataclass(frozen=True, slots=True)
class Counter:
    """A ``counter`` column: changed only by increments, in a table of keys and counters."""


@dataclass(frozen=True, slots=True)
class Static:
    """A ``static`` column: one value shared by every row of a partition."""


@dataclass(frozen=True, slots=True)
class Frozen:
    """Store the collection (or tuple) as one frozen value: ``frozen<...>``."""


@dataclass(frozen=True, slots=True)
class CqlTypeMarker:
    """Names a CQL type that the Python annotation alone cannot express.

    Integer markers also teach pydantic the column's range, so an out-of-range value fails
    when the model is built instead of when Cassandra rejects the write.
    """

    cql: str
    python_types: tuple[type, ...]
    min_value: int | None = None
    max_value: int | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        if self.min_value is None:
            return schema
        # ``Annotated[int | None, TinyInt()]`` reaches here as a nullable schema around the int.
        if schema.get("type") == "nullable":
            inner = schema["schema"]
            if inner.get("type") == "int":
                ranged = {**inner, "ge": self.min_value, "le": self.max_value}
                return {**schema, "schema": ranged}
        elif schema.get("type") == "int":
            schema = {**schema, "ge": self.min_value, "le": self.max_value}
        return schema


def BigInt() -> CqlTypeMarker:
    """64-bit signed integer (``bigint``)."""
    return CqlTypeMarker("bigint", (int,), -(2**63), 2**63 - 1)


def SmallInt() -> CqlTypeMarker:
    """16-bit signed integer (``smallint``)."""
    return CqlTypeMarker("smallint", (int,), -(2**15), 2**15 - 1)


def TinyInt() -> CqlTypeMarker:
    """8-bit signed integer (``tinyint``)."""
    return CqlTypeMarker("tinyint", (int,), -(2**7), 2**7 - 1)


def VarInt() -> CqlTypeMarker:
    """Arbitrary-precision integer (``varint``)."""
    return CqlTypeMarker("varint", (int,))


def Double() -> CqlTypeMarker:
    """64-bit IEEE float (``double``); what a plain ``float`` maps to already."""
    return CqlTypeMarker("double", (float,))


def Float() -> CqlTypeMarker:
    """32-bit IEEE float (``float``): smaller, but values lose precision on the way back."""
    return CqlTypeMarker("float", (float,))


def Ascii() -> CqlTypeMarker:
    """US-ASCII string (``ascii``)."""
    return CqlTypeMarker("ascii", (str,))


def TimeUUID() -> CqlTypeMarker:
    """Version-1 UUID ordered by time (``timeuuid``)."""
    from uuid import UUID

    return CqlTypeMarker("timeuuid", (UUID,))
