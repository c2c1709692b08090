"""Codecs on sample values (no database) and the driver's codec hooks."""

from __future__ import annotations

import datetime as dt
import uuid
from ipaddress import IPv4Address, IPv6Address

import pytest

from coodie.model.types import CqlType
from coodie_driver_acsylla import UNSET
from coodie_driver_acsylla.codecs import (
    DECODERS,
    ENCODERS,
    UNSUPPORTED_TYPES,
    decode_duration,
    decode_inet,
    decode_timestamp,
    decode_uuid,
    decode_varint,
    encode_duration,
    encode_varint,
)


def test_uuid() -> None:
    u = uuid.uuid4()
    assert decode_uuid(str(u)) == u
    assert type(decode_uuid(str(u))) is uuid.UUID
    assert decode_uuid(u) is u


def test_inet() -> None:
    assert decode_inet("10.1.2.3") == IPv4Address("10.1.2.3")
    assert type(decode_inet("::1")) is IPv6Address
    address = IPv4Address("1.2.3.4")
    assert decode_inet(address) is address


def test_timestamp_becomes_naive_utc() -> None:
    aware = dt.datetime(2024, 2, 29, 13, 45, 12, 345000, tzinfo=dt.timezone.utc)
    assert decode_timestamp(aware) == dt.datetime(2024, 2, 29, 13, 45, 12, 345000)
    assert decode_timestamp(aware).tzinfo is None
    plus_two = dt.datetime(2024, 1, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert decode_timestamp(plus_two) == dt.datetime(2024, 1, 1, 0)
    naive = dt.datetime(2024, 1, 1)
    assert decode_timestamp(naive) is naive


@pytest.mark.parametrize(
    "value", [0, 1, -1, 127, 128, -128, -129, 255, 256, 2**63, -(2**63), 10**40 + 7, -(10**40)]
)
def test_varint_round_trip(value: int) -> None:
    encoded = encode_varint(value)
    assert decode_varint(encoded) == value
    # minimal two's complement, like Cassandra's own encoding
    assert encoded == value.to_bytes(len(encoded), "big", signed=True)
    assert len(encoded) == 1 or encoded[:2] not in (b"\x00\x00", b"\xff\xff")


def test_varint_samples() -> None:
    assert encode_varint(0) == b"\x00"
    assert encode_varint(-1) == b"\xff"
    assert encode_varint(128) == b"\x00\x80"
    assert encode_varint(-129) == b"\xff\x7f"
    assert decode_varint(b"\x01\x00") == 256


def test_decimal_is_declared_unsupported_with_the_reason() -> None:
    # acsylla 1.2 binds a decimal's digit text as its unscaled bytes: never send one.
    assert set(UNSUPPORTED_TYPES) == {"decimal"}
    assert "Decimal('6') is stored as 54" in UNSUPPORTED_TYPES["decimal"]
    assert "decimal" not in ENCODERS


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (dt.timedelta(0), (0, 0, 0)),
        (dt.timedelta(days=3, hours=4, microseconds=5), (0, 3, 14_400_000_005_000)),
        (dt.timedelta(days=-1, seconds=5), (0, 0, -86_395_000_000_000)),
        (dt.timedelta(microseconds=-1), (0, 0, -1000)),
        (dt.timedelta(days=-400, microseconds=-1), (0, -400, -1000)),
    ],
)
def test_duration_encoding_keeps_one_sign(value: dt.timedelta, encoded: tuple[int, ...]) -> None:
    assert encode_duration(value) == encoded
    assert decode_duration(encoded) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", dt.timedelta(0)),
        ("3d4h5us", dt.timedelta(days=3, hours=4, microseconds=5)),
        ("40d5h", dt.timedelta(days=40, hours=5)),
        ("-23h59m55s", -dt.timedelta(hours=23, minutes=59, seconds=55)),
        ("-1d5ns", -dt.timedelta(days=1)),
        ("-400d1us", -dt.timedelta(days=400, microseconds=1)),
        ("2w1ms", dt.timedelta(days=14, milliseconds=1)),
        ("1h2m3s4ms5us6ns", dt.timedelta(hours=1, minutes=2, seconds=3, microseconds=4005)),
    ],
)
def test_duration_decoding(text: str, value: dt.timedelta) -> None:
    assert decode_duration(text) == value


@pytest.mark.parametrize("raw", ["1mo2d", "1y", (1, 0, 0)])
def test_durations_with_months_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="months"):
        decode_duration(raw)


def test_garbage_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="unrecognised duration"):
        decode_duration("3 days")


def test_tables_cover_the_types_acsylla_returns_differently() -> None:
    assert set(DECODERS) == {"uuid", "timeuuid", "inet", "timestamp", "duration", "varint"}
    assert set(ENCODERS) == {"duration", "varint"}


def test_unset_is_a_singleton() -> None:
    assert repr(UNSET) == "UNSET"
    assert type(UNSET)() is UNSET


def test_driver_hooks_use_the_tables() -> None:
    from coodie_driver_acsylla.driver import AcsyllaDriver

    hooks = AcsyllaDriver.decoder_for, AcsyllaDriver.encoder_for
    fake = object.__new__(AcsyllaDriver)
    assert hooks[0](fake, CqlType("uuid", python_type=uuid.UUID)) is decode_uuid
    assert hooks[0](fake, CqlType("text", python_type=str)) is None
    assert hooks[1](fake, CqlType("varint", python_type=int)) is encode_varint
    assert hooks[1](fake, CqlType("uuid", python_type=uuid.UUID)) is None
