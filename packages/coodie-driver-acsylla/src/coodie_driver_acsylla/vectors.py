"""``vector<float, n>`` (and double/int/bigint elements) for acsylla.

acsylla 1.x has no vector type: it hands a vector column over as its serialized bytes and
binds a vector only from ``bytes``. A vector of fixed-width elements is serialized as the
elements' big-endian values one after another, so a precompiled ``struct.Struct`` per
column converts both ways (one C call each, no per-element Python code).
"""

from __future__ import annotations

from struct import Struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from coodie.model.types import CqlType

__all__ = ["vector_decoder", "vector_encoder"]

_CODES = {"float": "f", "double": "d", "int": "i", "bigint": "q"}


def _struct(cql_type: CqlType) -> Struct:
    element = cql_type.params[0].name
    return Struct(f">{cql_type.size}{_CODES[element]}")


def vector_decoder(cql_type: CqlType) -> Callable[[Any], list[Any]]:
    """Decode bytes -> ``list`` of the elements."""
    unpack = _struct(cql_type).unpack

    def decode(value: Any) -> list[Any]:
        return list(unpack(value))

    return decode


def vector_encoder(cql_type: CqlType) -> Callable[[Any], bytes]:
    """A list of the elements (checked by coodie: right length and classes) -> bytes."""
    pack = _struct(cql_type).pack

    def encode(value: Any) -> bytes:
        return pack(*value)

    return encode
