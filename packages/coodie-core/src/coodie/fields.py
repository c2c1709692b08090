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
    from collections.abc import Mapping

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
    "Vector",
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
    """Create an index on the column (named ``<table>_<column>_idx`` by default).

    For map columns ``target`` picks what is indexed: ``"values"`` (CQL's default, serves
    ``__contains``), ``"keys"`` (serves ``__contains_key``) or ``"entries"``; ``"full"``
    indexes a frozen collection as one value (coodie's choice for frozen ones anyway).

    ``using="sai"`` makes it a Storage-Attached Index (Cassandra 5.0): several may serve one
    query, ranges on numeric and date/time columns, and on a ``Vector`` column ANN search;
    ``options`` are its ``WITH OPTIONS`` (``{"similarity_function": "cosine"}`` for vectors,
    ``{"case_sensitive": "false"}`` for text). Without ``using`` it is a legacy secondary index.
    """

    index_name: str | None = None
    target: Literal["keys", "values", "entries", "full"] | None = None
    using: Literal["sai"] | None = None
    options: Mapping[str, str | bool] | None = None

    def __hash__(self) -> int:  # ``options`` is a dict: hash what identifies the index
        return hash((self.index_name, self.target, self.using))


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
class Vector:
    """A ``vector<float, dimension>`` column (Cassandra 5.0), on a ``list[float]`` field.

    The element type comes from the annotation: ``list[float]`` is ``vector<float, n>`` (the
    element type ANN search needs); ``list[Annotated[float, Double()]]``, ``list[int]`` and
    ``list[Annotated[int, BigInt()]]`` give ``double``, ``int`` and ``bigint`` elements. A
    list of another length is refused when the model is built and before any write.
    """

    dimension: int

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        dimension = self.dimension

        def exact_length(value: Any) -> Any:
            if value is not None and len(value) != dimension:
                raise ValueError(
                    f"a vector of dimension {dimension} needs exactly {dimension} values, "
                    f"got {len(value)}"
                )
            return value

        return core_schema.no_info_after_validator_function(exact_length, handler(source))


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
