"""acsylla hands vector columns over as bytes and binds them only from bytes: the plugin's
codecs turn them into lists and back (big-endian elements, one after another)."""

from __future__ import annotations

import struct
from typing import Annotated, Any

import pytest

from coodie import BigInt, Double, Vector
from coodie.model.types import cql_type_for
from coodie_driver_acsylla.vectors import vector_decoder, vector_encoder


@pytest.mark.parametrize(
    ("annotation", "value", "code"),
    [
        (Annotated[list[float], Vector(3)], [0.5, -1.0, 2.25], ">3f"),
        (Annotated[list[Annotated[float, Double()]], Vector(2)], [0.1, 1e300], ">2d"),
        (Annotated[list[int], Vector(2)], [-(2**31), 7], ">2i"),
        (Annotated[list[Annotated[int, BigInt()]], Vector(2)], [2**40, -1], ">2q"),
    ],
)
def test_vectors_round_trip_through_their_bytes(
    annotation: Any, value: list[Any], code: str
) -> None:
    t = cql_type_for(annotation)
    encoded = vector_encoder(t)(value)
    assert encoded == struct.pack(code, *value)
    decoded = vector_decoder(t)(encoded)
    assert type(decoded) is list
    assert decoded == value
