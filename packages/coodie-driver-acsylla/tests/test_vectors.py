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


def test_bytes_of_another_dimension_are_refused() -> None:
    t = cql_type_for(Annotated[list[float], Vector(3)])
    decode = vector_decoder(t)
    for wrong in (struct.pack(">2f", 1, 2), struct.pack(">4f", 1, 2, 3, 4), b""):
        with pytest.raises(
            ValueError,
            match=rf"vector<float, 3> value is 12 bytes, got "
            rf"{len(wrong)}",
        ):
            decode(wrong)


def test_the_elements_are_read_big_endian() -> None:
    t = cql_type_for(Annotated[list[int], Vector(2)])
    assert vector_decoder(t)(b"\x00\x00\x00\x01\xff\xff\xff\xfe") == [1, -2]


def test_platforms_whose_c_types_differ_unpack_with_struct(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from coodie_driver_acsylla import vectors

    monkeypatch.setattr(vectors, "struct_calcsize", lambda code: 99)  # no array code fits
    t = cql_type_for(Annotated[list[Annotated[int, BigInt()]], Vector(2)])
    decode = vector_decoder(t)
    assert decode.__name__ == "decode_unpacked"
    assert decode(struct.pack(">2q", 2**40, -1)) == [2**40, -1]
    with pytest.raises(ValueError, match=r"vector<bigint, 2> value is 16 bytes, got 8"):
        decode(struct.pack(">q", 1))
